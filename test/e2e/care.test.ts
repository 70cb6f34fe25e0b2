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

async function createRecord(patientRef: string, content: Record<string, unknown>) {
  const recordId = uid('rec');
  const { response } = await api.as('clinician1').POST('/records', { body: { recordId, patientRef, category: 'lab-result', content } });
  expect(response.status).toBe(201);
  expect(response.headers.get('x-transaction-id')).toMatch(/^[0-9a-f]{64}$/);
  expect(response.headers.get('location')).toBe(`/records/${recordId}`);
  return recordId;
}

/** Reading content is a GET whose answer depends on the caller's granted access. */
const readContent = (user: string, recordId: string) => api.as(user).GET('/records/{recordId}/content', { params: { path: { recordId }, query: {} } });
const requestAccess = (user: string, recordId: string, body: { purpose: 'TREAT' | 'ETREAT'; emergencyId?: string }) =>
  api.as(user).POST('/records/{recordId}/access', { params: { path: { recordId } }, body });

/**
 * Every entry of PATIENT1's disclosure log from `since` on, page after page: on a ledger that
 * outlives a run, an earlier run's entries inside the window come first (oldest first) and can
 * fill the first page.
 */
async function disclosuresSince(since: string): Promise<Json[]> {
  const entries: Json[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const query = { from: since, to: '2100-01-01', limit: 100, ...(cursor === undefined ? {} : { cursor }) };
    const log = await api.as('patient1').GET('/patients/{patientRef}/disclosures', { params: { path: { patientRef: PATIENT1 }, query } });
    expect(log.response.status).toBe(200);
    // A 200 is a page (a 202, with Prefer: respond-async, would be an export operation).
    const data = log.data && 'items' in log.data ? log.data : undefined;
    entries.push(...(data?.items ?? []));
    if (!data?.nextCursor || data.items.length === 0) return entries;
    cursor = data.nextCursor;
  }
  throw new Error('the disclosure log did not end within 50 pages');
}

test('referral: hospital 2 reads a hospital 1 record only with consent; every access is in the disclosure log', async () => {
  const content = { resourceType: 'Observation', code: 'HbA1c', value: 7.1 };
  // On a ledger that outlives a run (real Fabric: the journeys run again after the upgrade) the
  // patient's log holds earlier runs' entries; the window starts a minute before this run and is
  // read to its end (disclosuresSince), so entries of a run that ended less than a minute ago
  // cannot push this run's off the page read.
  const since = new Date(Date.now() - 60_000).toISOString();
  const recordId = await createRecord(PATIENT1, content);

  // Without consent: the access request is logged as denied, and content stays closed.
  const denied = await requestAccess('clinician2', recordId, { purpose: 'TREAT' });
  expect(denied.response.status).toBe(201);
  // A decision is an answer: the denial is committed to the disclosure log and says why.
  expect(denied.data).toMatchObject({ outcome: 'denied', reason: 'no-consent', purpose: 'TREAT' });
  expect(denied.data?.disclosureId).toBe(denied.response.headers.get('x-transaction-id'));
  const closed = await readContent('clinician2', recordId);
  expect(closed.response.status).toBe(403);
  expect(closed.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(closed.error).toMatchObject({ code: 'ACCESS_NOT_GRANTED' });

  // The patient consents to hospital 2's clinicians for treatment.
  const consentId = uid('cns');
  const grant = await api.as('patient1').POST('/consents', {
    body: {
      consentId,
      patientRef: PATIENT1,
      grantee: { org: 'Hospital2MSP', role: 'clinician' },
      period: { start: '2020-01-01' },
      provisions: [{ type: 'permit', actions: ['access'], purposes: ['TREAT'] }],
    },
  });
  expect(grant.response.status).toBe(201);
  expect(grant.response.headers.get('location')).toBe(`/consents/${consentId}`);

  const granted = await requestAccess('clinician2', recordId, { purpose: 'TREAT' });
  expect(granted.data).toMatchObject({ outcome: 'granted', consentId });
  const read = await readContent('clinician2', recordId);
  expect(read.response.status).toBe(200);
  // JSON in, JSON out: the answer is the stored JSON document itself.
  expect(read.response.headers.get('content-type')).toBe('application/json');
  expect(read.data).toEqual(content);

  const mine = (await disclosuresSince(since)).filter((d: Json) => d.entity.recordId === recordId);
  expect(mine.map((d: Json) => [d.outcome, d.agent.org])).toEqual([
    ['denied', 'Hospital2MSP'],
    ['granted', 'Hospital2MSP'],
  ]);

  // Revocation takes effect at once: the open read window closes, new requests are denied.
  const revoked = await api.as('patient1').POST('/consents/{consentId}/revocation', { params: { path: { consentId } }, body: {} });
  expect(revoked.response.status).toBe(200);
  expect((await readContent('clinician2', recordId)).error).toMatchObject({ code: 'ACCESS_NOT_GRANTED' });
  expect((await requestAccess('clinician2', recordId, { purpose: 'TREAT' })).data).toMatchObject({ outcome: 'denied' });
});

test('emergency access is granted, flagged and reviewed by an auditor', async () => {
  const recordId = await createRecord(PATIENT2, { resourceType: 'AllergyIntolerance', code: 'penicillin' });
  const emergencyId = uid('em');
  // Break-the-glass names the emergency access opened first; without it the denial says so.
  const unnamed = await requestAccess('clinician2', recordId, { purpose: 'ETREAT' });
  expect(unnamed.data).toMatchObject({ outcome: 'denied', reason: 'emergency-id-missing' });
  const open = await api.as('clinician2').POST('/emergencies', {
    body: {
      emergencyId,
      patientRef: PATIENT2,
      reasonCode: 'unconscious',
      durationMinutes: 60,
      justification: 'Unconscious on arrival; allergy history needed',
    },
  });
  expect(open.response.status).toBe(201);
  expect(open.response.headers.get('location')).toBe(`/emergencies/${emergencyId}`);
  const access = await requestAccess('clinician2', recordId, { purpose: 'ETREAT', emergencyId });
  expect(access.data).toMatchObject({ outcome: 'granted', emergency: true, emergencyId });
  expect((await readContent('clinician2', recordId)).response.status).toBe(200);

  const pending = await api.as('auditor1').GET('/emergencies/unreviewed', { params: { query: { limit: 100 } } });
  expect(pending.response.status).toBe(200);
  expect((pending.data?.items ?? []).map((e: Json) => e.emergencyId)).toContain(emergencyId);
  const review = await api.as('auditor1').POST('/emergencies/{emergencyId}/review', { params: { path: { emergencyId } }, body: { outcome: 'justified' } });
  expect(review.response.status).toBe(200);
  const after = await api.as('auditor1').GET('/emergencies/{emergencyId}', { params: { path: { emergencyId } } });
  expect(after.data).toMatchObject({ emergencyId });
  expect(JSON.stringify(after.data)).not.toContain('Unconscious on arrival');
});

test('the auditor reads history and disclosures and verifies the ledger', async () => {
  const recordId = await createRecord(PATIENT1, { resourceType: 'Observation', code: 'BP' });
  const amended = await api.as('clinician1').POST('/records/{recordId}/versions', {
    params: { path: { recordId } },
    body: { expectedVersion: 1, content: { resourceType: 'Observation', code: 'BP', v: 2 } },
  });
  expect(amended.response.status).toBe(201);

  const auditor = api.as('auditor1');
  const history = await auditor.GET('/audit/history/{assetType}/{id}', { params: { path: { assetType: 'record', id: recordId }, query: {} } });
  expect(history.response.status).toBe(200);
  expect(history.data && 'items' in history.data ? history.data.items : undefined).toHaveLength(2);
  const disclosures = await auditor.GET('/patients/{patientRef}/disclosures', { params: { path: { patientRef: PATIENT1 }, query: { from: '2020-01-01', to: '2100-01-01', limit: 5 } } });
  expect(disclosures.response.status).toBe(200);

  const info = await auditor.GET('/ledger');
  expect(Number(info.data?.height)).toBeGreaterThan(1);
  const verification = await auditor.POST('/ledger/verification', { body: {} });
  expect(verification.data).toMatchObject({ valid: true, checkedBlocks: Number(info.data?.height) });
  const txId = amended.response.headers.get('x-transaction-id')!;
  const tx = await auditor.GET('/ledger/transactions/{txId}', { params: { path: { txId } } });
  expect(tx.data).toMatchObject({ txId, validation: 'VALID', function: 'records:amendRecord', creatorMspId: 'Hospital1MSP' });
  const block = await auditor.GET('/ledger/blocks/{number}', { params: { path: { number: tx.data!.blockNumber } } });
  expect(block.data?.transactions.map((t) => t.txId)).toContain(txId);
  // A clinician may not browse raw blocks.
  expect((await api.as('clinician1').GET('/ledger/blocks/{number}', { params: { path: { number: '0' } } })).response.status).toBe(403);
});

test('GET /me tells a patient its reference and what it may call; the chaincode refuses what is not listed', async () => {
  const patient = api.as('patient1');
  const me = await patient.GET('/me');
  expect(me.response.status).toBe(200);
  expect(me.data).toMatchObject({ user: 'patient1', role: 'patient', organisation: { mspId: 'Hospital1MSP', kind: 'provider' }, ids: { patientRef: PATIENT1 } });
  const listed = (me.data?.operations ?? []).map((o) => `${o.method} ${o.path}`);
  expect(listed).toContain('GET /patients/{patientRef}/records');
  expect(listed).not.toContain('POST /records');

  const own = await patient.GET('/patients/{patientRef}/records', { params: { path: { patientRef: me.data!.ids.patientRef! }, query: {} } });
  expect(own.response.status).toBe(200);
  const refused = await patient.POST('/records', { body: { recordId: uid('rec'), patientRef: PATIENT1, category: 'lab-result', content: {} } });
  expect(refused.response.status).toBe(403);
  expect(refused.error).toMatchObject({ code: 'ROLE_FORBIDDEN' });
});
