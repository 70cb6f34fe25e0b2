import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledger as protos } from '@hyperledger/fabric-protos';
import { Ledger } from './ledger';
import { TestChain, type TestCollection } from './testing/block-builder';
import { collect } from './testing/collect';

const H1 = 'Hospital1MSP';
const H2 = 'Hospital2MSP';
const INS = 'InsurerMSP';
const CC = 'healthledger';
const IMPLICIT_H1 = `_implicit_org_${H1}`;
const SHARED = 'claimDetails'; // members: Hospital1 and Insurer
const sha = (s: string): Buffer => createHash('sha256').update(s).digest();

const collectionMembers = (_ns: string, coll: string): string[] => (coll === SHARED ? [H1, INS] : coll === IMPLICIT_H1 ? [H1] : []);

function pvtTx(txId: string, ...collections: TestCollection[]) {
  return { txId, namespaces: [{ namespace: CC, collections }] };
}

/** Writes per collection of one tx of `blockPvtData`: `coll: [key=value | key(deleted)]`. */
function describeTx(pvt: protos.rwset.TxPvtReadWriteSet | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const ns of pvt?.getNsPvtRwsetList() ?? []) {
    for (const coll of ns.getCollectionPvtRwsetList()) {
      const kv = protos.rwset.kvrwset.KVRWSet.deserializeBinary(coll.getRwset_asU8());
      out[coll.getCollectionName()] = kv.getWritesList().map((w) => (w.getIsDelete() ? `${w.getKey()}(deleted)` : `${w.getKey()}=${Buffer.from(w.getValue_asU8()).toString()}`));
    }
  }
  return out;
}

async function setup(log?: (m: string) => void): Promise<{ ledger: Ledger; chain: TestChain }> {
  const ledger = await Ledger.open({ orgs: [H1, H2, INS], log });
  const chain = new TestChain();
  await ledger.commitBlock(chain.genesis());
  return { ledger, chain };
}

describe('Ledger private data', () => {
  it('applies private writes to member orgs only; every org sees the hashes', async () => {
    const { ledger, chain } = await setup();
    const { block, pvtData } = chain.next([
      pvtTx('t1', { name: IMPLICIT_H1, writes: [{ key: 'rec~1', value: 'phi-1' }] }, { name: SHARED, writes: [{ key: 'claim~1', value: 'detail' }] }),
    ]);
    await ledger.commitBlock(block, pvtData, { collectionMembers });
    const v = { blockNum: 1n, txNum: 0 };
    expect(ledger.privateStore(H1).get(CC, IMPLICIT_H1, 'rec~1')).toEqual({ value: Buffer.from('phi-1'), version: v });
    expect(ledger.privateStore(H2).get(CC, IMPLICIT_H1, 'rec~1')).toBeUndefined();
    expect(ledger.privateStore(INS).get(CC, IMPLICIT_H1, 'rec~1')).toBeUndefined();
    expect(ledger.privateStore(INS).get(CC, SHARED, 'claim~1')?.value.toString()).toBe('detail');
    expect(ledger.privateStore(H2).get(CC, SHARED, 'claim~1')).toBeUndefined();
    expect(ledger.state.getHashed(CC, IMPLICIT_H1, sha('rec~1'))).toEqual({ valueHash: sha('phi-1'), version: v, metadata: new Map() });
    expect(describeTx(ledger.privateStore(H1).blockPvtData(1n).get(0))).toEqual({ [IMPLICIT_H1]: ['rec~1=phi-1'], [SHARED]: ['claim~1=detail'] });
    expect(describeTx(ledger.privateStore(INS).blockPvtData(1n).get(0))).toEqual({ [SHARED]: ['claim~1=detail'] });
    expect(ledger.privateStore(H2).blockPvtData(1n).size).toBe(0);
    // Private data is not public state and has no history.
    expect(ledger.state.get(CC, 'rec~1')).toBeUndefined();
    expect(await ledger.history.get(CC, 'rec~1')).toEqual([]);
  });

  it('scans private keys in UTF-8 order', async () => {
    const { ledger, chain } = await setup();
    const writes = ['b', 'a\u{10000}', 'a\uE000', 'c'].map((key) => ({ key, value: key }));
    const { block, pvtData } = chain.next([pvtTx('t', { name: IMPLICIT_H1, writes })]);
    await ledger.commitBlock(block, pvtData, { collectionMembers });
    expect((await collect(ledger.privateStore(H1).range(CC, IMPLICIT_H1, 'a', 'c'))).map((kv) => kv.key)).toEqual(['a\uE000', 'a\u{10000}', 'b']);
  });

  it('does not apply a private rwset whose hash does not match, and logs it', async () => {
    const logged: string[] = [];
    const { ledger, chain } = await setup((m) => logged.push(m));
    const { block, pvtData } = chain.next([pvtTx('t1', { name: IMPLICIT_H1, writes: [{ key: 'k', value: 'endorsed' }] })]);
    const forged = new protos.rwset.kvrwset.KVRWSet();
    const write = new protos.rwset.kvrwset.KVWrite();
    write.setKey('k');
    write.setValue(Buffer.from('forged'));
    forged.addWrites(write);
    pvtData.get(0)!.getNsPvtRwsetList()[0]!.getCollectionPvtRwsetList()[0]!.setRwset(forged.serializeBinary());
    await ledger.commitBlock(block, pvtData, { collectionMembers });
    expect(ledger.privateStore(H1).get(CC, IMPLICIT_H1, 'k')).toBeUndefined();
    expect(ledger.state.getHashed(CC, IMPLICIT_H1, sha('k'))?.valueHash).toEqual(sha('endorsed'));
    expect(logged).toEqual([expect.stringContaining(`block 1, tx 0 (t1): private rwset of ${CC}/${IMPLICIT_H1} does not match pvt_rwset_hash`)]);
  });

  it('discards private data of invalid transactions', async () => {
    const { ledger, chain } = await setup();
    const { block, pvtData } = chain.next([{ ...pvtTx('t1', { name: IMPLICIT_H1, writes: [{ key: 'k', value: 'v' }] }), code: 11 }]);
    await ledger.commitBlock(block, pvtData, { collectionMembers });
    expect(ledger.privateStore(H1).get(CC, IMPLICIT_H1, 'k')).toBeUndefined();
    expect(ledger.state.getHashed(CC, IMPLICIT_H1, sha('k'))).toBeUndefined();
    expect(ledger.privateStore(H1).blockPvtData(1n).size).toBe(0);
  });

  it('requires collectionMembers when private data is given', async () => {
    const { ledger, chain } = await setup();
    const { block, pvtData } = chain.next([pvtTx('t1', { name: IMPLICIT_H1, writes: [{ key: 'k', value: 'v' }] })]);
    await expect(ledger.commitBlock(block, pvtData)).rejects.toThrow('private data given without collectionMembers');
    expect(ledger.blocks.height).toBe(1n);
  });

  it('deletes private keys and hashes', async () => {
    const { ledger, chain } = await setup();
    const first = chain.next([pvtTx('t1', { name: SHARED, writes: [{ key: 'k', value: 'v' }] })]);
    await ledger.commitBlock(first.block, first.pvtData, { collectionMembers });
    const second = chain.next([pvtTx('t2', { name: SHARED, writes: [{ key: 'k', delete: true }] })]);
    await ledger.commitBlock(second.block, second.pvtData, { collectionMembers });
    expect(ledger.privateStore(H1).get(CC, SHARED, 'k')).toBeUndefined();
    expect(ledger.state.getHashed(CC, SHARED, sha('k'))).toBeUndefined();
    // A delete is not a purge: the earlier write set stays visible.
    expect(describeTx(ledger.privateStore(H1).blockPvtData(1n).get(0))).toEqual({ [SHARED]: ['k=v'] });
  });

  it('applies hashed metadata writes (key-level endorsement of private keys)', async () => {
    const { ledger, chain } = await setup();
    const { block, pvtData } = chain.next([
      pvtTx('t1', { name: SHARED, writes: [{ key: 'k', value: 'v' }], metadataWrites: [{ key: 'k', entries: { VALIDATION_PARAMETER: 'policy' } }] }),
    ]);
    await ledger.commitBlock(block, pvtData, { collectionMembers });
    expect(ledger.state.getHashed(CC, SHARED, sha('k'))?.metadata.get('VALIDATION_PARAMETER')).toEqual(Buffer.from('policy'));
  });

  it('purges: hashed and private state gone on every org, earlier write sets filtered up to the purge', async () => {
    const { ledger, chain } = await setup();
    const b1 = chain.next([pvtTx('w1', { name: SHARED, writes: [{ key: 'k', value: 'old' }, { key: 'other', value: 'stays' }] })]);
    await ledger.commitBlock(b1.block, b1.pvtData, { collectionMembers });
    const b2 = chain.next([pvtTx('w2', { name: SHARED, writes: [{ key: 'k', value: 'newer' }] })]);
    await ledger.commitBlock(b2.block, b2.pvtData, { collectionMembers });
    const b3 = chain.next([{ txId: 'noise' }, pvtTx('purge', { name: SHARED, writes: [{ key: 'k', purge: true }] }), pvtTx('purge-never', { name: SHARED, writes: [{ key: 'never', purge: true }] })]);
    await ledger.commitBlock(b3.block, b3.pvtData, { collectionMembers });
    for (const org of [H1, INS]) {
      const store = ledger.privateStore(org);
      expect(store.get(CC, SHARED, 'k')).toBeUndefined();
      expect(store.get(CC, SHARED, 'other')?.value.toString()).toBe('stays');
      expect(describeTx(store.blockPvtData(1n).get(0))).toEqual({ [SHARED]: ['other=stays'] });
      expect(describeTx(store.blockPvtData(2n).get(0))).toEqual({ [SHARED]: [] });
      expect(describeTx(store.blockPvtData(3n).get(1))).toEqual({ [SHARED]: [] });
    }
    expect(ledger.state.getHashed(CC, SHARED, sha('k'))).toBeUndefined();
    expect(ledger.state.getHashed(CC, SHARED, sha('other'))).toBeDefined();
    expect(ledger.blocks.txLocation('purge-never')?.code).toBe(0);

    // Written again after the purge: visible, and the new write set is not filtered.
    const b4 = chain.next([pvtTx('w4', { name: SHARED, writes: [{ key: 'k', value: 'fresh' }] })]);
    await ledger.commitBlock(b4.block, b4.pvtData, { collectionMembers });
    expect(ledger.privateStore(H1).get(CC, SHARED, 'k')?.value.toString()).toBe('fresh');
    expect(describeTx(ledger.privateStore(H1).blockPvtData(4n).get(0))).toEqual({ [SHARED]: ['k=fresh'] });
    expect(describeTx(ledger.privateStore(H1).blockPvtData(2n).get(0))).toEqual({ [SHARED]: [] });
  });

  it('returns fresh messages from blockPvtData', async () => {
    const { ledger, chain } = await setup();
    const { block, pvtData } = chain.next([pvtTx('t', { name: IMPLICIT_H1, writes: [{ key: 'k', value: 'v' }] })]);
    await ledger.commitBlock(block, pvtData, { collectionMembers });
    ledger.privateStore(H1).blockPvtData(1n).get(0)?.setNsPvtRwsetList([]);
    expect(describeTx(ledger.privateStore(H1).blockPvtData(1n).get(0))).toEqual({ [IMPLICIT_H1]: ['k=v'] });
  });
});

describe('Ledger block-to-live', () => {
  const BTL = 2n; // data of block N expires when block N+3 commits
  async function btlLedger(dir?: string): Promise<Ledger> {
    return Ledger.open({ dir, orgs: [H1, INS], blockToLive: (_ns, coll) => (coll === SHARED ? BTL : 0n) });
  }

  it('expires private values, hashes and write sets B+1 blocks later unless overwritten', async () => {
    const ledger = await btlLedger();
    const chain = new TestChain();
    await ledger.commitBlock(chain.genesis());
    const commit = async (...txs: ReturnType<typeof pvtTx>[]): Promise<void> => {
      const { block, pvtData } = chain.next(txs);
      await ledger.commitBlock(block, pvtData, { collectionMembers });
    };
    await commit(pvtTx('b1', { name: SHARED, writes: [{ key: 'a', value: 'a1' }, { key: 'b', value: 'b1' }] }, { name: IMPLICIT_H1, writes: [{ key: 'forever', value: 'f' }] }));
    await commit(pvtTx('b2', { name: SHARED, writes: [{ key: 'b', value: 'b2' }] }));
    await commit(pvtTx('b3'));
    expect(ledger.privateStore(H1).get(CC, SHARED, 'a')?.value.toString()).toBe('a1'); // block 3: still there
    await commit(pvtTx('b4')); // 1 + 2 + 1
    for (const org of [H1, INS]) {
      expect(ledger.privateStore(org).get(CC, SHARED, 'a')).toBeUndefined();
      expect(ledger.privateStore(org).get(CC, SHARED, 'b')?.value.toString()).toBe('b2'); // overwritten in block 2
    }
    expect(ledger.state.getHashed(CC, SHARED, sha('a'))).toBeUndefined();
    expect(ledger.state.getHashed(CC, SHARED, sha('b'))?.valueHash).toEqual(sha('b2'));
    expect(describeTx(ledger.privateStore(H1).blockPvtData(1n).get(0))).toEqual({ [IMPLICIT_H1]: ['forever=f'] });
    expect(ledger.privateStore(INS).blockPvtData(1n).size).toBe(0);
    expect(ledger.privateStore(H1).get(CC, IMPLICIT_H1, 'forever')).toBeDefined();
    await commit(pvtTx('b5'));
    expect(ledger.privateStore(H1).get(CC, SHARED, 'b')).toBeUndefined();
    expect(ledger.state.getHashed(CC, SHARED, sha('b'))).toBeUndefined();
  });

  it('rebuilds the expiry schedule on replay', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ledger-btl-'));
    try {
      const chain = new TestChain();
      const first = await btlLedger(dir);
      await first.commitBlock(chain.genesis());
      for (const tx of [pvtTx('b1', { name: SHARED, writes: [{ key: 'a', value: 'a1' }] }), pvtTx('b2', { name: SHARED, writes: [{ key: 'b', value: 'b2' }] }), pvtTx('b3'), pvtTx('b4')]) {
        const { block, pvtData } = chain.next([tx]);
        await first.commitBlock(block, pvtData, { collectionMembers });
      }
      await first.close();
      const reopened = await btlLedger(dir);
      expect(reopened.privateStore(H1).get(CC, SHARED, 'a')).toBeUndefined();
      expect(reopened.privateStore(H1).get(CC, SHARED, 'b')?.value.toString()).toBe('b2');
      await reopened.commitBlock(chain.next([pvtTx('b5')]).block);
      expect(reopened.privateStore(H1).get(CC, SHARED, 'b')).toBeUndefined();
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
