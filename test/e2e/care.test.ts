/**
 * Care journeys through HTTP: referral with consent (and the disclosure log), revocation taking
 * effect, emergency access flagged and reviewed, and the auditor's view. Runs on the devnet and,
 * under `npm run test:fabric`, on real Fabric.
 */
import { client, uid, type Json } from './http';
import { startJourneys, type JourneyNetwork } from './network';

let net: JourneyNetwork;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  net = await startJourneys('care');
  api = client(net);
}, 120_000);
afterAll(async () => net?.stop());

const PATIENT1 = 'pt-0c5f1a9e';
const PATIENT2 = 'pt-8e41d3b2';

async function createRecord(patientRef: string, content: object) {
  const recordId = uid('rec');
  const res = await api.post('clinician1', '/records', { recordId, patientRef, category: 'lab-result', content });
  expect(res.status).toBe(201);
  expect(res.headers.get('x-transaction-id')).toMatch(/^[0-9a-f]{64}$/);
  return recordId;
}

test('referral: hospital 2 reads a hospital 1 record only with consent; every access is in the disclosure log', async () => {
  const content = { resourceType: 'Observation', code: 'HbA1c', value: 7.1 };
  const recordId = await createRecord(PATIENT1, content);

  // Without consent: the access request is logged as denied, and content stays closed.
  const denied = await api.post('clinician2', `/records/${recordId}/access`, { purpose: 'TREAT' });
  expect(denied.status).toBe(201);
  expect(denied.body).toMatchObject({ outcome: 'denied' });
  const closed = await api.get('clinician2', `/records/${recordId}/content`);
  expect(closed.status).toBe(403);
  expect(closed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(closed.body).toMatchObject({ code: 'ACCESS_NOT_GRANTED' });

  // The patient consents to hospital 2's clinicians for treatment.
  const consentId = uid('cns');
  const grant = await api.post('patient1', '/consents', {
    consentId,
    patientRef: PATIENT1,
    grantee: { org: 'Hospital2MSP', role: 'clinician' },
    period: { start: '2020-01-01' },
    provisions: [{ type: 'permit', actions: ['access'], purposes: ['TREAT'] }],
  });
  expect(grant.status).toBe(201);

  const granted = await api.post('clinician2', `/records/${recordId}/access`, { purpose: 'TREAT' });
  expect(granted.body).toMatchObject({ outcome: 'granted', consentId });
  const read = await api.get('clinician2', `/records/${recordId}/content`);
  expect(read.status).toBe(200);
  expect(JSON.parse(read.body.content)).toEqual(content);

  const log = await api.get('patient1', `/patients/${PATIENT1}/disclosures?from=2020-01-01&to=2100-01-01`);
  expect(log.status).toBe(200);
  const mine = log.body.items.filter((d: Json) => d.entity.recordId === recordId);
  expect(mine.map((d: Json) => [d.outcome, d.agent.org])).toEqual([
    ['denied', 'Hospital2MSP'],
    ['granted', 'Hospital2MSP'],
  ]);

  // Revocation takes effect at once: the open read window closes, new requests are denied.
  expect((await api.post('patient1', `/consents/${consentId}/revocation`)).status).toBe(200);
  expect((await api.get('clinician2', `/records/${recordId}/content`)).body).toMatchObject({ code: 'ACCESS_NOT_GRANTED' });
  expect((await api.post('clinician2', `/records/${recordId}/access`, { purpose: 'TREAT' })).body).toMatchObject({ outcome: 'denied' });
});

test('emergency access is granted, flagged and reviewed by an auditor', async () => {
  const recordId = await createRecord(PATIENT2, { resourceType: 'AllergyIntolerance', code: 'penicillin' });
  const emergencyId = uid('em');
  const open = await api.post('clinician2', '/emergencies', {
    emergencyId,
    patientRef: PATIENT2,
    reasonCode: 'unconscious',
    durationMinutes: 60,
    justification: 'Unconscious on arrival; allergy history needed',
  });
  expect(open.status).toBe(201);
  const access = await api.post('clinician2', `/records/${recordId}/access`, { purpose: 'ETREAT', emergencyId });
  expect(access.body).toMatchObject({ outcome: 'granted', emergency: true, emergencyId });
  expect((await api.get('clinician2', `/records/${recordId}/content`)).status).toBe(200);

  const pending = await api.get('auditor1', '/emergencies/unreviewed?limit=100');
  expect(pending.status).toBe(200);
  expect(pending.body.items.map((e: Json) => e.emergencyId)).toContain(emergencyId);
  const review = await api.post('auditor1', `/emergencies/${emergencyId}/review`, { outcome: 'justified' });
  expect(review.status).toBe(200);
  const after = await api.get('auditor1', `/emergencies/${emergencyId}`);
  expect(after.body).toMatchObject({ emergencyId });
  expect(JSON.stringify(after.body)).not.toContain('Unconscious on arrival');
});

test('the auditor reads history and disclosures and verifies the ledger', async () => {
  const recordId = await createRecord(PATIENT1, { resourceType: 'Observation', code: 'BP' });
  const amended = await api.post('clinician1', `/records/${recordId}/versions`, { expectedVersion: 1, content: { resourceType: 'Observation', code: 'BP', v: 2 } });
  expect(amended.status).toBe(201);

  const history = await api.get('auditor1', `/audit/history/record/${recordId}`);
  expect(history.status).toBe(200);
  expect(history.body.items).toHaveLength(2);
  const disclosures = await api.get('auditor1', `/patients/${PATIENT1}/disclosures?from=2020-01-01&to=2100-01-01&limit=5`);
  expect(disclosures.status).toBe(200);

  const info = await api.get('auditor1', '/ledger');
  expect(Number(info.body.height)).toBeGreaterThan(1);
  const verification = await api.post('auditor1', '/ledger/verification', {});
  expect(verification.body).toMatchObject({ valid: true, checkedBlocks: Number(info.body.height) });
  const txId = amended.headers.get('x-transaction-id')!;
  const tx = await api.get('auditor1', `/ledger/transactions/${txId}`);
  expect(tx.body).toMatchObject({ txId, validation: 'VALID', function: 'records:amendRecord', creatorMspId: 'Hospital1MSP' });
  const block = await api.get('auditor1', `/ledger/blocks/${tx.body.blockNumber}`);
  expect(block.body.transactions.map((t: Json) => t.txId)).toContain(txId);
  // A clinician may not browse raw blocks.
  expect((await api.get('clinician1', '/ledger/blocks/0')).status).toBe(403);
});
