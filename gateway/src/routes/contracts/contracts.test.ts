import { createHash } from 'node:crypto';
import type { ServiceError } from '@grpc/grpc-js';
import { EndorseError } from '@hyperledger/fabric-gateway';
import type { RecordedCall } from '../../testing/scripted-ledger';
import { testApp, type TestApp } from '../../testing/test-app';
import { CONTRACT_ROUTES } from '.';
import { CLAIMS, TRANSACTIONS } from '@healthledger/contract-api';
import { exampleOf } from '../../openapi/examples';
import { AUDIT_ROUTES } from './audit';
import { RESEARCH_ROUTES } from './research';
import { CLAIM_ROUTES } from './claims';
import { CONSENT_ROUTES } from './consent';
import { operationOf } from './operation';
import { RECORD_ROUTES } from './records';
import { TRACE_ROUTES } from './trace';
import { recordEntry, STAMP } from '../../testing/records';

let t: TestApp;
const answers = new Map<string, unknown>();
const scripted = (c: RecordedCall) => answers.get(c.call.fn) ?? { ok: true };
// One app for the file (what is tested is each route's mapping, not a fresh app): each test starts
// on a reset ledger, with no answers scripted.
beforeAll(async () => {
  t = await testApp({ routes: CONTRACT_ROUTES, handler: scripted });
});
beforeEach(() => {
  answers.clear();
  t.ledger.reset(scripted);
});
afterAll(async () => t.close());

const args = (i: number) => JSON.parse(t.ledger.calls[i]!.call.args![0]!);

/** A denied access as the chaincode answers it (the catalogue's disclosure schema). */
const DENIED = {
  disclosureId: 'tx1',
  recorded: '2026-12-05T10:00:00.000Z',
  action: 'access',
  outcome: 'denied',
  reason: 'no-consent',
  purpose: 'TREAT',
  agent: { actor: 'a1', org: 'Hospital1MSP', role: 'clinician' },
  entity: { recordId: 'rec-1', patientRef: 'pt-0c5f1a9e', custodian: 'Hospital2MSP', category: 'lab-result' },
  emergency: false,
  updatedBy: { org: 'Hospital1MSP', role: 'clinician', actor: 'a1', txId: 'tx1', at: '2026-12-05T10:00:00.000Z' },
};

const record = (recordId: string) => recordEntry(recordId);

describe('records', () => {
  beforeEach(() => {
    answers.set('records:createRecord', record('rec-1'));
    answers.set('records:amendRecord', record('rec-1'));
  });

  test('create: content is staged as transient data by itself, then the public entry is created with its hash only', async () => {
    const content = { resourceType: 'Observation', valueString: 'PHI-secret' };
    answers.set('records:stageContent', { recordId: 'rec-1', contentHash: 'a'.repeat(64) });
    const res = await t.inject({
      method: 'POST',
      url: '/records',
      payload: { recordId: 'rec-1', patientRef: 'pt-0c5f1a9e', category: 'lab-result', content },
      headers: { authorization: await t.bearer('clinician1') },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['x-transaction-id']).toBe('tx2');
    const [stage, create] = t.ledger.calls;
    expect(stage).toMatchObject({ kind: 'submit', call: { fn: 'records:stageContent', transient: { content: Buffer.from(JSON.stringify(content)) } } });
    expect(stage!.call.args![0]).not.toContain('PHI-secret');
    // The gateway draws a fresh salt per private value; the client never sends one.
    expect(stage!.call.transient?.['salt']).toMatch(/^[0-9a-f]{64}$/);
    expect(args(0)).toEqual({ recordId: 'rec-1', patientRef: 'pt-0c5f1a9e', category: 'lab-result' });
    expect(create).toMatchObject({ kind: 'submit', call: { fn: 'records:createRecord' } });
    expect(create!.call.transient).toBeUndefined();
    expect(args(1)).toEqual({ recordId: 'rec-1', patientRef: 'pt-0c5f1a9e', category: 'lab-result', contentHash: 'a'.repeat(64) });
  });

  test('every write of private data carries its own salt; a salt is never a body field', async () => {
    const amend = () =>
      t.inject({ method: 'POST', url: '/records/rec-1/versions', payload: { content: { v: 2 } }, headers: { authorization: '' } });
    const auth = await t.bearer('clinician1');
    for (let i = 0; i < 2; i++) {
      const res = await t.inject({ method: 'POST', url: '/records/rec-1/versions', payload: { content: { v: 2 } }, headers: { authorization: auth } });
      expect(res.statusCode).toBe(201);
    }
    const salts = t.ledger.calls.map((c) => c.call.transient?.['salt']);
    expect(salts[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(salts[1]).toMatch(/^[0-9a-f]{64}$/);
    expect(salts[0]).not.toBe(salts[1]);
    const withSalt = await t.inject({ method: 'POST', url: '/records/rec-1/versions', payload: { content: { v: 3 }, salt: 'a'.repeat(64) }, headers: { authorization: auth } });
    expect(withSalt.statusCode).toBe(400);
    expect((await amend()).statusCode).toBe(401);
  });

  test('create: when the public step fails, the staged content is discarded and the client gets the public step\'s error', async () => {
    t.ledger.handler = (c: RecordedCall) => {
      if (c.call.fn === 'records:stageContent') return { recordId: 'rec-1', contentHash: 'a'.repeat(64) };
      if (c.call.fn === 'records:createRecord') {
        throw new EndorseError({
          code: 10,
          cause: {} as ServiceError,
          transactionId: 'tx9',
          message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
          details: [{ address: 'peer0.hospital1.example.com:7051', mspId: 'Hospital1MSP', message: 'chaincode response 500, RECORD_EXISTS: A record with this id already exists: rec-1' }],
        });
      }
      return { recordId: 'rec-1', discarded: true };
    };
    const res = await t.inject({
      method: 'POST',
      url: '/records',
      payload: { recordId: 'rec-1', patientRef: 'pt-0c5f1a9e', category: 'lab-result', content: { a: 1 } },
      headers: { authorization: await t.bearer('clinician1') },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'RECORD_EXISTS' });
    expect(t.ledger.calls.map((c) => c.call.fn)).toEqual(['records:stageContent', 'records:createRecord', 'records:discardStaged']);
    expect(args(2)).toEqual({ recordId: 'rec-1', patientRef: 'pt-0c5f1a9e', category: 'lab-result' });
    expect(t.ledger.calls[2]!.call.transient).toBeUndefined();
  });

  test('JSON in, JSON out: a JSON value is stored as its JSON text (a string is a JSON string); text/plain stores the string as UTF-8', async () => {
    const auth = { authorization: await t.bearer('clinician1') };
    const amend = (payload: Record<string, unknown>) => t.inject({ method: 'POST', url: '/records/rec-1/versions', payload, headers: auth });
    expect((await amend({ expectedVersion: 1, content: 'seen today' })).statusCode).toBe(201);
    expect((await amend({ content: 'seen today, é', contentType: 'text/plain' })).statusCode).toBe(201);
    expect(t.ledger.calls.map((c) => Buffer.from(c.call.transient!['content']!).toString('utf8'))).toEqual(['"seen today"', 'seen today, é']);
    expect(args(0)).toEqual({ recordId: 'rec-1', expectedVersion: 1 });
    expect(args(1)).toEqual({ recordId: 'rec-1', contentType: 'text/plain' });
    // A document in a JSON body is 415 (it is uploaded raw); text must be a string; nothing reaches a peer.
    const refused = [await amend({ content: 'JVBERi0=', contentType: 'application/pdf' }), await amend({ content: { a: 1 }, contentType: 'text/plain' }), await amend({ content: 1, contentType: 'image/gif' })];
    expect(refused.map((r) => [r.statusCode, r.json<{ code: string }>().code])).toEqual([
      [415, 'UNSUPPORTED_MEDIA_TYPE'],
      [400, 'BAD_REQUEST'],
      [400, 'VALIDATION_FAILED'],
    ]);
    expect(t.ledger.calls).toHaveLength(2);
  });

  test('uploads: the raw body is the content, byte for byte, its Content-Type the media type; over 4 MiB is 413, an unknown type 415', async () => {
    answers.set('records:stageContent', { recordId: 'rec-1', contentHash: 'a'.repeat(64) });
    const auth = { authorization: await t.bearer('clinician1') };
    const pdf = Buffer.from('%PDF-1.4\n%\xff\n1 0 obj<<>>endobj\n%%EOF\n', 'latin1');
    const created = await t.inject({ method: 'PUT', url: '/records/rec-1/content?patientRef=pt-0c5f1a9e&category=imaging', payload: pdf, headers: { ...auth, 'content-type': 'application/pdf' } });
    expect(created.statusCode).toBe(201);
    expect(created.headers['location']).toBe('/records/rec-1');
    expect(Buffer.from(t.ledger.calls[0]!.call.transient!['content']!)).toEqual(pdf);
    expect(args(0)).toEqual({ recordId: 'rec-1', patientRef: 'pt-0c5f1a9e', category: 'imaging', contentType: 'application/pdf' });
    expect(args(1)).toMatchObject({ contentType: 'application/pdf', contentHash: 'a'.repeat(64) });
    // JSON uploaded raw keeps its exact bytes (whitespace, key order, decimals).
    const json = Buffer.from('{ "value": 7.10, "a": 1 }');
    expect((await t.inject({ method: 'POST', url: '/records/rec-1/content?expectedVersion=1', payload: json, headers: { ...auth, 'content-type': 'application/json; charset=utf-8' } })).statusCode).toBe(201);
    expect(Buffer.from(t.ledger.calls[2]!.call.transient!['content']!)).toEqual(json);
    expect(args(2)).toEqual({ recordId: 'rec-1', expectedVersion: 1, contentType: 'application/json' });

    const calls = t.ledger.calls.length;
    const gif = await t.inject({ method: 'POST', url: '/records/rec-1/content', payload: Buffer.from('GIF89a'), headers: { ...auth, 'content-type': 'image/gif' } });
    expect([gif.statusCode, gif.json<{ code: string }>().code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const big = Buffer.alloc(4 * 1024 * 1024 + 1, 0x41);
    const raw = await t.inject({ method: 'POST', url: '/records/rec-1/content', payload: big, headers: { ...auth, 'content-type': 'text/plain' } });
    expect([raw.statusCode, raw.json<{ code: string }>().code]).toEqual([413, 'CONTENT_TOO_LARGE']);
    const inJson = await t.inject({ method: 'POST', url: '/records/rec-1/versions', payload: { content: big.toString('latin1'), contentType: 'text/plain' }, headers: auth });
    expect([inJson.statusCode, inJson.json<{ code: string }>().code]).toEqual([413, 'CONTENT_TOO_LARGE']);
    expect(t.ledger.calls).toHaveLength(calls);
  });

  test('readContent is evaluated on the custodian peer and answers the stored bytes under their media type', async () => {
    answers.set('records:getRecord', { recordId: 'rec-1', custodian: 'Hospital1MSP' });
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255]);
    answers.set('records:readContent', { recordId: 'rec-1', version: 2, contentHash: 'a'.repeat(64), disclosureId: 'tx1', contentType: 'image/png', data: png.toString('base64') });
    const res = await t.inject({ method: 'GET', url: '/records/rec-1/content?version=2', headers: { authorization: await t.bearer('clinician2') } });
    expect(res.statusCode).toBe(200);
    expect(res.rawBody).toEqual(png);
    expect(res.headers).toMatchObject({ 'content-type': 'image/png', etag: `"${'a'.repeat(64)}"`, 'x-record-version': '2', 'x-disclosure-id': 'tx1', 'cache-control': 'no-store' });
    expect(res.headers['repr-digest']).toBe(`sha-256=:${createHash('sha256').update(png).digest('base64')}:`);
    expect(t.ledger.calls[1]).toMatchObject({ kind: 'evaluate', call: { fn: 'records:readContent', endorsingOrgs: ['Hospital1MSP'] } });
    expect(args(1)).toEqual({ recordId: 'rec-1', version: 2 });
  });

  test('lists page with opaque cursors', async () => {
    answers.set('records:listRecords', { items: [record('a')], bookmark: '\u0000record\u0000b' });
    const auth = { authorization: await t.bearer('patient1') };
    const first = await t.inject({ method: 'GET', url: '/patients/pt-0c5f1a9e/records?limit=1', headers: auth });
    const page = first.json<{ items: unknown[]; nextCursor: string }>();
    expect(page.items).toEqual([record('a')]);
    expect(page.nextCursor).not.toContain('record');
    answers.set('records:listRecords', { items: [], bookmark: '' });
    const second = await t.inject({ method: 'GET', url: `/patients/pt-0c5f1a9e/records?limit=1&cursor=${page.nextCursor}`, headers: auth });
    expect(second.json()).toEqual({ items: [] });
    expect(args(1)).toEqual({ patientRef: 'pt-0c5f1a9e', pageSize: 1, bookmark: '\u0000record\u0000b' });
  });

  test('bad ids, unknown fields and forged cursors are 400 and reach no peer', async () => {
    const auth = { authorization: await t.bearer('clinician1') };
    const bad = [
      await t.inject({ method: 'GET', url: '/records/%20bad', headers: auth }),
      await t.inject({ method: 'POST', url: '/records/rec-1/access', payload: { purpose: 'TREAT', extra: 1 }, headers: auth }),
      await t.inject({ method: 'GET', url: '/patients/pt-0c5f1a9e/records?cursor=forged', headers: auth }),
      await t.inject({ method: 'GET', url: '/patients/pt-0c5f1a9e/records?limit=0', headers: auth }),
    ];
    for (const res of bad) expect(res.statusCode).toBe(400);
    expect(t.ledger.calls).toHaveLength(0);
  });

  test('a 201 names the created resource in Location (from the result, else the request); other answers carry none', async () => {
    answers.set('records:stageContent', { recordId: 'rec/1', contentHash: 'a'.repeat(64) });
    answers.set('records:createRecord', record('rec/1'));
    const auth = { authorization: await t.bearer('clinician1') };
    const created = await t.inject({ method: 'POST', url: '/records', payload: { recordId: 'rec.1', patientRef: 'pt-0c5f1a9e', category: 'lab-result', content: {} }, headers: auth });
    expect(created.statusCode).toBe(201);
    expect(created.headers['location']).toBe('/records/rec%2F1');
    answers.set('consent:grantConsent', {
      consentId: 'c-1', patientRef: 'pt-0c5f1a9e', status: 'active', grantee: { org: 'Hospital2MSP' }, period: { start: '2020-01-01' },
      provisions: [{ type: 'permit', actions: ['access'], purposes: ['TREAT'] }], recorded: STAMP.at, updatedBy: STAMP,
    });
    const consent = await t.inject({ method: 'POST', url: '/consents', payload: { consentId: 'c-1', patientRef: 'pt-0c5f1a9e', grantee: { org: 'Hospital2MSP' }, period: { start: '2020-01-01' }, provisions: [{ type: 'permit', actions: ['access'], purposes: ['TREAT'] }] }, headers: { authorization: await t.bearer('patient1') } });
    expect(consent.statusCode).toBe(201);
    expect(consent.headers['location']).toBe('/consents/c-1');
    answers.set('records:requestAccess', DENIED);
    const access = await t.inject({ method: 'POST', url: '/records/rec-1/access', payload: { purpose: 'TREAT' }, headers: auth });
    expect(access.statusCode).toBe(201);
    expect(access.headers['location']).toBeUndefined();
  });

  test('a result that breaks the catalogue\'s result schema is a logged 500, never passed on', async () => {
    answers.set('records:requestAccess', { ...DENIED, reason: 'because' });
    const res = await t.inject({ method: 'POST', url: '/records/rec-1/access', payload: { purpose: 'TREAT' }, headers: { authorization: await t.bearer('clinician1') } });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('because');
  });

  test('a value outside an enumeration is refused once, naming the allowed values', async () => {
    const res = await t.inject({ method: 'POST', url: '/records/rec-1/access', payload: { purpose: 'SNOOP' }, headers: { authorization: await t.bearer('clinician2') } });
    expect(res.statusCode).toBe(400);
    const { errors } = res.json<{ errors: { pointer: string; detail: string; allowedValues?: string[] }[] }>();
    expect(errors).toEqual([
      { pointer: '/body/purpose', detail: 'must be one of: TREAT, ETREAT, HPAYMT, HOPERAT, HRESCH, PUBHLTH, PATRQT', allowedValues: ['TREAT', 'ETREAT', 'HPAYMT', 'HOPERAT', 'HRESCH', 'PUBHLTH', 'PATRQT'] },
    ]);
    expect(t.ledger.calls).toHaveLength(0);
  });

  test('chaincode errors become problem+json with the catalogue code', async () => {
    t.ledger.handler = () => {
      throw new EndorseError({
        code: 10,
        cause: {} as ServiceError,
        transactionId: 'tx9',
        message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
        details: [{ address: 'peer0.hospital1.example.com:7051', mspId: 'Hospital1MSP', message: 'chaincode response 500, CONSENT_REQUIRED: No consent permits this access: rec-1' }],
      });
    };
    const res = await t.inject({ method: 'POST', url: '/records/rec-1/access', payload: { purpose: 'TREAT' }, headers: { authorization: await t.bearer('clinician2') } });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'CONSENT_REQUIRED', detail: 'No consent permits this access: rec-1' });
    expect(res.body).not.toContain('7051');
  });
});

describe('claims', () => {
  test('submit: endorsed by provider and payer, detail as transient', async () => {
    const detail = { nonce: 'abcdefghijklmnopqrstuvwxyz', diagnoses: [{ sequence: 1, code: 'J45.909' }] };
    const body = {
      claimId: 'cl-1', patientRef: 'pt-0c5f1a9e', payer: 'InsurerMSP', coverageId: 'cov-1', serviceDate: '2026-01-02', currency: 'USD',
      items: [{ system: 'CPT', code: '99213', quantity: 1, unitPrice: 10000, net: 10000 }], total: 10000, detail,
    };
    // The chaincode's answer: a claim as the catalogue's result schema describes it.
    answers.set('claims:submit', exampleOf(CLAIMS.submit.result));
    const res = await t.inject({ method: 'POST', url: '/claims', payload: body, headers: { authorization: await t.bearer('clinician1') } });
    expect(res.statusCode).toBe(201);
    expect(t.ledger.calls[0]!.call).toMatchObject({ fn: 'claims:submit', endorsingOrgs: ['Hospital1MSP', 'InsurerMSP'], transient: { detail: JSON.stringify(detail) } });
  });

  test.each([
    ['an organisation outside the consortium', 'NoSuchMSP'],
    ['a consortium organisation that is not a payer', 'Hospital2MSP'],
  ])('submit naming %s as payer → 400 VALIDATION_FAILED before any ledger call', async (_what, payer) => {
    const body = {
      claimId: 'cl-1', patientRef: 'pt-0c5f1a9e', payer, coverageId: 'cov-1', serviceDate: '2026-01-02', currency: 'USD',
      items: [{ system: 'CPT', code: '99213', quantity: 1, unitPrice: 10000 }], total: 10000,
      detail: { nonce: 'abcdefghijklmnopqrstuvwxyz', diagnoses: [{ sequence: 1, code: 'J45.909' }] },
    };
    const res = await t.inject({ method: 'POST', url: '/claims', payload: body, headers: { authorization: await t.bearer('clinician1') } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', detail: `The request is invalid: request/payer: ${payer} is not a payer` });
    expect(t.ledger.calls).toHaveLength(0);
  });

  test('adjudication is endorsed by the claim parties read from the ledger', async () => {
    answers.set('claims:get', { claimId: 'cl-1', provider: 'Hospital2MSP', payer: 'InsurerMSP' });
    answers.set('claims:pay', exampleOf(CLAIMS.pay.result));
    const res = await t.inject({
      method: 'POST',
      url: '/claims/cl-1/payment',
      payload: { amount: 100, currency: 'USD', reference: 'eft-1' },
      headers: { authorization: await t.bearer('adjudicator1') },
    });
    expect(res.statusCode).toBe(200);
    expect(t.ledger.calls[1]).toMatchObject({ kind: 'submit', call: { fn: 'claims:pay', endorsingOrgs: ['Hospital2MSP', 'InsurerMSP'] } });
    expect(args(1)).toEqual({ claimId: 'cl-1', amount: 100, currency: 'USD', reference: 'eft-1' });
  });
});

describe('trace', () => {
  test.each([
    ['neither serials nor range', {}],
    ['both serials and range', { serials: ['S1'], range: { start: 1, count: 2 } }],
    ['a duplicate serial', { serials: ['S1', 'S1'] }],
  ])('commission-bulk with %s → 400 VALIDATION_FAILED, no ledger call', async (_what, serials) => {
    const res = await t.inject({
      method: 'POST',
      url: '/packs/commission-bulk',
      payload: { gtin: '09506000134352', lot: 'L1', expiry: '2030-01-31', ...serials },
      headers: { authorization: await t.bearer('clinician1') },
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(t.ledger.calls).toHaveLength(0);
  });
});

describe('pack paths', () => {
  test("a pack's ledger history is reached under the pack's own path, as audit:history of the pack", async () => {
    answers.set('audit:history', { items: [], bookmark: '' });
    const res = await t.inject({ method: 'GET', url: '/packs/09506000134352/S1/ledger-history?limit=5', headers: { authorization: await t.bearer('auditor1') } });
    expect(res.statusCode).toBe(200);
    expect(t.ledger.calls[0]!.call.fn).toBe('audit:history');
    expect(args(0)).toEqual({ id: '09506000134352', serial: 'S1', assetType: 'pack', pageSize: 5 });
    const bad = await t.inject({ method: 'GET', url: '/packs/09506000134352/S1/ledger-history?assetType=record', headers: { authorization: await t.bearer('auditor1') } });
    expect(bad.statusCode).toBe(400);
  });
});

describe('bulk commissioning', () => {
  test('a failed batch answers its problem with exactly what committed and what to send again', async () => {
    // 600 serials → batches of 250, 250 and 100; the second fails as the chaincode would.
    t.ledger.handler = (c: RecordedCall) => {
      const request = JSON.parse(c.call.args![0]!) as { range: { start: number } };
      if (request.range.start === 251) {
        throw new EndorseError({
          code: 10,
          cause: {} as ServiceError,
          transactionId: 'tx-failed',
          message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
          details: [{ address: 'peer0.manufacturer.example.com:7051', mspId: 'ManufacturerMSP', message: 'chaincode response 500, PACK_EXISTS: A pack with this SGTIN already exists: S300' }],
        });
      }
      return { commissioned: 1 };
    };
    const res = await t.inject({
      method: 'POST',
      url: '/packs/commission-bulk',
      payload: { gtin: '09506000134352', lot: 'L1', expiry: '2030-01-31', range: { start: 1, count: 600 } },
      headers: { authorization: await t.bearer('clinician1') },
    });
    expect(res.statusCode).toBe(409);
    const body = res.json<{ code: string; progress: { committed: number; total: number; transactions: { offset: number; count: number }[]; remaining: { range: unknown }[] } }>();
    expect(body.code).toBe('PACK_EXISTS');
    const committedOffsets = body.progress.transactions.map((tx) => tx.offset);
    // Batches run in parallel: the third may or may not have started before the failure was seen.
    expect(committedOffsets[0]).toBe(0);
    expect(body.progress.committed).toBe(body.progress.transactions.reduce((n, tx) => n + tx.count, 0));
    expect(body.progress.total).toBe(600);
    expect(body.progress.remaining.map((r) => r.range)).toContainEqual(expect.objectContaining({ start: 251, count: 250 }));
    expect(body.progress.committed + body.progress.remaining.reduce((n, r) => n + (r.range as { count: number }).count, 0)).toBe(600);
    // Every committed transaction is one the ledger was asked for and answered.
    expect(t.ledger.calls.length).toBeGreaterThanOrEqual(2);
  });
});

describe('route table', () => {
  const all = [...RECORD_ROUTES, ...CONSENT_ROUTES, ...CLAIM_ROUTES, ...TRACE_ROUTES, ...AUDIT_ROUTES, ...RESEARCH_ROUTES].map(operationOf);

  test('every operation is a documented route, and transactions are unique per route', async () => {
    const doc = (await t.inject({ method: 'GET', url: '/docs/json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    for (const op of all) {
      const path = op.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[op.method.toLowerCase()]).toBeDefined();
    }
    expect(new Set(all.map((o) => `${o.method} ${o.url}`)).size).toBe(all.length);
    expect(doc.paths['/packs/commission-bulk']).toBeDefined();
  });

  test('every transaction of the catalogue is reached by a route (directly or as a staging step)', () => {
    const reached = new Set(all.flatMap((o) => [o.fn, ...(o.stage ? [o.stage.fn, o.stage.discardFn] : [])]));
    expect(TRANSACTIONS.map((tx) => tx.qualifiedName).filter((fn) => !reached.has(fn))).toEqual([]);
  });

  test("a staged route's transient fields are its stage's, required unless the stage is optional", () => {
    const records = all.find((o) => o.fn === 'records:createRecord');
    expect(records?.transient?.map((f) => [f.name, f.required])).toEqual([['content', true]]);
    const emergency = all.find((o) => o.fn === 'emergency:openEmergency');
    expect(emergency?.transient?.map((f) => [f.name, f.required])).toEqual([['justification', false]]);
  });
});
