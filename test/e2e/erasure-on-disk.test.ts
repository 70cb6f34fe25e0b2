/**
 * GDPR erasure removes the bytes: after `POST /records/{id}/erasure` (a Fabric purge) the content
 * must be on no file under the data directory — not the devnet's private data files, not anything
 * the gateway keeps — both as a kill -9 would leave it (right after the erasure is answered) and
 * after a clean stop; and the ledger must still reopen. Devnet only: real Fabric's peers keep
 * their own disks.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { client, uid } from './http';
import { startE2e, type E2eNetwork } from './network';

const PATIENT1 = 'pt-0c5f1a9e';

/** Files under `dir` whose bytes contain `marker`. */
function filesContaining(dir: string, marker: string): string[] {
  const needle = Buffer.from(marker, 'utf8');
  const found: string[] = [];
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (readFileSync(file).includes(needle)) found.push(path.relative(dir, file));
  }
  return found;
}

let dir: string;
let net: E2eNetwork | undefined;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hl-erasure-disk-'));
});
afterAll(async () => {
  await net?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('an erased record leaves no byte of its content on disk, before and after a clean stop', async () => {
  net = await startE2e('erasure-disk', { dataDir: dir });
  const api = client(net);
  const marker = uid('erase-me');
  const kept = uid('keep-me');
  const recordId = uid('rec');
  const other = uid('rec');
  expect((await api.post('clinician1', '/records', { recordId, patientRef: PATIENT1, category: 'lab-result', content: { note: marker } })).status).toBe(201);
  expect((await api.post('clinician1', '/records', { recordId: other, patientRef: PATIENT1, category: 'lab-result', content: { note: kept } })).status).toBe(201);
  // A large document is kept as a blob file of the devnet's ledger, outside LevelDB: erased too.
  const bigMarker = uid('erase-big');
  const bigRecordId = uid('rec');
  const bigNote = bigMarker + 'x'.repeat(200_000);
  expect((await api.post('clinician1', '/records', { recordId: bigRecordId, patientRef: PATIENT1, category: 'lab-result', content: { note: bigNote } })).status).toBe(201);
  // Otherwise the test would prove nothing: the content is on disk before the erasure.
  expect(filesContaining(dir, marker).length).toBeGreaterThan(0);
  expect(filesContaining(dir, bigMarker).some((file) => file.split(path.sep).includes('blobs'))).toBe(true);

  const erased = await api.post('recordsadmin1', `/records/${recordId}/erasure`, { reason: 'patient-request' });
  expect(erased.status).toBe(200);
  expect((await api.post('recordsadmin1', `/records/${bigRecordId}/erasure`, { reason: 'patient-request' })).status).toBe(200);
  // What a kill -9 right now would leave.
  expect(filesContaining(dir, marker)).toEqual([]);
  expect(filesContaining(dir, bigMarker)).toEqual([]);

  await net.stop();
  net = undefined;
  expect(filesContaining(dir, marker)).toEqual([]);
  // Unerased private data survives the rewrite and the restart.
  expect(filesContaining(dir, kept).length).toBeGreaterThan(0);

  net = await startE2e('erasure-disk', { dataDir: dir });
  const again = client(net);
  expect((await again.post('clinician1', `/records/${other}/access`, { purpose: 'TREAT' })).body).toMatchObject({ outcome: 'granted' });
  const read = await again.get('clinician1', `/records/${other}/content`);
  expect(read.status).toBe(200);
  expect(read.body).toEqual({ note: kept });
  const gone = await again.get('clinician1', `/records/${recordId}/content`);
  expect([gone.status, gone.body.code]).toEqual([409, 'RECORD_ERASED']);
  expect(filesContaining(dir, marker)).toEqual([]);
});
