import { ledger, peer } from '@hyperledger/fabric-protos';
import type { Version } from '../ledger';
import { kvRead } from '../sim/rwset-builder';
import { RangeQueryResults, rangeQueryInfo } from '../sim/range-query';
import { BlockUpdates } from './block-updates';
import { mvccCode, type CommittedState } from './mvcc';
import type { NamespaceRwset } from './transaction';

const kv = ledger.rwset.kvrwset;
const Code = peer.TxValidationCode;

/** Keys of `entries` in [start, end), ordered (ASCII keys in these tests). */
function rangeOf(entries: Record<string, Version>, start: string, end: string): Array<{ key: string; version: Version }> {
  return Object.keys(entries)
    .sort()
    .filter((k) => k >= start && (end === '' || k < end))
    .map((key) => ({ key, version: entries[key] as Version }));
}

function toAsync<T>(items: readonly T[]): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]: () => {
      const it = items[Symbol.iterator]();
      return { next: () => Promise.resolve(it.next()) };
    },
  };
}

/** Committed public state: key → version, ordered by key (ASCII keys in these tests). */
function state(entries: Record<string, Version>, hashed: Record<string, Version> = {}): CommittedState {
  return {
    version: (_ns, key) => entries[key],
    hashedVersion: (_ns, coll, keyHash) => hashed[`${coll}/${Buffer.from(keyHash).toString()}`],
    range: (_ns, start, end) => toAsync(rangeOf(entries, start, end)),
  };
}

const v = (blockNum: number, txNum = 0): Version => ({ blockNum: BigInt(blockNum), txNum });

function ns(parts: { reads?: ledger.rwset.kvrwset.KVRead[]; writes?: Array<[string, boolean]>; ranges?: ledger.rwset.kvrwset.RangeQueryInfo[]; hashedReads?: Array<[string, string, Version | undefined]> }): NamespaceRwset {
  const set = new kv.KVRWSet();
  set.setReadsList(parts.reads ?? []);
  set.setRangeQueriesInfoList(parts.ranges ?? []);
  set.setWritesList(
    (parts.writes ?? []).map(([key, isDelete]) => {
      const w = new kv.KVWrite();
      w.setKey(key);
      if (isDelete) w.setIsDelete(true);
      else w.setValue(Buffer.from('x'));
      return w;
    }),
  );
  const collections = new Map<string, ledger.rwset.kvrwset.HashedRWSet>();
  for (const [coll, keyHash, version] of parts.hashedReads ?? []) {
    const hashed = collections.get(coll) ?? new kv.HashedRWSet();
    const read = new kv.KVReadHash();
    read.setKeyHash(Buffer.from(keyHash));
    if (version) {
      const kvVersion = new kv.Version();
      kvVersion.setBlockNum(Number(version.blockNum));
      kvVersion.setTxNum(version.txNum);
      read.setVersion(kvVersion);
    }
    hashed.addHashedReads(read);
    collections.set(coll, hashed);
  }
  return { namespace: 'cc', kv: set, collections: [...collections].map(([name, hashed]) => ({ name, hashed, pvtRwsetHash: new Uint8Array() })) };
}

/** The RangeQueryInfo the simulator records for a scan over `entries` of [start, end). */
function scan(entries: Record<string, Version>, start: string, end: string, exhausted = true): ledger.rwset.kvrwset.RangeQueryInfo {
  const results = new RangeQueryResults();
  for (const kvr of rangeOf(entries, start, end)) results.add(kvRead(kvr.key, kvr.version));
  return rangeQueryInfo(start, end, exhausted, results.done());
}

describe('MVCC validation', () => {
  const committed = { a: v(1), b: v(2), p1: v(3), p2: v(3, 1) };

  it('is VALID when every read still sees its version, including absent keys', async () => {
    const tx = ns({ reads: [kvRead('a', v(1)), kvRead('missing', undefined)] });
    expect(await mvccCode(state(committed), new BlockUpdates(), [tx])).toBe(Code.VALID);
  });

  it('flags a stale version as MVCC_READ_CONFLICT', async () => {
    expect(await mvccCode(state(committed), new BlockUpdates(), [ns({ reads: [kvRead('b', v(1))] })])).toBe(Code.MVCC_READ_CONFLICT);
    expect(await mvccCode(state(committed), new BlockUpdates(), [ns({ reads: [kvRead('new', v(1))] })])).toBe(Code.MVCC_READ_CONFLICT);
  });

  it('flags a read of a key written earlier in the same block', async () => {
    const updates = new BlockUpdates();
    updates.add([ns({ writes: [['a', false]] })]);
    expect(await mvccCode(state(committed), updates, [ns({ reads: [kvRead('a', v(1))] })])).toBe(Code.MVCC_READ_CONFLICT);
  });

  it('keeps a range scan VALID when nothing changed in it, and flags inserts, updates and deletes as PHANTOM_READ_CONFLICT', async () => {
    const info = scan(committed, 'p', 'q');
    expect(await mvccCode(state(committed), new BlockUpdates(), [ns({ ranges: [info] })])).toBe(Code.VALID);
    expect(await mvccCode(state({ ...committed, p3: v(4) }), new BlockUpdates(), [ns({ ranges: [info] })])).toBe(Code.PHANTOM_READ_CONFLICT);
    expect(await mvccCode(state({ ...committed, p1: v(4) }), new BlockUpdates(), [ns({ ranges: [info] })])).toBe(Code.PHANTOM_READ_CONFLICT);
    const { p2: _removed, ...deleted } = committed;
    expect(await mvccCode(state(deleted), new BlockUpdates(), [ns({ ranges: [info] })])).toBe(Code.PHANTOM_READ_CONFLICT);
    expect(await mvccCode(state({ ...committed, z: v(4) }), new BlockUpdates(), [ns({ ranges: [info] })])).toBe(Code.VALID);
  });

  it('treats the end key of a non-exhausted scan as inclusive', async () => {
    const info = scan(committed, 'p', 'p1\u0000', false);
    info.setEndKey('p1');
    expect(await mvccCode(state(committed), new BlockUpdates(), [ns({ ranges: [info] })])).toBe(Code.VALID);
    expect(await mvccCode(state({ ...committed, p1: v(9) }), new BlockUpdates(), [ns({ ranges: [info] })])).toBe(Code.PHANTOM_READ_CONFLICT);
    expect(await mvccCode(state({ ...committed, p15: v(9) }), new BlockUpdates(), [ns({ ranges: [info] })])).toBe(Code.VALID);
  });

  it('flags a scan whose range an earlier transaction of the block wrote into', async () => {
    const info = scan(committed, 'p', 'q');
    const updates = new BlockUpdates();
    updates.add([ns({ writes: [['p0', false]] })]);
    expect(await mvccCode(state(committed), updates, [ns({ ranges: [info] })])).toBe(Code.PHANTOM_READ_CONFLICT);
    const deleteOfMissing = new BlockUpdates();
    deleteOfMissing.add([ns({ writes: [['p9', true]] })]);
    expect(await mvccCode(state(committed), deleteOfMissing, [ns({ ranges: [info] })])).toBe(Code.VALID);
  });

  it('treats a metadata change earlier in the block as a change of the key', async () => {
    const metadataOnly = ns({});
    const write = new kv.KVMetadataWrite();
    write.setKey('a');
    metadataOnly.kv.setMetadataWritesList([write]);
    const updates = new BlockUpdates();
    updates.add([metadataOnly]);
    expect(await mvccCode(state(committed), updates, [ns({ reads: [kvRead('a', v(1))] })])).toBe(Code.MVCC_READ_CONFLICT);
    expect(await mvccCode(state(committed), updates, [ns({ ranges: [scan(committed, 'a', 'b')] })])).toBe(Code.PHANTOM_READ_CONFLICT);
    expect(updates.publicMetadataChanged('cc', 'a')).toBe(true);
  });

  it('compares Merkle summaries for scans of more than 50 keys', async () => {
    const many: Record<string, Version> = {};
    for (let i = 0; i < 150; i++) many[`k${String(i).padStart(3, '0')}`] = v(1, i);
    const info = scan(many, 'k', 'l');
    expect(info.getReadsMerkleHashes()).toBeDefined();
    expect(await mvccCode(state(many), new BlockUpdates(), [ns({ ranges: [info] })])).toBe(Code.VALID);
    expect(await mvccCode(state({ ...many, k0745: v(2) }), new BlockUpdates(), [ns({ ranges: [info] })])).toBe(Code.PHANTOM_READ_CONFLICT);
  });

  it('checks hashed (private) reads against the hashed state', async () => {
    const hashedState = state(committed, { 'c/h1': v(5) });
    expect(await mvccCode(hashedState, new BlockUpdates(), [ns({ hashedReads: [['c', 'h1', v(5)]] })])).toBe(Code.VALID);
    expect(await mvccCode(hashedState, new BlockUpdates(), [ns({ hashedReads: [['c', 'h1', v(4)]] })])).toBe(Code.MVCC_READ_CONFLICT);
  });
});
