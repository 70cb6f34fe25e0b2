import { createServer, type IncomingHttpHeaders } from 'node:http';
import Fastify from 'fastify';
import helmet from 'helmet';
import { fixedHeaderEdits, registerSecurityHeaders } from './security-headers';

const options = { contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } };

/** Helmet's headers as the library sets them on a bare Node response. */
async function helmetReference(): Promise<IncomingHttpHeaders> {
  const setHeaders = helmet(options);
  const server = createServer((req, res) => setHeaders(req, res, () => res.end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as { port: number }).port}/`);
    return Object.fromEntries(res.headers);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

test("every response, errors included, carries exactly helmet's headers for the configuration", async () => {
  const reference = await helmetReference();
  const names = Object.keys(reference).filter((n) => !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(n));
  expect(names).toEqual(expect.arrayContaining(['content-security-policy', 'x-content-type-options', 'strict-transport-security']));
  expect(reference['content-security-policy']).not.toContain('upgrade-insecure-requests');

  const app = Fastify({ logger: false });
  registerSecurityHeaders(app, options);
  app.addHook('onRequest', (request, _reply, done) => {
    done(request.url === '/refused' ? Object.assign(new Error('no'), { statusCode: 401 }) : undefined);
  });
  app.get('/ok', () => ({ ok: true }));
  app.get('/refused', () => ({ ok: true }));
  app.get('/fails', () => {
    throw new Error('boom');
  });
  // Over real HTTP: light-my-request (app.inject) cannot load the ESM-only cookie package under jest.
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    for (const [url, status] of [['/ok', 200], ['/refused', 401], ['/fails', 500], ['/missing', 404]] as const) {
      const res = await fetch(base + url);
      expect(res.status).toBe(status);
      for (const name of names) expect([url, name, res.headers.get(name)]).toEqual([url, name, reference[name]]);
    }
  } finally {
    await app.close();
  }
});

test('headers are taken from helmet once for a fixed configuration, and per request when a value is a function', () => {
  const fixed = fixedHeaderEdits(options);
  expect(fixed?.set.map(([name]) => name.toLowerCase())).toEqual(expect.arrayContaining(['content-security-policy', 'strict-transport-security', 'x-frame-options']));
  expect(fixed?.removed.map((name) => name.toLowerCase())).toEqual(['x-powered-by']);
  const nonce = () => "'nonce-abc'";
  expect(fixedHeaderEdits({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'", nonce] } } })).toBeUndefined();
});
