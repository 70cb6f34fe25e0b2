/**
 * `GET /me`: the caller's identity and the operations it may call. The operations must not lie:
 * for several identities, every listed operation passes the catalogue's caller gate and every
 * catalogue route left out is refused by it (the gate the chaincode enforces, checked against the
 * chaincode itself in chaincode/src/shared/caller-gate.test.ts), and each listed operation is one
 * the OpenAPI document describes under that method, path and operationId.
 */
import { gateRefusal, ORGANIZATION_KINDS } from '@healthledger/contract-api';
import { testApp, TEST_USERS, type TestApp } from '../testing/test-app';
import { CONTRACT_ROUTES, CONTRACT_ROUTE_TABLE } from './contracts';
import { openApiPath, operationIdOf } from './contracts/operation';
import { meRoutes, type Me } from './me';

let t: TestApp;
beforeAll(async () => {
  t = await testApp({ routes: [meRoutes, ...CONTRACT_ROUTES] });
});
afterAll(async () => t.close());

const me = async (user: string): Promise<Me> => (await t.inject({ method: 'GET', url: '/me', headers: { authorization: await t.bearer(user) } })).json<Me>();

test('a patient learns its patient reference, organisation and role', async () => {
  const answer = await me('patient1');
  expect(answer).toMatchObject({
    user: 'patient1',
    organisation: { mspId: 'Hospital1MSP', kind: 'provider' },
    role: 'patient',
    ids: { patientRef: 'pt-0c5f1a9e' },
    authentication: 'bearer',
    signing: 'gateway',
  });
  const listed = answer.operations.map((o) => `${o.method} ${o.path}`);
  expect(listed).toContain('GET /patients/{patientRef}/records');
  expect(listed).toContain('POST /consents');
  expect(listed).not.toContain('POST /records');
});

test('a clinician learns its practitioner id; no patient reference', async () => {
  const answer = await me('clinician1');
  expect(answer.ids).toEqual({ practitionerId: 'prac-h1-0001' });
  expect(answer.operations.map((o) => o.transaction)).toContain('records:createRecord');
});

test.each(Object.keys(TEST_USERS))('the operations listed for %s are exactly the routes its gate admits', async (user) => {
  const [mspId, attrs] = TEST_USERS[user]!;
  const who = { role: attrs['role'] ?? '', orgKind: ORGANIZATION_KINDS[mspId] };
  const answer = await me(user);
  const listed = new Set(answer.operations.map((o) => `${o.method} ${o.path}`));
  const admitted = CONTRACT_ROUTE_TABLE.filter((r) => gateRefusal(r.tx.callers, who) === undefined);
  const refused = CONTRACT_ROUTE_TABLE.filter((r) => gateRefusal(r.tx.callers, who) !== undefined);
  expect(refused.length).toBeGreaterThan(0);
  for (const route of admitted) expect(listed).toContain(`${route.method} ${openApiPath(route.url)}`);
  for (const route of refused) expect(listed).not.toContain(`${route.method} ${openApiPath(route.url)}`);
});

test('every listed operation is in the OpenAPI document under its method, path and operationId', async () => {
  const doc = (await t.inject({ method: 'GET', url: '/docs/json' })).json<{ paths: Record<string, Record<string, { operationId?: string }>> }>();
  for (const user of Object.keys(TEST_USERS)) {
    for (const op of (await me(user)).operations) expect(doc.paths[op.path]?.[op.method.toLowerCase()]?.operationId).toBe(op.operationId);
  }
  const ids = CONTRACT_ROUTE_TABLE.map(operationIdOf);
  expect(new Set(ids).size).toBe(ids.length);
});

test('without credentials, /me is 401', async () => {
  expect((await t.inject({ method: 'GET', url: '/me' })).statusCode).toBe(401);
});
