/**
 * Erasure with purge: a record's content is read under a granted access, then erased by the
 * custodian's records admin (Fabric 2.5 purge of every version's private content). Afterwards the
 * content cannot be read, a presented copy still verifies against the recorded hash, and the
 * record's history shows the erasure. Runs on the devnet and, under `npm run test:fabric`, on
 * real Fabric. (That the devnet's private store no longer holds the content is checked in
 * gateway-features.test.ts: only the devnet lets a test look inside a peer's private store.)
 */
import { client, uid, type Json } from './http';
import { startJourneys, type JourneyNetwork } from './network';

let net: JourneyNetwork;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  net = await startJourneys('erasure');
  api = client(net);
}, 120_000);
afterAll(async () => net?.stop());

const PATIENT1 = 'pt-0c5f1a9e';

test('erasure: the content is purged, its hash still verifies a copy, and the history shows it', async () => {
  const recordId = uid('rec');
  const content = { resourceType: 'Observation', code: 'HIV-1 RNA', note: uid('private') };
  const created = await api.post('clinician1', '/records', { recordId, patientRef: PATIENT1, category: 'lab-result', content });
  expect(created.status).toBe(201);

  // Read under a granted access (the custodian's own clinician, for treatment); keep the copy.
  const access = await api.post('clinician1', `/records/${recordId}/access`, { purpose: 'TREAT' });
  expect(access.body).toMatchObject({ outcome: 'granted' });
  const read = await api.get('clinician1', `/records/${recordId}/content`);
  expect(read.status).toBe(200);
  expect(read.body).toEqual(content);
  const copy: typeof content = read.body;

  // Only the custodian's records admin erases.
  expect((await api.post('clinician1', `/records/${recordId}/erasure`, { reason: 'patient-request' })).status).toBe(403);
  const erased = await api.post('recordsadmin1', `/records/${recordId}/erasure`, { reason: 'patient-request' });
  expect(erased.status).toBe(200);
  expect(erased.body).toMatchObject({ recordId, erased: true, erasureReason: 'patient-request' });
  const erasureTx = erased.headers.get('x-transaction-id');
  expect(erasureTx).toMatch(/^[0-9a-f]{64}$/);

  // The content is gone: the open read window no longer reads it, and no new access opens one.
  const gone = await api.get('clinician1', `/records/${recordId}/content`);
  expect([gone.status, gone.body.code]).toEqual([409, 'RECORD_ERASED']);
  expect(gone.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(JSON.stringify(gone.body)).not.toContain(content.note);
  const again = await api.post('clinician1', `/records/${recordId}/access`, { purpose: 'TREAT' });
  expect([again.status, again.body.code]).toEqual([409, 'RECORD_ERASED']);
  // Erasing twice is refused the same way.
  expect((await api.post('recordsadmin1', `/records/${recordId}/erasure`, { reason: 'patient-request' })).body).toMatchObject({ code: 'RECORD_ERASED' });

  // The hashes stay: a presented copy still matches, an altered one does not.
  const verified = await api.post('auditor1', `/records/${recordId}/verification`, { content: copy });
  expect(verified.status).toBe(200);
  expect(verified.body).toMatchObject({ recordId, version: 1, erased: true, matches: true });
  expect(verified.body.presentedHash).toBe(verified.body.recordedHash);
  const altered = await api.post('auditor1', `/records/${recordId}/verification`, { content: { ...copy, code: 'HIV-2 RNA' } });
  expect(altered.body).toMatchObject({ erased: true, matches: false });

  // The metadata records the erasure; the history (newest first) shows it as the latest write.
  const meta = await api.get('clinician1', `/records/${recordId}`);
  expect(meta.body).toMatchObject({ recordId, erased: true, erasureReason: 'patient-request' });
  expect(JSON.stringify(meta.body)).not.toContain(content.note);
  const history = await api.get('auditor1', `/audit/history/record/${recordId}`);
  expect(history.status).toBe(200);
  expect(history.body.items.map((e: Json) => [e.txId, e.value.erased])).toEqual([
    [erasureTx, true],
    [created.headers.get('x-transaction-id'), false],
  ]);
  expect(JSON.stringify(history.body)).not.toContain(content.note);
});
