import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { OneLineRequestLog } from './request-log';

/** An app logging at info into `lines`, with the one-line request log. */
function appLoggingTo(lines: Record<string, unknown>[]) {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const app = Fastify({ logger: { level: 'info', stream }, logController: new OneLineRequestLog() });
  app.get('/things/:id', (_request, reply) => reply.send({ ok: true }));
  return app;
}

describe('one log line per request', () => {
  it('logs the request and its outcome together, and no separate incoming line', async () => {
    const lines: Record<string, unknown>[] = [];
    const app = appLoggingTo(lines);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const ok = await fetch(`${base}/things/7`);
    const missing = await fetch(`${base}/nowhere`);
    await Promise.all([ok.text(), missing.text()]);
    await app.close();
    expect([ok.status, missing.status]).toEqual([200, 404]);
    const requestLines = lines.filter((l) => l['reqId'] !== undefined && l['msg'] !== 'Route GET:/nowhere not found');
    expect(requestLines.map((l) => l['msg'])).toEqual(['request completed', 'request completed']);
    expect(requestLines[0]).toMatchObject({ level: 30, req: { method: 'GET', url: '/things/7' }, res: { statusCode: 200 } });
    expect(requestLines[1]).toMatchObject({ req: { url: '/nowhere' }, res: { statusCode: 404 } });
    expect(typeof requestLines[0]?.['responseTime']).toBe('number');
  });
});
