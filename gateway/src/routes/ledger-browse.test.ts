import type { common } from '@hyperledger/fabric-protos';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { identity } from '../testing/identities';
import { chainOf, headerHashOf, qsccOver, type FixtureTx } from '../testing/chain';
import { testApp, type TestApp } from '../testing/test-app';
import { verifyAuditPackage, type AuditPackage } from '../audit/package';
import { auditPackageRoutes } from './audit-package';
import { ledgerRoutes } from './ledger';
import { ledgerBrowseRoutes } from './ledger-browse';

const id = (c: string) => c.repeat(64);
interface Page {
  height: string;
  next?: string;
  blocks: { number: string }[];
}
interface Found {
  kind: string;
  transactions: { txId: string }[];
}
const TXS: FixtureTx[] = [
  { txId: id('0'), fn: 'records:createRecord', writes: [['record', 'rec-1'], ['patient~record', 'pt-0c5f1a9e', 'rec-1']] },
  { txId: id('1'), fn: 'consent:grantConsent', writes: [['consent', 'cons-1']] },
  { txId: id('2'), fn: 'records:amendRecord', writes: [['record', 'rec-1']] },
  { txId: id('3'), fn: 'trace:commission', writes: [['pack', '09506000134352', 'SN1']] },
];

let t: TestApp;
let blocks: common.Block[];
beforeEach(async () => {
  const clinician = await identity('Hospital1MSP', 'clinician1', { role: 'clinician' });
  blocks = chainOf(TXS, clinician.certPem);
  t = await testApp({ routes: [ledgerRoutes, ledgerBrowseRoutes, auditPackageRoutes], handler: qsccOver(() => blocks) });
});
afterEach(async () => t.close());

const get = async (url: string, user = 'auditor1') => t.inject({ method: 'GET', url, headers: { authorization: await t.bearer(user) } });
const exportPackage = async (txIds: string[]) =>
  t.inject({ method: 'POST', url: '/ledger/audit-package', payload: { txIds }, headers: { authorization: await t.bearer('auditor1') } });

test('a block shows its transactions with creator role and keys written, never values or arguments', async () => {
  const res = await get('/ledger/blocks/0');
  expect(res.json<Found>().transactions).toEqual([
    expect.objectContaining({ creatorMspId: 'Hospital1MSP', creatorRole: 'clinician', function: 'records:createRecord', writes: ['record/rec-1', 'patient~record/pt-0c5f1a9e/rec-1'] }),
  ]);
  expect(res.body).not.toContain('never shown');
});

test('blocks come newest first, a page at a time', async () => {
  const first = await get('/ledger/blocks?limit=3');
  expect(first.json<Page>().blocks.map((b) => b.number)).toEqual(['3', '2', '1']);
  expect(first.json()).toMatchObject({ height: '4', next: '1' });
  const second = await get('/ledger/blocks?limit=3&before=1');
  expect(second.json<Page>().blocks.map((b) => b.number)).toEqual(['0']);
  expect(second.json<Page>().next).toBeUndefined();
  expect((await get('/ledger/blocks?limit=21')).statusCode).toBe(400);
});

test('one search box finds a block by number or hash, a transaction by id, an asset by id', async () => {
  expect((await get('/ledger/search?q=2')).json()).toMatchObject({ kind: 'block-number', blocks: [{ number: '2' }] });
  expect((await get(`/ledger/search?q=${id('1')}`)).json()).toMatchObject({ kind: 'transaction-id', transactions: [{ txId: id('1'), blockNumber: '1' }] });
  const hash = headerHashOf(blocks[1]!).toString('hex');
  expect((await get(`/ledger/search?q=${hash}`)).json()).toMatchObject({ kind: 'block-hash', blocks: [{ number: '1', headerHash: hash }] });
  const asset = (await get('/ledger/search?q=rec-1')).json<Found>();
  expect(asset).toMatchObject({ kind: 'asset-id', scannedFrom: '0' });
  expect(asset.transactions.map((tx) => tx.txId)).toEqual([id('2'), id('0')]);
  expect((await get(`/ledger/search?q=${id('9')}`)).json()).toMatchObject({ kind: 'none', blocks: [], transactions: [] });
  expect((await get('/ledger/search?q=99')).json<Found>().kind).toBe('none');
  expect((await get('/ledger/search?q=a%20b')).statusCode).toBe(400);
});

test('only auditors and admins browse or search the ledger', async () => {
  for (const url of ['/ledger/blocks', '/ledger/search?q=1']) {
    expect((await get(url, 'clinician1')).statusCode).toBe(403);
    expect((await get(url, 'patient1')).statusCode).toBe(403);
  }
});

test('an exported audit package verifies offline, and fails once anything in it is changed', async () => {
  const res = await exportPackage([id('1'), id('2')]);
  expect(res.statusCode).toBe(200);
  const pkg: AuditPackage = res.json();
  expect(pkg.headers.map((h) => h.number)).toEqual(['1', '2', '3']);
  expect(pkg.blocks.map((b) => b.number)).toEqual(['1', '2']);
  expect(verifyAuditPackage(pkg)).toMatchObject({ valid: true, headers: 3, transactions: 2, failures: [] });

  const renamed = structuredClone(pkg);
  renamed.transactions[0]!.function = 'consent:revokeConsent';
  expect(verifyAuditPackage(renamed).failures).toEqual([{ where: `transaction ${id('1')}`, reason: 'VIEW_DIFFERS_FROM_ENVELOPE' }]);

  const data = structuredClone(pkg);
  data.blocks[1]!.envelopes[0] = Buffer.from('forged').toString('base64');
  expect(verifyAuditPackage(data)).toMatchObject({ valid: false, failures: expect.arrayContaining([{ where: 'block 2', reason: 'DATA_HASH_MISMATCH' }]) });

  const relinked = structuredClone(pkg);
  relinked.headers[1]!.dataHash = 'ab'.repeat(32);
  expect(verifyAuditPackage(relinked).failures).toEqual(
    expect.arrayContaining([{ where: 'block 3', reason: 'PREVIOUS_HASH_MISMATCH' }, { where: 'block 2', reason: 'DATA_HASH_MISMATCH' }]),
  );

  const head = structuredClone(pkg);
  head.head.currentBlockHash = 'cd'.repeat(32);
  expect(verifyAuditPackage(head).failures).toEqual([{ where: 'block 3', reason: 'CHAIN_HEAD_MISMATCH' }]);
});

test('an export names an unknown transaction and refuses malformed ids', async () => {
  const unknown = await exportPackage([id('9')]);
  expect(unknown.statusCode).toBe(404);
  expect(unknown.json<{ code: string }>().code).toBe('TRANSACTION_NOT_FOUND');
  expect((await exportPackage(['xyz'])).statusCode).toBe(400);
  expect((await exportPackage([])).statusCode).toBe(400);
});

test('the offline verifier command accepts the exported package and rejects a tampered one or another head', async () => {
  const pkg: AuditPackage = (await exportPackage([id('0')])).json();
  const dir = mkdtempSync(path.join(tmpdir(), 'audit-package-'));
  const script = path.resolve(__dirname, '..', '..', '..', 'scripts', 'verify-audit-package.js');
  const run = (value: unknown, ...args: string[]) => {
    const file = path.join(dir, 'package.json');
    writeFileSync(file, JSON.stringify(value));
    return spawnSync(process.execPath, [script, file, ...args], { encoding: 'utf8' });
  };
  try {
    const ok = run(pkg, '--head', pkg.head.currentBlockHash);
    expect([ok.status, ok.stdout]).toEqual([0, expect.stringContaining('VALID: 1 transaction(s) in a chain of 4 block header(s)')]);
    const tampered = structuredClone(pkg);
    tampered.transactions[0]!.writes = ['record/rec-2'];
    const bad = run(tampered);
    expect([bad.status, bad.stdout]).toEqual([1, expect.stringContaining('VIEW_DIFFERS_FROM_ENVELOPE')]);
    expect(run(pkg, '--head', 'ab'.repeat(32)).stdout).toContain('NOT_THE_EXPECTED_HEAD');
    expect(spawnSync(process.execPath, [script], { encoding: 'utf8' }).status).toBe(2);
    const malformed = run({ format: pkg.format, head: pkg.head });
    expect([malformed.status, malformed.stdout]).toEqual([1, expect.stringContaining('INVALID: malformed package')]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
