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
  const record = { params: { path: { recordId } } };
  const content = { resourceType: 'Observation', code: 'HIV-1 RNA', note: uid('private') };
  const created = await api.as('clinician1').POST('/records', { body: { recordId, patientRef: PATIENT1, category: 'lab-result', content } });
  expect(created.response.status).toBe(201);

  // Read under a granted access (the custodian's own clinician, for treatment); keep the copy.
  const requestAccess = () => api.as('clinician1').POST('/records/{recordId}/access', { ...record, body: { purpose: 'TREAT' } });
  const readContent = () => api.as('clinician1').GET('/records/{recordId}/content', { params: { path: { recordId }, query: {} } });
  expect((await requestAccess()).data).toMatchObject({ outcome: 'granted' });
  const read = await readContent();
  expect(read.response.status).toBe(200);
  expect(read.data).toEqual(content);
  const copy = read.data as typeof content;

  // Only the custodian's records admin erases.
  const erase = (user: string) => api.as(user).POST('/records/{recordId}/erasure', { ...record, body: { reason: 'patient-request' } });
  expect((await erase('clinician1')).response.status).toBe(403);
  const erased = await erase('recordsadmin1');
  expect(erased.response.status).toBe(200);
  expect(erased.data).toMatchObject({ recordId, erased: true, erasureReason: 'patient-request' });
  const erasureTx = erased.response.headers.get('x-transaction-id');
  expect(erasureTx).toMatch(/^[0-9a-f]{64}$/);

  // The content is gone: the open read window no longer reads it, and no new access opens one.
  const gone = await readContent();
  expect([gone.response.status, gone.error?.code]).toEqual([409, 'RECORD_ERASED']);
  expect(gone.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(JSON.stringify(gone.error)).not.toContain(content.note);
  const again = await requestAccess();
  expect([again.response.status, again.error?.code]).toEqual([409, 'RECORD_ERASED']);
  // Erasing twice is refused the same way.
  expect((await erase('recordsadmin1')).error).toMatchObject({ code: 'RECORD_ERASED' });

  // The hashes stay: a presented copy still matches, an altered one does not.
  const verify = (presented: Record<string, unknown>) => api.as('auditor1').POST('/records/{recordId}/verification', { ...record, body: { content: presented } });
  const verified = await verify(copy);
  expect(verified.response.status).toBe(200);
  expect(verified.data).toMatchObject({ recordId, version: 1, erased: true, matches: true });
  expect(verified.data?.presentedHash).toBe(verified.data?.recordedHash);
  const altered = await verify({ ...copy, code: 'HIV-2 RNA' });
  expect(altered.data).toMatchObject({ erased: true, matches: false });

  // The metadata records the erasure; the history (newest first) shows it as the latest write.
  const meta = await api.as('clinician1').GET('/records/{recordId}', record);
  expect(meta.data).toMatchObject({ recordId, erased: true, erasureReason: 'patient-request' });
  expect(JSON.stringify(meta.data)).not.toContain(content.note);
  const history = await api.as('auditor1').GET('/audit/history/{assetType}/{id}', { params: { path: { assetType: 'record', id: recordId }, query: {} } });
  expect(history.response.status).toBe(200);
  const items = history.data && 'items' in history.data ? history.data.items : [];
  expect(items.map((e: Json) => [e.txId, e.value.erased])).toEqual([
    [erasureTx, true],
    [created.response.headers.get('x-transaction-id'), false],
  ]);
  expect(JSON.stringify(history.data)).not.toContain(content.note);
});
