/**
 * Purged and expired private values leave the disk (GDPR erasure), not only the peers' reads:
 * the private data files are rewritten after such a commit and, for a crash in between, on open.
 */
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledger as protos } from '@hyperledger/fabric-protos';
import { Ledger } from './ledger';
import { encodePvtRecord } from './pvt-record';
import { RecordLog } from './record-log';
import { TestChain, type TestCollection } from './testing/block-builder';

const H1 = 'Hospital1MSP';
const INS = 'InsurerMSP';
const CC = 'healthledger';
const SHARED = 'claimDetails';
const collectionMembers = (): string[] => [H1, INS];
const pvtTx = (txId: string, ...collections: TestCollection[]) => ({ txId, namespaces: [{ namespace: CC, collections }] });

/** Names of the files in `dir` holding `text`. */
async function filesWith(dir: string, text: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of await readdir(dir)) if ((await readFile(join(dir, name))).includes(Buffer.from(text))) found.push(name);
  return found.sort();
}

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

  it('a purge removes the value from every private data file as it commits; the rest replays', async () => {
    const chain = new TestChain();
    const ledger = await Ledger.open({ dir, orgs: [H1, INS] });
    await ledger.commitBlock(chain.genesis());
    const b1 = chain.next([pvtTx('w', { name: SHARED, writes: [{ key: 'k', value: 'secret-purged' }, { key: 'other', value: 'value-kept' }] })]);
    await ledger.commitBlock(b1.block, b1.pvtData, { collectionMembers });
    expect(await filesWith(dir, 'secret-purged')).toEqual(['pvtdata-Hospital1MSP.dat', 'pvtdata-InsurerMSP.dat']);
    const b2 = chain.next([pvtTx('p', { name: SHARED, writes: [{ key: 'k', purge: true }] })]);
    await ledger.commitBlock(b2.block, b2.pvtData, { collectionMembers });
    expect(await filesWith(dir, 'secret-purged')).toEqual([]);
    expect(await filesWith(dir, 'value-kept')).toEqual(['pvtdata-Hospital1MSP.dat', 'pvtdata-InsurerMSP.dat']);
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
    expect(await filesWith(dir, 'short-lived')).toHaveLength(2);
    await ledger.commitBlock(chain.next([pvtTx('b3')]).block); // 1 + 1 + 1: block 1's data expires
    expect(await filesWith(dir, 'short-lived')).toEqual([]);
    expect(await filesWith(dir, 'younger')).toHaveLength(2);
    await ledger.close();
    const reopened = await open();
    expect(reopened.privateStore(H1).get(CC, SHARED, 'b')?.value.toString()).toBe('younger');
    expect(reopened.privateStore(H1).get(CC, SHARED, 'a')).toBeUndefined();
    await reopened.close();
  });

  it('a crash between the purge block and the rewrite is made good on open, and a stale temporary file removed', async () => {
    const chain = new TestChain();
    const ledger = await Ledger.open({ dir, orgs: [H1, INS] });
    await ledger.commitBlock(chain.genesis());
    const b1 = chain.next([pvtTx('w', { name: SHARED, writes: [{ key: 'k', value: 'secret-purged' }, { key: 'other', value: 'value-kept' }] })]);
    await ledger.commitBlock(b1.block, b1.pvtData, { collectionMembers });
    const file = join(dir, 'pvtdata-InsurerMSP.dat');
    await copyFile(file, join(dir, 'saved'));
    const b2 = chain.next([pvtTx('p', { name: SHARED, writes: [{ key: 'k', purge: true }] })]);
    await ledger.commitBlock(b2.block, b2.pvtData, { collectionMembers });
    await ledger.close();
    // What the file held when the purge block was durable but not yet rewritten.
    await copyFile(join(dir, 'saved'), file);
    await rm(join(dir, 'saved'));
    const log = await RecordLog.open(file);
    for await (const _ of log.scan());
    await log.append([encodePvtRecord({ blockNum: 2n, txs: b2.pvtData })]);
    await log.close();
    await writeFile(`${file}.compact`, 'secret-purged, half written');
    expect(await filesWith(dir, 'secret-purged')).toEqual(['pvtdata-InsurerMSP.dat', 'pvtdata-InsurerMSP.dat.compact']);

    const reopened = await Ledger.open({ dir, orgs: [H1, INS] });
    expect(await filesWith(dir, 'secret-purged')).toEqual([]);
    expect(await readdir(dir)).not.toContain('pvtdata-InsurerMSP.dat.compact');
    expect(reopened.privateStore(INS).get(CC, SHARED, 'other')?.value.toString()).toBe('value-kept');
    await reopened.close();
  });
});
