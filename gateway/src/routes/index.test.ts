/**
 * The route tree's contexts: public routes carry no security requirement and run no
 * authentication; authenticated routes always do; what one group adds stays in that group.
 */
import { Type } from '@sinclair/typebox';
import { principalOf } from '../auth/principal';
import { testApp, type TestApp } from '../testing/test-app';
import { CONTRACT_ROUTES } from './contracts';
import type { RouteModule } from './context';

/** A group outside the contracts: it must not inherit trace's JSON-LD parser. */
const other: RouteModule = (app) => {
  app.post('/other', { schema: { body: Type.Object({ n: Type.Integer() }, { additionalProperties: false }) } }, async (request) => {
    await Promise.resolve();
    return { by: principalOf(request).user.name };
  });
};

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ routes: [...CONTRACT_ROUTES, other] });
});
afterAll(async () => t.close());

interface OpenApi {
  security: unknown[];
  paths: Record<string, Record<string, { security?: unknown[] }>>;
}

test('OpenAPI: public operations need no credentials; every other operation keeps the global lock', async () => {
  const doc = (await t.inject({ method: 'GET', url: '/docs/json' })).json<OpenApi>();
  expect(doc.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
  const publicOps = ['/health/live', '/health/ready', '/dev/token'];
  for (const path of publicOps) {
    const ops = Object.values(doc.paths[path] ?? {});
    expect(ops.length).toBeGreaterThan(0);
    for (const op of ops) expect(op.security).toEqual([]);
  }
  const others = Object.entries(doc.paths).filter(([path]) => !publicOps.includes(path));
  expect(others.length).toBeGreaterThan(50);
  for (const [, ops] of others) for (const op of Object.values(ops)) expect(op.security).toBeUndefined();
});

test('public routes run no authentication, whatever credentials come along', async () => {
  const garbage = { authorization: 'Bearer not.a.jwt', 'x-api-key': 'hlk_nope' };
  expect((await t.inject({ method: 'GET', url: '/health/live', headers: garbage })).statusCode).toBe(200);
  expect((await t.inject({ method: 'GET', url: '/metrics', headers: garbage })).statusCode).toBe(200);
  expect((await t.inject({ method: 'GET', url: '/docs/json', headers: garbage })).statusCode).toBe(200);
  expect((await t.inject({ method: 'POST', url: '/dev/token', payload: { user: 'clinician1' }, headers: garbage })).statusCode).toBe(200);
});

test('Idempotency-Key is honoured only where a caller is known (keys are scoped per caller)', async () => {
  // Anonymous callers would share one scope: one client's key must never replay another's token.
  const token = async (user: string) =>
    (await t.inject({ method: 'POST', url: '/dev/token', payload: { user }, headers: { 'idempotency-key': 'same-key' } })).json<{ role: string }>();
  expect((await token('clinician1')).role).toBe('clinician');
  expect((await token('patient1')).role).toBe('patient');
});

test('authenticated routes, of every group, refuse a request without credentials', async () => {
  for (const url of ['/other', '/records', '/epcis/events', '/packs/commission-bulk']) {
    const res = await t.inject({ method: 'POST', url, payload: {} });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  }
});

test("trace's JSON-LD parser serves the traceability routes only", async () => {
  const headers = { authorization: await t.bearer('clinician1'), 'content-type': 'application/ld+json' };
  const epcis = await t.inject({ method: 'POST', url: '/epcis/events', payload: '{"not":"epcis"}', headers });
  expect(epcis.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  const other = await t.inject({ method: 'POST', url: '/other', payload: '{"n":1}', headers });
  expect(other.statusCode).toBe(415);
  expect(other.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  const json = await t.inject({ method: 'POST', url: '/other', payload: { n: 1 }, headers: { authorization: headers.authorization } });
  expect(json.json()).toEqual({ by: 'clinician1' });
});

test('authenticated routes refuse a query parameter they do not declare (400, nothing done)', async () => {
  const authorization = await t.bearer('clinician1');
  const refused = await t.inject({ method: 'POST', url: '/other?zz_unknown=1', payload: { n: 1 }, headers: { authorization } });
  expect(refused.statusCode).toBe(400);
  expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(refused.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  expect((await t.inject({ method: 'POST', url: '/other', payload: { n: 1 }, headers: { authorization } })).statusCode).toBe(200);
});
