/**
 * Idempotency-Key: a retried request is answered from the gateway's store without a second
 * transaction. Runs on the devnet and, under `npm run test:fabric`, on real Fabric (it looks at the
 * ledger only through the audit history).
 */
import { client, researchConsent, uid } from './http';
import { startJourneys, type JourneyNetwork } from './network';

let net: JourneyNetwork;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  net = await startJourneys('idempotency');
  api = client(net);
}, 120_000);
afterAll(async () => net?.stop());

/** A research consent (http.ts says why it changes no other journey's access decision). */
const consentBody = researchConsent;

test('Idempotency-Key: a retried grant returns the same answer and commits once', async () => {
  const consentId = uid('idem');
  const key = uid('key');
  const grant = (headers: Record<string, string> = {}) => api.as('patient1').POST('/consents', { body: consentBody(consentId), headers });
  const first = await grant({ 'idempotency-key': key });
  const second = await grant({ 'idempotency-key': key });
  expect(first.response.status).toBe(201);
  expect(second.response.status).toBe(201);
  expect(second.data).toEqual(first.data);
  expect(second.response.headers.get('x-transaction-id')).toBe(first.response.headers.get('x-transaction-id'));
  expect(second.response.headers.get('idempotent-replayed')).toBe('true');
  const history = await api.as('auditor1').GET('/audit/history/{assetType}/{id}', { params: { path: { assetType: 'consent', id: consentId }, query: {} } });
  expect(history.data && 'items' in history.data ? history.data.items : undefined).toHaveLength(1);
  // Without the key, the same request is a second transaction, which the contract refuses.
  expect((await grant()).response.status).toBe(409);
});
