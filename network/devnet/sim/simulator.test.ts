import { createHash } from 'node:crypto';
import { ledger as protos } from '@hyperledger/fabric-protos';
import { Ledger } from '../ledger';
import { UnsupportedTransactionError } from './errors';
import { rangeQueryReadsMatch } from './range-query';
import { kvRead } from './rwset-builder';
import { TxSimulator } from './simulator';
import { collect } from '../ledger/testing/collect';

const kv = protos.rwset.kvrwset;
const sha256 = (data: string | Uint8Array): Buffer => createHash('sha256').update(data).digest();
const v = (blockNum: number, txNum = 0) => ({ blockNum: BigInt(blockNum), txNum });

function nsRwset(results: ReturnType<TxSimulator['done']>, ns: string) {
  const set = results.publicRwset.getNsRwsetList().find((n) => n.getNamespace() === ns);
  if (!set) throw new Error(`no namespace ${ns}`);
  return { set, kv: kv.KVRWSet.deserializeBinary(set.getRwset_asU8()) };
}

describe('TxSimulator', () => {
  let ledger: Ledger;

  beforeEach(async () => {
    ledger = await Ledger.open({ orgs: ['Org1MSP', 'Org2MSP'] });
    ledger.state.applyPut('cc', 'k', Buffer.from('committed'), v(3, 1));
  });

  afterEach(() => ledger.close());

  it('reads committed state only and records the version it read', () => {
    const sim = new TxSimulator(ledger, 'Org1MSP', 'tx1');
    sim.setState('cc', 'k', Buffer.from('new'));
    expect(sim.getState('cc', 'k')?.toString()).toBe('committed');
    expect(sim.getState('cc', 'missing')).toBeUndefined();
    const { kv: rw } = nsRwset(sim.done(), 'cc');
    expect(rw.getReadsList().map((r) => [r.getKey(), r.getVersion()?.getBlockNum(), r.getVersion()?.getTxNum()])).toEqual([
      ['k', 3, 1],
      ['missing', undefined, undefined],
    ]);
    expect(rw.getWritesList().map((w) => [w.getKey(), Buffer.from(w.getValue_asU8()).toString()])).toEqual([['k', 'new']]);
  });

  it('sorts namespaces and keys by UTF-8 bytes; last write wins; empty value is a delete', () => {
    const sim = new TxSimulator(ledger, 'Org1MSP', 'tx1');
    const astral = 'a\u{10000}';
    const bmp = 'a\uE000';
    sim.setState('zz', 'x', Buffer.from('1'));
    sim.setState('cc', astral, Buffer.from('1'));
    sim.setState('cc', bmp, Buffer.from('1'));
    sim.setState('cc', 'b', Buffer.from('first'));
    sim.setState('cc', 'b', Buffer.from(''));
    sim.lookUpDefinition('cc', v(0));
    const results = sim.done();
    expect(results.publicRwset.getNsRwsetList().map((n) => n.getNamespace())).toEqual(['_lifecycle', 'cc', 'zz']);
    const writes = nsRwset(results, 'cc').kv.getWritesList();
    // UTF-16 order would put U+10000 (a surrogate pair) before U+E000; UTF-8 order does not.
    expect(writes.map((w) => w.getKey())).toEqual([bmp, astral, 'b']);
    expect(writes[2]?.getIsDelete()).toBe(true);
    expect(nsRwset(results, '_lifecycle').kv.getReadsList().map((r) => r.getKey())).toEqual(['namespaces/fields/cc/Sequence']);
  });

  it('rejects writes after a paginated query and paginated queries after a write, with Fabric texts', () => {
    const a = new TxSimulator(ledger, 'Org1MSP', 'txa');
    a.rangeScanWithPagination('cc', '', '', 10);
    expect(() => a.setState('cc', 'k', Buffer.from('x'))).toThrow(
      new UnsupportedTransactionError('txa', 'Transaction has already performed a paginated query. Writes are not allowed'),
    );
    expect(() => a.setState('cc', 'k', Buffer.from('x'))).toThrow(
      'txid [txa]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed',
    );
    const b = new TxSimulator(ledger, 'Org1MSP', 'txb');
    b.deleteState('cc', 'k');
    expect(() => b.rangeScanWithPagination('cc', '', '', 10)).toThrow(
      'txid [txb]: unsuppored transaction. Paginated queries are supported only in a read-only transaction',
    );
    expect(() => b.privateRangeScan('cc', 'c', '', '')).toThrow(
      'txid [txb]: unsuppored transaction. Queries on pvt data is supported only in a read-only transaction',
    );
  });

  describe('range scans', () => {
    beforeEach(() => {
      for (let i = 0; i < 150; i++) ledger.state.applyPut('cc', `p${String(i).padStart(3, '0')}`, Buffer.from('v'), v(5, i));
    });

    it('summarizes more than 50 reads as a Merkle tree (max_degree 50, max_level 1, 3 hashes)', async () => {
      const sim = new TxSimulator(ledger, 'Org1MSP', 'tx');
      const itr = sim.rangeScan('cc', 'p', 'pz');
      let n = 0;
      while (await itr.next()) n++;
      expect(n).toBe(150);
      const info = nsRwset(sim.done(), 'cc').kv.getRangeQueriesInfoList()[0];
      expect(info?.getItrExhausted()).toBe(true);
      expect(info?.getEndKey()).toBe('pz');
      expect(info?.getRawReads()).toBeUndefined();
      const summary = info?.getReadsMerkleHashes();
      expect([summary?.getMaxDegree(), summary?.getMaxLevel(), summary?.getMaxLevelHashesList().length]).toEqual([50, 1, 3]);
      // The committer's re-run: same reads match, one extra key is a phantom.
      const reads = (await collect(ledger.state.range('cc', 'p', 'pz'))).map((r) => kvRead(r.key, r.version));
      expect(rangeQueryReadsMatch(info as protos.rwset.kvrwset.RangeQueryInfo, reads)).toBe(true);
      expect(rangeQueryReadsMatch(info as protos.rwset.kvrwset.RangeQueryInfo, [...reads, kvRead('p150', v(9))])).toBe(false);
    });

    it('a partial scan records what was pulled, with the last pulled key as end key', async () => {
      const sim = new TxSimulator(ledger, 'Org1MSP', 'tx');
      const itr = sim.rangeScan('cc', 'p', 'pz');
      await itr.next();
      await itr.next();
      const info = nsRwset(sim.done(), 'cc').kv.getRangeQueriesInfoList()[0];
      expect([info?.getItrExhausted(), info?.getEndKey()]).toEqual([false, 'p001']);
      expect(info?.getRawReads()?.getKvReadsList().map((r) => r.getKey())).toEqual(['p000', 'p001']);
      expect(nsRwset(sim.done(), 'cc').kv.getReadsList()).toEqual([]);
    });

    it('identical scans are recorded once', async () => {
      const sim = new TxSimulator(ledger, 'Org1MSP', 'tx');
      for (const itr of [sim.rangeScan('cc', 'p1', 'p2'), sim.rangeScan('cc', 'p1', 'p2')]) while (await itr.next());
      expect(nsRwset(sim.done(), 'cc').kv.getRangeQueriesInfoList()).toHaveLength(1);
    });

    it('a paginated scan stops at the page size and peeks the bookmark without recording it', async () => {
      const sim = new TxSimulator(ledger, 'Org1MSP', 'tx');
      const itr = sim.rangeScanWithPagination('cc', 'p', 'pz', 60);
      let n = 0;
      while (n < 60 && (await itr.next())) n++;
      expect(await itr.bookmarkAndClose()).toBe('p060');
      const info = nsRwset(sim.done(), 'cc').kv.getRangeQueriesInfoList()[0];
      expect([info?.getItrExhausted(), info?.getEndKey()]).toEqual([false, 'p059']);
    });
  });

  describe('private data', () => {
    beforeEach(() => {
      ledger.state.applyHashedPut('cc', 'coll', sha256('pk'), sha256('secret'), v(92));
    });

    it('fails on a peer whose private copy does not match the hashed version', () => {
      const sim = new TxSimulator(ledger, 'Org2MSP', 'tx');
      expect(() => sim.getPrivateData('cc', 'coll', 'pk')).toThrow(
        'private data matching public hash version is not available. Public hash version = {BlockNum: 92, TxNum: 0}, Private data version = <nil>',
      );
      expect(sim.getPrivateData('cc', 'coll', 'never')).toBeUndefined();
      expect(sim.getPrivateDataHash('cc', 'coll', 'pk')).toEqual(sha256('secret'));
    });

    it('writes produce hashed writes in the public rwset and the private set hashed into pvt_rwset_hash', () => {
      const sim = new TxSimulator(ledger, 'Org1MSP', 'tx');
      sim.setPrivateData('cc', 'coll', 'b', Buffer.from('secret'));
      sim.purgePrivateData('cc', 'coll', 'a');
      const results = sim.done();
      const hashed = nsRwset(results, 'cc').set.getCollectionHashedRwsetList()[0];
      const hashedSet = kv.HashedRWSet.deserializeBinary(hashed?.getHashedRwset_asU8() as Uint8Array);
      const writes = hashedSet.getHashedWritesList();
      expect(writes.map((w) => [Buffer.from(w.getKeyHash_asU8()), w.getIsDelete(), w.getIsPurge()])).toEqual([
        [sha256('a'), true, true],
        [sha256('b'), false, false],
      ]);
      expect(Buffer.from(writes[1]?.getValueHash_asU8() as Uint8Array)).toEqual(sha256('secret'));
      const pvt = results.pvtRwset?.getNsPvtRwsetList()[0]?.getCollectionPvtRwsetList()[0];
      expect(pvt?.getCollectionName()).toBe('coll');
      expect(Buffer.from(hashed?.getPvtRwsetHash_asU8() as Uint8Array)).toEqual(sha256(pvt?.getRwset_asU8() as Uint8Array));
      expect(JSON.stringify(results.publicRwset.toObject())).not.toContain(Buffer.from('secret').toString('base64'));
    });
  });

  it("builds the interest from each written key's committed metadata, however often the key is written", () => {
    const policy = Buffer.from('policy-bytes');
    ledger.state.applyMetadata('cc', 'k', [{ name: 'VALIDATION_PARAMETER', value: policy }], v(3, 2));
    const sim = new TxSimulator(ledger, 'Org1MSP', 'tx1');
    sim.setState('cc', 'k', Buffer.from('new'));
    sim.setStateMetadata('cc', 'k', new Map([['VALIDATION_PARAMETER', Buffer.from('next')]]));
    sim.setState('cc', 'fresh', Buffer.from('1'));
    sim.setStateMetadata('cc', 'fresh', new Map([['VALIDATION_PARAMETER', Buffer.from('next')]]));
    const calls = sim.interest.build(['cc'], () => false).getChaincodesList();
    // k's committed policy once per write; fresh (no committed metadata) needs the chaincode policy.
    expect(calls.map((c) => [c.getName(), c.getKeyPoliciesList().length, c.getDisregardNamespacePolicy()])).toEqual([['cc', 2, false]]);
  });
});
