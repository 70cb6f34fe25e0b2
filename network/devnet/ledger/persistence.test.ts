import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LedgerCorruptError } from './errors';
import { Ledger } from './ledger';
import { encodePvtRecord } from './pvt-record';
import { RecordLog } from './record-log';
import { TestChain, type TestTx } from './testing/block-builder';

const H1 = 'Hospital1MSP';
const INS = 'InsurerMSP';
const ORGS = [H1, INS];
const CC = 'healthledger';
const COLL = `_implicit_org_${H1}`;
const collectionMembers = (): string[] => [H1];
const sha = (s: string): Buffer => createHash('sha256').update(s).digest();

const put = (txId: string, key: string, value: string | undefined): TestTx => ({ txId, namespaces: [{ namespace: CC, writes: [{ key, value }] }] });

describe('Ledger persistence', () => {
  let dir: string;
  const logs: string[] = [];
  const open = (): Promise<Ledger> => Ledger.open({ dir, orgs: ORGS, log: (m) => logs.push(m) });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ledger-'));
    logs.length = 0;
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** Genesis plus three blocks: public writes, a delete, metadata, private data and a purge. */
  async function populate(): Promise<{ chain: TestChain; blockBytes: Uint8Array[] }> {
    const ledger = await open();
    const chain = new TestChain();
    const blocks = [
      { block: chain.genesis(), pvtData: new Map() },
      chain.next([put('t1', 'k', 'v1'), { txId: 't2', namespaces: [{ namespace: CC, collections: [{ name: COLL, writes: [{ key: 'p', value: 'secret' }, { key: 'q', value: 'kept' }] }] }] }]),
      chain.next([put('t3', 'k', undefined), { ...put('bad', 'x', 'never'), code: 11 }, { txId: 't4', namespaces: [{ namespace: CC, writes: [{ key: 'm', value: 'mv' }], metadataWrites: [{ key: 'm', entries: { VALIDATION_PARAMETER: 'pol' } }] }] }]),
      chain.next([put('t5', 'k', 'v2'), { txId: 't6', namespaces: [{ namespace: CC, collections: [{ name: COLL, writes: [{ key: 'p', purge: true }] }] }] }]),
    ];
    for (const { block, pvtData } of blocks) await ledger.commitBlock(block, pvtData, { collectionMembers });
    const blockBytes = [0n, 1n, 2n, 3n].map((n) => ledger.blocks.getBlockBytes(n)!);
    await ledger.close();
    return { chain, blockBytes };
  }

  it('reopens with blocks, indexes, state, history, hashed and private state', async () => {
    const { chain, blockBytes } = await populate();
    const ledger = await open();
    expect(ledger.blocks.height).toBe(4n);
    for (const [n, bytes] of blockBytes.entries()) expect(Buffer.from(ledger.blocks.getBlockBytes(BigInt(n))!)).toEqual(Buffer.from(bytes));
    expect(ledger.blocks.getBlockByHash(ledger.blocks.currentHash())?.getHeader()?.getNumber()).toBe(3);
    expect(ledger.blocks.txLocation('bad')).toEqual({ blockNum: 2n, txNum: 1, code: 11 });
    expect(ledger.state.get(CC, 'k')).toMatchObject({ value: Buffer.from('v2'), version: { blockNum: 3n, txNum: 0 } });
    expect(ledger.state.get(CC, 'x')).toBeUndefined();
    expect(ledger.state.get(CC, 'm')?.metadata.get('VALIDATION_PARAMETER')).toEqual(Buffer.from('pol'));
    expect((await ledger.history.get(CC, 'k')).map((h) => [h.txId, h.isDelete])).toEqual([['t5', false], ['t3', true], ['t1', false]]);
    const store = ledger.privateStore(H1);
    expect(store.get(CC, COLL, 'p')).toBeUndefined(); // purged
    expect(store.get(CC, COLL, 'q')).toEqual({ value: Buffer.from('kept'), version: { blockNum: 1n, txNum: 1 } });
    expect(ledger.state.getHashed(CC, COLL, sha('p'))).toBeUndefined();
    expect(ledger.state.getHashed(CC, COLL, sha('q'))?.valueHash).toEqual(sha('kept'));
    expect(store.blockPvtData(1n).get(1)?.getNsPvtRwsetList()).toHaveLength(1);
    expect(ledger.privateStore(INS).get(CC, COLL, 'q')).toBeUndefined();
    // And it carries on from where it was.
    await ledger.commitBlock(chain.next([put('t7', 'k', 'v3')]).block);
    await ledger.close();
    const again = await open();
    expect(again.blocks.height).toBe(5n);
    expect(again.state.get(CC, 'k')?.value.toString()).toBe('v3');
    await again.close();
    expect(logs).toEqual([]);
  });

  it('cuts a torn last block record, logs it, and accepts the block again', async () => {
    const { chain } = await populate();
    const next = chain.next([put('t7', 'k', 'v3')]).block;
    const bytes = Buffer.from(next.serializeBinary());
    const frame = Buffer.alloc(8);
    frame.writeUInt32BE(bytes.length, 0);
    const sizeBefore = (await stat(join(dir, 'blocks.dat'))).size;
    await appendFile(join(dir, 'blocks.dat'), Buffer.concat([frame, bytes.subarray(0, bytes.length >> 1)]));
    const ledger = await open();
    expect(ledger.blocks.height).toBe(4n);
    expect((await stat(join(dir, 'blocks.dat'))).size).toBe(sizeBefore);
    expect(logs).toEqual([expect.stringContaining('cut a torn last record')]);
    await ledger.commitBlock(next);
    expect(ledger.state.get(CC, 'k')?.value.toString()).toBe('v3');
    await ledger.close();
  });

  /** Without its key-value store the ledger rebuilds it from the block file, checking every block. */
  const dropState = (): Promise<void> => rm(join(dir, 'state'), { recursive: true, force: true });

  it('rebuilds public state, hashes, history and indexes from the block file when the state directory is gone', async () => {
    await populate();
    await dropState();
    const ledger = await open();
    expect(ledger.blocks.height).toBe(4n);
    expect(ledger.blocks.txLocation('bad')).toEqual({ blockNum: 2n, txNum: 1, code: 11 });
    expect(ledger.state.get(CC, 'k')).toMatchObject({ value: Buffer.from('v2'), version: { blockNum: 3n, txNum: 0 } });
    expect((await ledger.history.get(CC, 'k')).map((h) => h.txId)).toEqual(['t5', 't3', 't1']);
    expect(ledger.state.getHashed(CC, COLL, sha('q'))?.valueHash).toEqual(sha('kept'));
    // Private values lived only in the store (as in a peer's private data store): they are gone.
    expect(ledger.privateStore(H1).get(CC, COLL, 'q')).toBeUndefined();
    await ledger.close();
  });

  it('refuses a block file that no longer holds the block the state was built from', async () => {
    const { blockBytes } = await populate();
    const raw = await readFile(join(dir, 'blocks.dat'));
    await writeFile(join(dir, 'blocks.dat'), raw.subarray(0, raw.length - blockBytes[3]!.length - 8));
    await expect(open()).rejects.toMatchObject({ name: 'LedgerCorruptError', blockNum: 3n, message: expect.stringContaining('does not hold block 3') });
  });

  it('refuses a damaged block in the middle when rebuilding, naming it', async () => {
    const { blockBytes } = await populate();
    await dropState();
    const raw = await readFile(join(dir, 'blocks.dat'));
    const block2Payload = 8 + blockBytes[0]!.length + 8 + blockBytes[1]!.length + 8;
    raw.writeUInt8(raw.readUInt8(block2Payload + 40) ^ 0x01, block2Payload + 40);
    await writeFile(join(dir, 'blocks.dat'), raw);
    const error: unknown = await open().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(LedgerCorruptError);
    expect(error).toMatchObject({ blockNum: 2n, message: expect.stringContaining('damaged at block 2') });
    expect((await stat(join(dir, 'blocks.dat'))).size).toBe(raw.length); // evidence kept
  });

  it('refuses a broken previous_hash chain even when every CRC is right', async () => {
    const { blockBytes } = await populate();
    await dropState();
    await rm(join(dir, 'blocks.dat'));
    const forked = new TestChain('healthchannel', { height: 2n, currentHash: Buffer.alloc(32, 9) }).next([put('evil', 'k', 'x')]).block;
    const file = await RecordLog.open(join(dir, 'blocks.dat'));
    for await (const record of file.scan()) throw new Error(`unexpected record ${record.index}`);
    await file.append([blockBytes[0]!, blockBytes[1]!, forked.serializeBinary(), blockBytes[3]!]);
    await file.close();
    await expect(open()).rejects.toMatchObject({
      name: 'LedgerCorruptError',
      blockNum: 2n,
      message: expect.stringContaining('block 2: previous_hash does not match the header hash of block 1'),
    });
  });

  it('refuses a record that holds the wrong block number', async () => {
    const { blockBytes } = await populate();
    await dropState();
    await rm(join(dir, 'blocks.dat'));
    const file = await RecordLog.open(join(dir, 'blocks.dat'));
    for await (const record of file.scan()) throw new Error(`unexpected record ${record.index}`);
    await file.append([blockBytes[0]!, blockBytes[2]!]);
    await file.close();
    await expect(open()).rejects.toThrow('block file record 1 holds block 2');
  });

  it('drops private data written for a block that never made it to the block file', async () => {
    const { chain } = await populate();
    const crashed = chain.next([{ txId: 'lost', namespaces: [{ namespace: CC, collections: [{ name: COLL, writes: [{ key: 'p', value: 'lost' }] }] }] }]);
    const pvtPath = join(dir, `pvtdata-${H1}.dat`);
    const sizeBefore = (await stat(pvtPath)).size;
    const pvtFile = await RecordLog.open(pvtPath);
    for await (const record of pvtFile.scan()) expect(record.index).toBeLessThan(2);
    await pvtFile.append([encodePvtRecord({ blockNum: 4n, txs: crashed.pvtData })]);
    await pvtFile.close();

    const ledger = await open();
    expect(ledger.blocks.height).toBe(4n);
    expect((await stat(pvtPath)).size).toBe(sizeBefore);
    expect(logs).toEqual([expect.stringContaining('dropped private data of 1 block(s) from block 4')]);
    // The block is retried, this time with different private data.
    const retried = new TestChain('healthchannel', { height: 4n, currentHash: ledger.blocks.currentHash() }).next([
      { txId: 'retry', namespaces: [{ namespace: CC, collections: [{ name: COLL, writes: [{ key: 'p', value: 'retried' }] }] }] },
    ]);
    await ledger.commitBlock(retried.block, retried.pvtData, { collectionMembers });
    await ledger.close();
    const again = await open();
    expect(again.privateStore(H1).get(CC, COLL, 'p')?.value.toString()).toBe('retried');
    await again.close();
  });

  it('refuses a damaged private data record in the middle', async () => {
    const { chain } = await populate();
    const pvtPath = join(dir, `pvtdata-${H1}.dat`);
    const pvtFile = await RecordLog.open(pvtPath);
    for await (const record of pvtFile.scan()) throw new Error(`unexpected record ${record.index}: applied private data stays in the store only`);
    for (const n of [4n, 5n]) {
      const { pvtData } = chain.next([{ txId: `w${n}`, namespaces: [{ namespace: CC, collections: [{ name: COLL, writes: [{ key: 'p', value: `${n}` }] }] }] }]);
      await pvtFile.append([encodePvtRecord({ blockNum: n, txs: pvtData })]);
    }
    await pvtFile.close();
    const raw = await readFile(pvtPath);
    raw.writeUInt8(raw.readUInt8(20) ^ 0xff, 20); // first record's payload; a second record follows
    await writeFile(pvtPath, raw);
    await expect(open()).rejects.toThrow(/private data file damaged: .*record 0 at offset 0: CRC mismatch/);
  });

  it('persists 2,000 transactions in blocks of 100 and has them all after reopening', async () => {
    const ledger = await open();
    const chain = new TestChain();
    await ledger.commitBlock(chain.genesis());
    const blocks = Array.from({ length: 20 }, (_, b) => chain.next(Array.from({ length: 100 }, (_u, t) => put(`b${b}t${t}`, `asset~${b}~${t}`, `{"n":${t}}`))).block);
    for (const block of blocks) await ledger.commitBlock(block);
    await ledger.close();
    const reopened = await open();
    expect(reopened.blocks.height).toBe(21n);
    expect(reopened.blocks.txLocation('b19t99')).toEqual({ blockNum: 20n, txNum: 99, code: 0 });
    await reopened.close();
  });
});
