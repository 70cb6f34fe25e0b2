/**
 * Record content with media types, through HTTP: JSON in and JSON out, UTF-8 text, a real PDF and
 * PNG uploaded raw and read back byte for byte under their type, the FHIR DocumentReference naming
 * the type, a copy verified byte for byte, the 4 MiB limit (413) and unsupported or mislabelled
 * types (415, 400) refused before anything is written — and no byte of a document in any block.
 * Runs on the devnet and, under `npm run test:fabric`, on real Fabric.
 */
import { randomBytes } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import { FabricConnection } from '@healthledger/gateway/fabric/connection';
import { client, uid } from './http';
import { tinyPdf, tinyPng } from './documents';
import { startJourneys, type JourneyNetwork } from './network';

let net: JourneyNetwork;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  net = await startJourneys('record-media');
  api = client(net);
}, 120_000);
afterAll(async () => net?.stop());

const PATIENT1 = 'pt-0c5f1a9e';
const MAX = 4 * 1024 * 1024;

/** A request whose body is bytes, as a document upload is; the answer's bytes kept as they are. */
async function raw(user: string, method: string, url: string, body?: Buffer, contentType?: string) {
  const headers: Record<string, string> = { authorization: await net.bearer(user) };
  if (contentType) headers['content-type'] = contentType;
  const res = await fetch(net.urlFor(user) + url, { method, headers, body });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}
const problemOf = (r: { bytes: Buffer }) => JSON.parse(r.bytes.toString('utf8')) as { code: string };

/** Opens the read window (the custodian's clinician, for treatment), then reads a version's content. */
async function readContent(recordId: string, version?: number) {
  expect((await api.post('clinician1', `/records/${recordId}/access`, { purpose: 'TREAT' })).body).toMatchObject({ outcome: 'granted' });
  return raw('clinician1', 'GET', `/records/${recordId}/content${version ? `?version=${version}` : ''}`);
}

test('JSON in, JSON out; text as UTF-8 text; the media type on the entry and in FHIR', async () => {
  const json = uid('rec');
  const content = { resourceType: 'Observation', code: 'HbA1c', value: 7.1, note: 'naïve' };
  expect((await api.post('clinician1', '/records', { recordId: json, patientRef: PATIENT1, category: 'lab-result', content })).status).toBe(201);
  const read = await readContent(json);
  expect([read.status, read.headers.get('content-type')]).toEqual([200, 'application/json']);
  expect(JSON.parse(read.bytes.toString('utf8'))).toEqual(content);
  expect((await api.get('clinician1', `/records/${json}`)).body).toMatchObject({ contentType: 'application/json', versions: [{ contentType: 'application/json' }] });

  const text = uid('rec');
  const note = 'Seen today. BP 120/80 — no change.\n';
  expect((await api.post('clinician1', '/records', { recordId: text, patientRef: PATIENT1, category: 'clinical-note', content: note, contentType: 'text/plain' })).status).toBe(201);
  const readText = await readContent(text);
  expect([readText.status, readText.headers.get('content-type'), readText.bytes.toString('utf8')]).toEqual([200, 'text/plain; charset=utf-8', note]);
  const doc = await api.get('clinician1', `/fhir/DocumentReference/${text}`);
  expect(doc.body.content[0].attachment.contentType).toBe('text/plain');
});

test('a PDF and a PNG are stored and read back byte for byte under their type; a copy verifies byte for byte', async () => {
  const recordId = uid('rec');
  const marker = uid('scan-report');
  const pdf = tinyPdf(`Imaging report ${marker}`);
  const created = await raw('clinician1', 'PUT', `/records/${recordId}/content?patientRef=${PATIENT1}&category=imaging`, pdf, 'application/pdf');
  expect(created.status).toBe(201);
  expect(created.headers.get('location')).toBe(`/records/${recordId}`);
  const entry = JSON.parse(created.bytes.toString('utf8'));
  expect(entry).toMatchObject({ recordId, version: 1, contentType: 'application/pdf' });
  expect(created.bytes.includes(marker)).toBe(false);

  const read = await readContent(recordId);
  expect(read.status).toBe(200);
  expect(read.headers.get('content-type')).toBe('application/pdf');
  expect(read.bytes.equals(pdf)).toBe(true);
  expect(read.headers.get('etag')).toBe(`"${entry.contentHash}"`);
  expect(read.headers.get('cache-control')).toBe('no-store');

  // A new version of another type; the first stays readable as it was, and the hashes chain.
  const png = tinyPng(marker);
  const amended = await raw('clinician1', 'POST', `/records/${recordId}/content?expectedVersion=1`, png, 'image/png');
  expect(amended.status).toBe(201);
  const v2 = JSON.parse(amended.bytes.toString('utf8'));
  expect(v2).toMatchObject({ version: 2, contentType: 'image/png', previousHash: entry.contentHash });
  expect(v2.versions.map((v: { contentType: string }) => v.contentType)).toEqual(['application/pdf', 'image/png']);
  const latest = await readContent(recordId);
  expect([latest.headers.get('content-type'), latest.bytes.equals(png)]).toEqual(['image/png', true]);
  const first = await raw('clinician1', 'GET', `/records/${recordId}/content?version=1`);
  expect([first.headers.get('content-type'), first.bytes.equals(pdf)]).toEqual(['application/pdf', true]);
  const doc = await api.get('clinician1', `/fhir/DocumentReference/${recordId}`);
  expect(doc.body.content[0].attachment.contentType).toBe('image/png');

  // Checking a copy: the exact bytes match; one byte changed, or the right bytes under another type, do not.
  const verify = async (bytes: Buffer, type: string, version = 1) => JSON.parse((await raw('auditor1', 'POST', `/records/${recordId}/content/verification?version=${version}`, bytes, type)).bytes.toString('utf8'));
  expect(await verify(pdf, 'application/pdf')).toMatchObject({ version: 1, matches: true, recordedHash: entry.contentHash });
  const altered = Buffer.from(pdf);
  const at = altered.length - 10;
  altered.writeUInt8(altered.readUInt8(at) ^ 1, at);
  expect(await verify(altered, 'application/pdf')).toMatchObject({ matches: false });
  expect(await verify(pdf, 'text/plain')).toMatchObject({ matches: false });
  expect(await verify(png, 'image/png', 2)).toMatchObject({ version: 2, matches: true });

  // No byte of either document reached a block: not the marker, not the documents themselves.
  const blocks = await rawBlocks(BigInt(created.headers.get('x-block-number') ?? '0'));
  if (blocks) {
    expect(blocks.length).toBeGreaterThan(1);
    expect(blocks.some((b) => b.includes(marker))).toBe(false);
    expect(blocks.some((b) => b.includes(pdf.subarray(0, 64)) || b.includes(png.subarray(16, 48)))).toBe(false);
  }
  const history = await api.get('auditor1', `/audit/history/record/${recordId}`);
  expect(history.status).toBe(200);
  expect(JSON.stringify(history.body)).not.toContain(marker);
});

test('a document of the largest size taken (4 MiB) is stored and read back byte for byte', async () => {
  // The large-body path: the gateway holds the upload as a view into its proposal (fabric/transaction.ts).
  const recordId = uid('rec');
  const head = tinyPdf(uid('large-scan'));
  const doc = Buffer.concat([head, randomBytes(MAX - head.length)]);
  const created = await raw('clinician1', 'PUT', `/records/${recordId}/content?patientRef=${PATIENT1}&category=imaging`, doc, 'application/pdf');
  expect(created.status).toBe(201);
  const read = await readContent(recordId);
  expect([read.status, read.bytes.length, read.bytes.equals(doc)]).toEqual([200, MAX, true]);
});

test('over 4 MiB is 413, an unsupported type 415, a mislabelled document 400; nothing is written', async () => {
  const recordId = uid('rec');
  const put = (body: Buffer, type: string) => raw('clinician1', 'PUT', `/records/${recordId}/content?patientRef=${PATIENT1}&category=imaging`, body, type);

  const big = Buffer.concat([tinyPdf('big'), Buffer.alloc(MAX, 0x20)]);
  const tooBig = await put(big, 'application/pdf');
  expect([tooBig.status, problemOf(tooBig).code]).toEqual([413, 'CONTENT_TOO_LARGE']);
  const inJson = await api.post('clinician1', '/records', { recordId, patientRef: PATIENT1, category: 'clinical-note', content: 'x'.repeat(MAX + 1), contentType: 'text/plain' });
  expect([inJson.status, inJson.body.code]).toEqual([413, 'CONTENT_TOO_LARGE']);

  const gif = await put(Buffer.from('GIF89a\u0001\u0000\u0001\u0000', 'latin1'), 'image/gif');
  expect([gif.status, problemOf(gif).code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
  const pdfInJson = await api.post('clinician1', '/records', { recordId, patientRef: PATIENT1, category: 'imaging', content: 'JVBERi0xLjQ=', contentType: 'application/pdf' });
  expect([pdfInJson.status, pdfInJson.body.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);

  // The chaincode checks the bytes against the type: a PNG is not a PDF, and JSON must parse.
  const mislabelled = await put(tinyPng('x'), 'application/pdf');
  expect([mislabelled.status, problemOf(mislabelled).code]).toEqual([400, 'CONTENT_INVALID']);
  const badJson = await put(Buffer.from('{"a":'), 'application/json');
  expect([badJson.status, problemOf(badJson).code]).toEqual([400, 'CONTENT_INVALID']);

  expect((await api.get('clinician1', `/records/${recordId}`)).status).toBe(404);
});

/**
 * Every block from `from` on, as the peers serve them (qscc), through the gateway's own Fabric
 * connection; undefined where the gateways run on hosts of their own (out of reach).
 */
async function rawBlocks(from: bigint): Promise<Buffer[] | undefined> {
  const topology = net.topologyFor('auditor1');
  const auditor = topology?.wallet.list().find((u) => u.name === 'auditor1');
  if (!topology || !auditor) return undefined;
  const ledger = new FabricConnection(topology, { deadlines: { evaluateMs: 10_000, endorseMs: 30_000, submitMs: 10_000, commitStatusMs: 60_000, readyMs: 2_000 }, maxAttempts: 3 });
  try {
    const height = BigInt(common.BlockchainInfo.deserializeBinary(await ledger.qscc(auditor, 'GetChainInfo')).getHeight());
    const blocks: Buffer[] = [];
    for (let n = from > 1n ? from - 1n : 0n; n < height; n++) blocks.push(Buffer.from(await ledger.qscc(auditor, 'GetBlockByNumber', n.toString())));
    return blocks;
  } finally {
    ledger.close();
  }
}
