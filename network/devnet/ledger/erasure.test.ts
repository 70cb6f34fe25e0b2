/**
 * Purged and expired private values leave the disk (GDPR erasure), not only the peers' reads:
 * the private data files hold a block's private data only until the key-value store has it, and
 * the store compacts the affected keys away after such a commit (and after replaying one on open).
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { ledger as protos } from '@hyperledger/fabric-protos';
import { Ledger } from './ledger';
import { encodePvtRecord } from './pvt-record';
import { RecordLog } from './record-log';
import { TestChain, type TestCollection } from './testing/block-builder';
import { filesWith } from './testing/files';

const H1 = 'Hospital1MSP';
const INS = 'InsurerMSP';
const CC = 'healthledger';
const SHARED = 'claimDetails';
const collectionMembers = (): string[] => [H1, INS];
const pvtTx = (txId: string, ...collections: TestCollection[]) => ({ txId, namespaces: [{ namespace: CC, collections }] });


/** True when every path is in the key-value store's directory. */
const inStore = (paths: readonly string[]): boolean => paths.length > 0 && paths.every((p) => p.startsWith(`state${sep}`));

function writesOf(pvt: protos.rwset.TxPvtReadWriteSet | undefined): string[] {
  return (pvt?.getNsPvtRwsetList() ?? []).flatMap((ns) =>
    ns.getCollectionPvtRwsetList().flatMap((coll) => protos.rwset.kvrwset.KVRWSet.deserializeBinary(coll.getRwset_asU8()).getWritesList().map((w) => w.getKey())),
  );
}

describe('Ledger private data on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ledger-erasure-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a purge removes the value from every file as it commits; the rest stays', async () => {
    const chain = new TestChain();
    const ledger = await Ledger.open({ dir, orgs: [H1, INS] });
    await ledger.commitBlock(chain.genesis());
    const b1 = chain.next([pvtTx('w', { name: SHARED, writes: [{ key: 'k', value: 'secret-purged' }, { key: 'other', value: 'value-kept' }] })]);
    await ledger.commitBlock(b1.block, b1.pvtData, { collectionMembers });
    expect(inStore(await filesWith(dir, 'secret-purged'))).toBe(true);
    const b2 = chain.next([pvtTx('p', { name: SHARED, writes: [{ key: 'k', purge: true }] })]);
    await ledger.commitBlock(b2.block, b2.pvtData, { collectionMembers });
    expect(await filesWith(dir, 'secret-purged')).toEqual([]);
    expect(inStore(await filesWith(dir, 'value-kept'))).toBe(true);
    // Appends go on after the rewrite.
    const b3 = chain.next([pvtTx('w3', { name: SHARED, writes: [{ key: 'k', value: 'written-again' }] })]);
    await ledger.commitBlock(b3.block, b3.pvtData, { collectionMembers });
    await ledger.close();

    const reopened = await Ledger.open({ dir, orgs: [H1, INS] });
    const store = reopened.privateStore(INS);
    expect(store.get(CC, SHARED, 'other')?.value.toString()).toBe('value-kept');
    expect(store.get(CC, SHARED, 'k')?.value.toString()).toBe('written-again');
    expect(writesOf(store.blockPvtData(1n).get(0))).toEqual(['other']);
    expect(reopened.blocks.height).toBe(4n);
    await reopened.close();
  });

  it('block-to-live expiry removes the expired write sets from disk', async () => {
    const chain = new TestChain();
    const open = () => Ledger.open({ dir, orgs: [H1, INS], blockToLive: () => 1n });
    const ledger = await open();
    await ledger.commitBlock(chain.genesis());
    for (const tx of [pvtTx('b1', { name: SHARED, writes: [{ key: 'a', value: 'short-lived' }] }), pvtTx('b2', { name: SHARED, writes: [{ key: 'b', value: 'younger' }] })]) {
      const { block, pvtData } = chain.next([tx]);
      await ledger.commitBlock(block, pvtData, { collectionMembers });
    }
    expect(inStore(await filesWith(dir, 'short-lived'))).toBe(true);
    await ledger.commitBlock(chain.next([pvtTx('b3')]).block); // 1 + 1 + 1: block 1's data expires
    expect(await filesWith(dir, 'short-lived')).toEqual([]);
    expect(inStore(await filesWith(dir, 'younger'))).toBe(true);
    await ledger.close();
    const reopened = await open();
    expect(reopened.privateStore(H1).get(CC, SHARED, 'b')?.value.toString()).toBe('younger');
    expect(reopened.privateStore(H1).get(CC, SHARED, 'a')).toBeUndefined();
    await reopened.close();
  });

  it('a purge block that reached the block file but not the store is applied and erased on open; a stale temporary file of the older layout is removed', async () => {
    const chain = new TestChain();
    const ledger = await Ledger.open({ dir, orgs: [H1, INS] });
    await ledger.commitBlock(chain.genesis());
    const b1 = chain.next([pvtTx('w', { name: SHARED, writes: [{ key: 'k', value: 'secret-purged' }, { key: 'other', value: 'value-kept' }] })]);
    await ledger.commitBlock(b1.block, b1.pvtData, { collectionMembers });
    await ledger.close();
    // What a crash after the fsyncs of block 2 and its private data, before the store's batch, leaves.
    const b2 = chain.next([pvtTx('p', { name: SHARED, writes: [{ key: 'k', purge: true }, { key: 'fresh', value: 'after-crash' }] })]);
    for (const [name, record] of [
      ['pvtdata-InsurerMSP.dat', encodePvtRecord({ blockNum: 2n, txs: b2.pvtData })],
      ['blocks.dat', b2.block.serializeBinary()],
    ] as const) {
      const log = await RecordLog.open(join(dir, name));
      for await (const _ of log.scan());
      await log.append([record]);
      await log.close();
    }
    await writeFile(join(dir, 'pvtdata-InsurerMSP.dat.compact'), 'secret-purged, half written');
    expect(await filesWith(dir, 'secret-purged')).toContain('pvtdata-InsurerMSP.dat.compact');

    const reopened = await Ledger.open({ dir, orgs: [H1, INS] });
    expect(await filesWith(dir, 'secret-purged')).toEqual([]);
    expect(await readdir(dir)).not.toContain('pvtdata-InsurerMSP.dat.compact');
    expect(reopened.blocks.height).toBe(3n);
    expect(reopened.privateStore(INS).get(CC, SHARED, 'other')?.value.toString()).toBe('value-kept');
    expect(reopened.privateStore(INS).get(CC, SHARED, 'fresh')?.value.toString()).toBe('after-crash');
    expect(reopened.privateStore(H1).get(CC, SHARED, 'fresh')).toBeUndefined(); // its data file had no record
    expect(inStore(await filesWith(dir, 'after-crash'))).toBe(true);
    await reopened.close();
  });
});
