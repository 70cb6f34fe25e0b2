import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { lazyRequestValidation } from './request-validation';

const AJV = { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array' as const, useDefaults: true } };

/** A bare app with the gateway's Ajv options, validating with the lazy builder or with Fastify's default. */
async function appWith(lazy: boolean, route: (app: FastifyInstance) => void): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ ajv: AJV, ...(lazy ? { schemaController: { compilersFactory: { buildValidator: lazyRequestValidation() } } } : {}) });
  route(app);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, url };
}

const echo = (app: FastifyInstance) =>
  app.post(
    '/echo/:n',
    {
      schema: {
        params: Type.Object({ n: Type.Integer() }),
        querystring: Type.Object({ tags: Type.Optional(Type.Array(Type.String())), page: Type.Integer({ default: 1 }) }),
        headers: Type.Object({ 'x-mode': Type.Optional(Type.String({ enum: ['a', 'b'] })) }),
        body: Type.Object({ name: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
      },
    },
    (req, reply) => reply.send({ params: req.params, query: req.query, body: req.body }),
  );

/** What each request gets back: status and body. */
async function answers(url: string): Promise<unknown[]> {
  const requests: [string, RequestInit][] = [
    ['/echo/3?tags=x&page=2', { method: 'POST', body: JSON.stringify({ name: 'a' }), headers: { 'content-type': 'application/json', 'X-Mode': 'a' } }],
    ['/echo/3?tags=x', { method: 'POST', body: JSON.stringify({ name: 'a' }), headers: { 'content-type': 'application/json' } }],
    ['/echo/three', { method: 'POST', body: JSON.stringify({ name: '', extra: 1 }), headers: { 'content-type': 'application/json', 'x-mode': 'c' } }],
    ['/echo/3?page=x', { method: 'POST', body: JSON.stringify({}), headers: { 'content-type': 'application/json' } }],
  ];
  const out: unknown[] = [];
  for (const [path, init] of requests) {
    const res = await fetch(url + path, init);
    out.push({ status: res.status, body: await res.json() });
  }
  return out;
}

test('compiled on first use, requests are validated, coerced and defaulted exactly as by the default compiler', async () => {
  const lazy = await appWith(true, echo);
  const eager = await appWith(false, echo);
  try {
    const [fromLazy, fromEager] = await Promise.all([answers(lazy.url), answers(eager.url)]);
    expect(fromLazy).toEqual(fromEager);
    // And the comparison is not vacuous: the first passes coerced, the second gets its default, the others are refused.
    expect(fromLazy.map((a) => (a as { status: number }).status)).toEqual([200, 200, 400, 400]);
    expect(fromLazy[0]).toMatchObject({ body: { params: { n: 3 }, query: { tags: ['x'], page: 2 } } });
    expect(fromLazy[1]).toMatchObject({ body: { query: { page: 1 } } });
  } finally {
    await Promise.all([lazy.app.close(), eager.app.close()]);
  }
});

test('a header schema with an upper-case name is refused at start-up (Fastify does not lower-case it for a given compiler)', async () => {
  const app = Fastify({ ajv: AJV, schemaController: { compilersFactory: { buildValidator: lazyRequestValidation() } } });
  app.get('/h', { schema: { headers: Type.Object({ 'X-Mode': Type.String() }) } }, (_req, reply) => reply.send({}));
  await expect(app.ready()).rejects.toThrow(/header schema names must be lower case \(X-Mode\)/);
  await app.close();
});

test('eager (the OpenAPI test builds every route so): a schema that cannot compile fails at start-up, lazily only when used', async () => {
  const broken = { querystring: { type: 'object', properties: { n: { type: 'nonsense' } } } };
  const eager = Fastify({ ajv: AJV, schemaController: { compilersFactory: { buildValidator: lazyRequestValidation(true) } } });
  eager.get('/b', { schema: broken }, (_req, reply) => reply.send({}));
  await expect(eager.ready()).rejects.toThrow(/schema is invalid/);
  await eager.close();
  const lazy = Fastify({ ajv: AJV, schemaController: { compilersFactory: { buildValidator: lazyRequestValidation() } } });
  lazy.get('/b', { schema: broken }, (_req, reply) => reply.send({}));
  await expect(lazy.ready()).resolves.toBeDefined();
  await lazy.close();
});
