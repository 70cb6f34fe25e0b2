/**
 * Large private write sets are kept once, as blob files outside LevelDB (blob-store.ts): reads and
 * Deliver's write sets are unchanged, and purge, expiry and crashes leave no value behind on disk.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { ledger as protos } from '@hyperledger/fabric-protos';
import { Ledger, type LedgerOptions } from './ledger';
import { encodePvtRecord } from './pvt-record';
import { RecordLog } from './record-log';
import { TestChain, type TestCollection } from './testing/block-builder';
import { filesWith } from './testing/files';

const H1 = 'Hospital1MSP';
const INS = 'InsurerMSP';
const CC = 'healthledger';
const COLL = 'claimDetails';
const collectionMembers = (): string[] => [H1, INS];
const pvtTx = (txId: string, ...collections: TestCollection[]) => ({ txId, namespaces: [{ namespace: CC, collections }] });
/** A value of `size` bytes starting with `marker` (found by a search of the files). */
const large = (marker: string, size = 3000): string => marker + '.'.repeat(size - marker.length);


const blobFiles = async (dir: string): Promise<string[]> => (await readdir(join(dir, 'blobs'))).sort();
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Each collection rwset's hash, as Deliver would send it. */
function rwsetHashes(pvt: protos.rwset.TxPvtReadWriteSet | undefined): string[] {
  return (pvt?.getNsPvtRwsetList() ?? []).flatMap((ns) => ns.getCollectionPvtRwsetList().map((c) => sha256(c.getRwset_asU8())));
}

describe('Ledger blobs (large private write sets)', () => {
  let dir: string;
  const open = (extra: Partial<LedgerOptions> = {}) => Ledger.open({ dir, orgs: [H1, INS], largePrivateRwset: 2048, ...extra });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ledger-blobs-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('stores a large rwset once per org outside LevelDB; reads and write sets are the same', async () => {
    const chain = new TestChain();
    const ledger = await open();
    await ledger.commitBlock(chain.genesis());
    const b1 = chain.next([pvtTx('w', { name: COLL, writes: [{ key: 'doc', value: large('document-one') }, { key: 'small', value: 'tiny' }] })]);
    await ledger.commitBlock(b1.block, b1.pvtData, { collectionMembers });
    const committed = rwsetHashes(b1.pvtData.get(0));
    // One file per member org, nothing in LevelDB's files or the private data files.
    expect(await filesWith(dir, 'document-one')).toEqual([`blobs${sep}Hospital1MSP.1.0.0`, `blobs${sep}InsurerMSP.1.0.0`]);
    for (const store of [ledger.privateStore(H1), ledger.privateStore(INS)]) {
      expect(store.get(CC, COLL, 'doc')?.value.toString()).toBe(large('document-one'));
      expect(store.get(CC, COLL, 'doc')?.version).toEqual({ blockNum: 1n, txNum: 0 });
      expect(store.get(CC, COLL, 'small')?.value.toString()).toBe('tiny');
      expect(rwsetHashes(store.blockPvtData(1n).get(0))).toEqual(committed);
    }
    const scanned: string[] = [];
    for await (const kv of ledger.privateStore(H1).range(CC, COLL, '', '')) scanned.push(`${kv.key}=${kv.value.length}`);
    expect(scanned).toEqual(['doc=3000', 'small=4']);
    await ledger.close();

    const reopened = await open();
    expect(reopened.privateStore(INS).get(CC, COLL, 'doc')?.value.toString()).toBe(large('document-one'));
    expect(rwsetHashes(reopened.privateStore(INS).blockPvtData(1n).get(0))).toEqual(committed);
    await reopened.close();
  });

  it('a purge deletes the blob; a value the purge left in it is kept inline', async () => {
    const chain = new TestChain();
    const ledger = await open();
    await ledger.commitBlock(chain.genesis());
    const b1 = chain.next([pvtTx('w', { name: COLL, writes: [{ key: 'k', value: large('secret-purged') }, { key: 'other', value: large('value-kept') }] })]);
    await ledger.commitBlock(b1.block, b1.pvtData, { collectionMembers });
    const b2 = chain.next([pvtTx('p', { name: COLL, writes: [{ key: 'k', purge: true }] })]);
    await ledger.commitBlock(b2.block, b2.pvtData, { collectionMembers });
    expect(await filesWith(dir, 'secret-purged')).toEqual([]);
    expect(await blobFiles(dir)).toEqual([]);
    expect(ledger.privateStore(H1).get(CC, COLL, 'other')?.value.toString()).toBe(large('value-kept'));
    expect(ledger.privateStore(H1).get(CC, COLL, 'k')).toBeUndefined();
    await ledger.close();
    const reopened = await open();
    expect(reopened.privateStore(INS).get(CC, COLL, 'other')?.value.toString()).toBe(large('value-kept'));
    const writes = protos.rwset.kvrwset.KVRWSet.deserializeBinary(
      reopened.privateStore(INS).blockPvtData(1n).get(0)?.getNsPvtRwsetList()[0]?.getCollectionPvtRwsetList()[0]?.getRwset_asU8() ?? new Uint8Array(),
    ).getWritesList();
    expect(writes.map((w) => w.getKey())).toEqual(['other']);
    await reopened.close();
  });

  it('a value written and purged in the same block never reaches a blob', async () => {
    const chain = new TestChain();
    const ledger = await open();
    await ledger.commitBlock(chain.genesis());
    const b1 = chain.next([
      pvtTx('w', { name: COLL, writes: [{ key: 'k', value: large('same-block') }, { key: 'kept', value: large('kept-value') }] }),
      pvtTx('p', { name: COLL, writes: [{ key: 'k', purge: true }] }),
    ]);
    await ledger.commitBlock(b1.block, b1.pvtData, { collectionMembers });
    expect(await filesWith(dir, 'same-block')).toEqual([]);
    expect(await blobFiles(dir)).toEqual([]);
    expect(ledger.privateStore(H1).get(CC, COLL, 'kept')?.value.toString()).toBe(large('kept-value'));
    await ledger.close();
  });

  it('block-to-live expiry deletes the blob', async () => {
    const chain = new TestChain();
    const ledger = await open({ blockToLive: () => 1n });
    await ledger.commitBlock(chain.genesis());
    for (const tx of [pvtTx('b1', { name: COLL, writes: [{ key: 'a', value: large('short-lived') }] }), pvtTx('b2', { name: COLL, writes: [{ key: 'b', value: large('younger') }] })]) {
      const { block, pvtData } = chain.next([tx]);
      await ledger.commitBlock(block, pvtData, { collectionMembers });
    }
    await ledger.commitBlock(chain.next([pvtTx('b3')]).block);
    expect(await filesWith(dir, 'short-lived')).toEqual([]);
    expect(await blobFiles(dir)).toEqual(['Hospital1MSP.2.0.0', 'InsurerMSP.2.0.0']);
    expect(ledger.privateStore(H1).get(CC, COLL, 'b')?.value.toString()).toBe(large('younger'));
    await ledger.close();
  });

  it('a crash after the blob write, before the batch: the block is applied again and its torn blob rewritten', async () => {
    const chain = new TestChain();
    const ledger = await open();
    await ledger.commitBlock(chain.genesis());
    await ledger.close();
    // What a kill while writing the blob of block 1 leaves: its private data and block durable, a torn blob.
    const b1 = chain.next([pvtTx('w', { name: COLL, writes: [{ key: 'doc', value: large('after-crash') }] })]);
    for (const [name, record] of [
      ['pvtdata-InsurerMSP.dat', encodePvtRecord({ blockNum: 1n, txs: b1.pvtData })],
      ['blocks.dat', b1.block.serializeBinary()],
    ] as const) {
      const log = await RecordLog.open(join(dir, name));
      for await (const _ of log.scan());
      await log.append([record]);
      await log.close();
    }
    await writeFile(join(dir, 'blobs', 'InsurerMSP.1.0.0'), 'after-crash, half writ');
    const reopened = await open();
    expect(reopened.blocks.height).toBe(2n);
    expect(reopened.privateStore(INS).get(CC, COLL, 'doc')?.value.toString()).toBe(large('after-crash'));
    expect(rwsetHashes(reopened.privateStore(INS).blockPvtData(1n).get(0))).toEqual(rwsetHashes(b1.pvtData.get(0)));
    expect(await blobFiles(dir)).toEqual(['InsurerMSP.1.0.0']); // its data file had no record for H1
    await reopened.close();
  });

  it('a crash after the purge batch, before the unlink: the deletion is finished on open', async () => {
    const chain = new TestChain();
    const ledger = await open();
    await ledger.commitBlock(chain.genesis());
    const b1 = chain.next([pvtTx('w', { name: COLL, writes: [{ key: 'k', value: large('purged-late') }] })]);
    await ledger.commitBlock(b1.block, b1.pvtData, { collectionMembers });
    const kept = await Promise.all((await blobFiles(dir)).map(async (name) => [name, await readFile(join(dir, 'blobs', name))] as const));
    const b2 = chain.next([pvtTx('p', { name: COLL, writes: [{ key: 'k', purge: true }] })]);
    await ledger.commitBlock(b2.block, b2.pvtData, { collectionMembers });
    await ledger.close();
    // Put the blobs back and the pending deletions with them: the store as the crash left it.
    for (const [name, bytes] of kept) await writeFile(join(dir, 'blobs', name), bytes);
    const { KvStore } = await import('./kv');
    const { tableKey } = await import('./codec');
    const kv = await KvStore.open(join(dir, 'state'));
    for (const [name] of kept) kv.put(tableKey('D', name), Buffer.alloc(0));
    await kv.flush(true);
    await kv.close();
    expect(await filesWith(dir, 'purged-late')).toHaveLength(2);

    const reopened = await open();
    expect(await filesWith(dir, 'purged-late')).toEqual([]);
    expect(await blobFiles(dir)).toEqual([]);
    await reopened.close();
  });

  it('a state directory built again drops the blobs no reference is left for and writes the replayable ones', async () => {
    const chain = new TestChain();
    const ledger = await open();
    await ledger.commitBlock(chain.genesis());
    const b1 = chain.next([pvtTx('w', { name: COLL, writes: [{ key: 'doc', value: large('unreachable') }] })]);
    await ledger.commitBlock(b1.block, b1.pvtData, { collectionMembers });
    await ledger.close();
    await rm(join(dir, 'state'), { recursive: true });
    const reopened = await open();
    expect(reopened.blocks.height).toBe(2n);
    expect(await blobFiles(dir)).toEqual([]); // its private data is gone with the store, as a peer's would be
    expect(await filesWith(dir, 'unreachable')).toEqual([]);
    await reopened.close();
  });
});
