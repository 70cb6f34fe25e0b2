/**
 * Record content by media type: the bytes are stored as given (the hash covers them as stored),
 * the type sits on the public entry and each version, and a creation cannot name another type
 * than the one its content was staged and checked under.
 */
import { bytesRead, createRecord, PATIENT, recordsFixture, salted, saltedHash } from '../testing/records-fixture';
import { phi } from '../testing/privacy';
import type { RecordEntry } from './record';

const H1 = 'Hospital1MSP';
const pdf = (text: string) => Buffer.from(`%PDF-1.4\n%\u00e2\u00e3\n1 0 obj << /Text (${text}) >> endobj\n%%EOF\n`, 'latin1');
const png = (text: string) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from(text, 'latin1'), Buffer.from([0, 0xff, 0x10])]);

async function setup() {
  const f = await recordsFixture();
  const request = (recordId: string, contentType?: string) => ({ recordId, patientRef: PATIENT, category: 'imaging', ...(contentType ? { contentType } : {}) });
  const read = async (recordId: string, version?: number) => {
    await f.submit(f.users.clinician1, 'records:requestAccess', { recordId, purpose: 'TREAT' });
    return f.evaluate<{ contentType: string; data: string; contentHash: string }>(f.users.clinician1, 'records:readContent', { recordId, ...(version ? { version } : {}) }, { peer: H1 });
  };
  return { ...f, request, read };
}

test('a binary document is stored byte for byte, its type on the entry and the version; the hash covers the bytes as stored', async () => {
  const { submit, users, request, read, ledger } = await setup();
  const doc = pdf(phi('scan'));
  const record = await createRecord<RecordEntry>(submit, users.clinician1, request('rec-pdf', 'application/pdf'), doc);
  expect(record).toMatchObject({ contentType: 'application/pdf', contentHash: saltedHash(doc), versions: [{ version: 1, contentType: 'application/pdf' }] });
  const answer = await read('rec-pdf');
  expect(answer).toMatchObject({ contentType: 'application/pdf', contentHash: saltedHash(doc) });
  expect(bytesRead(answer).equals(doc)).toBe(true);

  const image = png(phi('image'));
  const amended = await submit<RecordEntry>(users.clinician1, 'records:amendRecord', { recordId: 'rec-pdf', contentType: 'image/png' }, { transient: salted({ content: image }) });
  expect(amended.versions.map((v) => [v.version, v.contentType])).toEqual([
    [1, 'application/pdf'],
    [2, 'image/png'],
  ]);
  expect(bytesRead(await read('rec-pdf')).equals(image)).toBe(true);
  expect(bytesRead(await read('rec-pdf', 1)).equals(doc)).toBe(true);
  // Not a byte of either document on the public ledger (the privacy scan also looks for the markers).
  expect(ledger.publicRecords.filter((r) => Buffer.from(r.bytes).includes(doc.subarray(0, 24)) || Buffer.from(r.bytes).includes(image.subarray(8, 20)))).toEqual([]);
});

test('text is UTF-8; JSON is the default type', async () => {
  const { submit, users, request, read } = await setup();
  const note = `Seen today — ${phi('note')}`;
  await createRecord(submit, users.clinician1, request('rec-txt', 'text/plain'), note);
  expect(bytesRead(await read('rec-txt')).toString('utf8')).toBe(note);
  await expect(createRecord(submit, users.clinician1, request('rec-bad', 'text/plain'), Buffer.from([0xc3, 0x28]))).rejects.toThrow(/^CONTENT_INVALID: .*UTF-8/);
  const json = await createRecord<RecordEntry>(submit, users.clinician1, request('rec-json'), '{"a":1}');
  expect(json.contentType).toBe('application/json');
});

test('bytes that are not a document of the type are refused, and so is a creation naming another type than the staged one', async () => {
  const { submit, users, request } = await setup();
  await expect(createRecord(submit, users.clinician1, request('rec-x', 'application/pdf'), png('x'))).rejects.toThrow(/^CONTENT_INVALID: .*application\/pdf/);
  await expect(createRecord(submit, users.clinician1, request('rec-x', 'application/dicom'), pdf('x'))).rejects.toThrow(/^CONTENT_INVALID/);
  await expect(createRecord(submit, users.clinician1, request('rec-x', 'image/gif'), png('x'))).rejects.toThrow(/^VALIDATION_FAILED: .*contentType/);

  const staged = await submit<{ contentHash: string }>(users.clinician1, 'records:stageContent', request('rec-y', 'image/png'), { transient: salted({ content: png('y') }) });
  await expect(submit(users.clinician1, 'records:createRecord', { ...request('rec-y', 'application/pdf'), contentHash: staged.contentHash })).rejects.toThrow(/^CONTENT_TYPE_MISMATCH/);
  await expect(submit(users.clinician1, 'records:createRecord', { ...request('rec-y'), contentHash: staged.contentHash })).rejects.toThrow(/^CONTENT_TYPE_MISMATCH/);
  await expect(submit(users.clinician1, 'records:createRecord', { ...request('rec-y', 'image/png'), contentHash: staged.contentHash })).resolves.toMatchObject({ contentType: 'image/png' });
});

test('a presented copy verifies byte for byte; under another media type it does not match', async () => {
  const { submit, evaluate, users, request } = await setup();
  const doc = pdf('report');
  await createRecord(submit, users.clinician1, request('rec-v', 'application/pdf'), doc);
  const verify = (copy: Buffer, contentType?: string) =>
    evaluate<{ matches: boolean }>(users.auditor1, 'records:verifyContent', { recordId: 'rec-v', ...(contentType ? { contentType } : {}) }, { peer: H1, transient: { content: copy } });
  expect(await verify(doc)).toMatchObject({ matches: true });
  expect(await verify(doc, 'application/pdf')).toMatchObject({ matches: true });
  expect(await verify(doc, 'text/plain')).toMatchObject({ matches: false });
  expect(await verify(Buffer.concat([doc, Buffer.from(' ')]))).toMatchObject({ matches: false });
});
