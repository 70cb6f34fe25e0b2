/**
 * Idempotency-Key: a retried request is answered from the gateway's store without a second
 * transaction. Runs on the devnet and, under `npm run test:fabric`, on real Fabric (it looks at the
 * ledger only through the audit history).
 */
import { client, uid } from './http';
import { startJourneys, type JourneyNetwork } from './network';

let net: JourneyNetwork;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  net = await startJourneys('idempotency');
  api = client(net);
}, 120_000);
afterAll(async () => net?.stop());

/**
 * A research consent: no journey requests access for HRESCH, so the consents this file leaves
 * active on a persistent ledger (test:fabric runs every journey twice) change no other journey's
 * access decision — the care journey expects Hospital 2 to be denied TREAT before its own consent.
 */
const consentBody = (consentId: string) => ({
  consentId,
  patientRef: 'pt-0c5f1a9e',
  grantee: { org: 'Hospital2MSP' },
  period: { start: '2020-01-01' },
  provisions: [{ type: 'permit', actions: ['access'], purposes: ['HRESCH'] }],
});

test('Idempotency-Key: a retried grant returns the same answer and commits once', async () => {
  const consentId = uid('idem');
  const key = uid('key');
  const first = await api.post('patient1', '/consents', consentBody(consentId), { 'idempotency-key': key });
  const second = await api.post('patient1', '/consents', consentBody(consentId), { 'idempotency-key': key });
  expect(first.status).toBe(201);
  expect(second.status).toBe(201);
  expect(second.body).toEqual(first.body);
  expect(second.headers.get('x-transaction-id')).toBe(first.headers.get('x-transaction-id'));
  expect(second.headers.get('idempotent-replayed')).toBe('true');
  const history = await api.get('auditor1', `/audit/history/consent/${consentId}`);
  expect(history.body.items).toHaveLength(1);
  // Without the key, the same request is a second transaction, which the contract refuses.
  expect((await api.post('patient1', '/consents', consentBody(consentId))).status).toBe(409);
});
