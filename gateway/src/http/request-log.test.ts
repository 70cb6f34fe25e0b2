import { Writable } from 'node:stream';
import Fastify from 'fastify';
import pino, { type LoggerOptions } from 'pino';
import { loggerOptions, OneLineRequestLog } from './request-log';

/** A stream that parses each JSON line written to it into `lines`. */
function collecting(lines: Record<string, unknown>[]) {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
}

/**
 * An app logging at info into `lines` with the gateway's logger settings (redaction included)
 * and the one-line request log; `plain`: its completed lines written without redaction, as the
 * gateway writes them (through `completedTo`'s logger when given, else the app's own).
 */
function appLoggingTo(lines: Record<string, unknown>[], plain = true, completedTo?: Record<string, unknown>[]) {
  const requestLog = new OneLineRequestLog();
  const app = Fastify({ logger: { ...(loggerOptions('info') as object), stream: collecting(lines) }, logController: requestLog });
  if (plain) requestLog.writeCompletedWith(completedTo ? pino(loggerOptions('info') as LoggerOptions, collecting(completedTo)) : app.log);
  app.get('/things/:id', (_request, reply) => reply.send({ ok: true }));
  app.post('/things', (request, reply) => reply.code(201).send({ echoed: request.body }));
  app.get('/quiet', { logLevel: 'warn' }, (_request, reply) => reply.send({ ok: true }));
  app.get('/fails', () => {
    throw new Error('boom');
  });
  return app;
}

/** The request lines (those with a request id) of what `lines` collected. */
const requestLines = (lines: Record<string, unknown>[]) => lines.filter((l) => l['reqId'] !== undefined && l['msg'] !== 'Route GET:/nowhere not found');

describe('one log line per request', () => {
  it('logs the request and its outcome together, and no separate incoming line', async () => {
    const lines: Record<string, unknown>[] = [];
    const app = appLoggingTo(lines);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const ok = await fetch(`${base}/things/7`);
    const missing = await fetch(`${base}/nowhere`);
    const quiet = await fetch(`${base}/quiet`);
    await Promise.all([ok.text(), missing.text(), quiet.text()]);
    await app.close();
    expect([ok.status, missing.status, quiet.status]).toEqual([200, 404, 200]);
    const logged = requestLines(lines);
    // The route that logs at warn writes no info line.
    expect(logged.map((l) => l['msg'])).toEqual(['request completed', 'request completed']);
    expect(logged[0]).toMatchObject({ level: 30, req: { method: 'GET', url: '/things/7' }, res: { statusCode: 200 } });
    expect(logged[1]).toMatchObject({ req: { url: '/nowhere' }, res: { statusCode: 404 } });
    expect(typeof logged[0]?.['responseTime']).toBe('number');
  });

  it('writes the completed line without redaction exactly as the redacting logger would, with no credential or body in it', async () => {
    /** One request carrying a credential and PHI-like fields in its body, through an app; its request line. */
    const completedLine = async (plain: boolean) => {
      const lines: Record<string, unknown>[] = [];
      const app = appLoggingTo(lines, plain);
      const base = await app.listen({ host: '127.0.0.1', port: 0 });
      const res = await fetch(`${base}/things`, {
        method: 'POST',
        headers: { authorization: 'Bearer SECRET-TOKEN', 'x-api-key': 'SECRET-KEY', 'content-type': 'application/json' },
        body: JSON.stringify({ content: 'PHI-MARKER', transient: { note: 'PHI-MARKER' } }),
      });
      expect(res.status).toBe(201);
      await res.text();
      await app.close();
      const logged = requestLines(lines);
      expect(logged).toHaveLength(1);
      return logged[0] as Record<string, unknown>;
    };
    const [plain, redacted] = [await completedLine(true), await completedLine(false)];
    const text = JSON.stringify(plain);
    for (const secret of ['SECRET-TOKEN', 'SECRET-KEY', 'PHI-MARKER']) expect(text).not.toContain(secret);
    // The same keys in the same order, and the same values but for what differs between two requests.
    expect(Object.keys(plain)).toEqual(Object.keys(redacted));
    const varying = (line: Record<string, unknown>) => ({ ...line, time: 0, reqId: '', responseTime: 0, req: { ...(line['req'] as object), remotePort: 0, host: '' } });
    expect(varying(plain)).toEqual(varying(redacted));
  });

  it("writes the completed lines through the logger it was given, and every other line through the request's own", async () => {
    const lines: Record<string, unknown>[] = [];
    const completed: Record<string, unknown>[] = [];
    const app = appLoggingTo(lines, true, completed);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    await Promise.all([fetch(`${base}/things/7`), fetch(`${base}/fails`)].map(async (res) => (await res).text()));
    await app.close();
    // The given logger here has none of Fastify's serializers: the request id shows whose lines these are.
    expect(completed.map((l) => [l['msg'], l['reqId']]).sort()).toEqual([
      ['request completed', 'req-1'],
      ['request completed', 'req-2'],
    ]);
    // The failure's own line (Fastify's error handler, through the request's logger) stays with the app.
    expect(requestLines(lines).map((l) => [l['msg'], l['reqId'], l['level']])).toEqual([['boom', expect.stringMatching(/^req-/), 50]]);
  });
});
