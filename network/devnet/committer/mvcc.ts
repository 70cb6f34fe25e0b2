/**
 * MVCC and phantom-read validation: every read must still see the version it saw at
 * simulation, and every range scan must return the same keys, against committed state plus the
 * writes of transactions found VALID earlier in the block.
 */
import { ledger, peer } from '@hyperledger/fabric-protos';
import type { Version } from '../ledger';
import { toKvVersion } from '@healthledger/fabric-core/protos';
import { rangeQueryReadsMatch } from '../sim/range-query';
import type { BlockUpdates } from './block-updates';
import type { NamespaceRwset } from './transaction';

type KvVersion = ledger.rwset.kvrwset.Version | undefined;

/** Committed state as MVCC sees it. */
export interface CommittedState {
  version(ns: string, key: string): Version | undefined;
  hashedVersion(ns: string, coll: string, keyHash: Uint8Array): Version | undefined;
  range(ns: string, start: string, end: string): AsyncIterable<{ key: string; version: Version }>;
}

function sameVersion(committed: Version | undefined, read: KvVersion): boolean {
  if (!committed || !read) return !committed && !read;
  return BigInt(read.getBlockNum()) === committed.blockNum && read.getTxNum() === committed.txNum;
}

/** Smallest key greater than `key` in UTF-8 byte order: makes an exclusive bound inclusive. */
function successor(key: string): string {
  return `${key}\u0000`;
}

function inRange(key: string, start: string, endExclusive: string): boolean {
  const k = Buffer.from(key, 'utf8');
  if (Buffer.compare(k, Buffer.from(start, 'utf8')) < 0) return false;
  return endExclusive === '' || Buffer.compare(k, Buffer.from(endExclusive, 'utf8')) < 0;
}

/** Re-runs a recorded scan; false = PHANTOM_READ_CONFLICT. */
async function rangeStillValid(state: CommittedState, updates: BlockUpdates, ns: string, info: ledger.rwset.kvrwset.RangeQueryInfo): Promise<boolean> {
  const start = info.getStartKey();
  const end = info.getItrExhausted() ? info.getEndKey() : successor(info.getEndKey());
  for (const w of updates.publicWritesIn(ns)) {
    if (!inRange(w.key, start, end)) continue;
    // A put adds or re-versions a key; a delete or a metadata change matters only if it exists.
    if (w.change === 'put' || state.version(ns, w.key)) return false;
  }
  const reads: ledger.rwset.kvrwset.KVRead[] = [];
  for await (const kv of state.range(ns, start, end)) {
    const read = new ledger.rwset.kvrwset.KVRead();
    read.setKey(kv.key);
    read.setVersion(toKvVersion(kv.version));
    reads.push(read);
  }
  return rangeQueryReadsMatch(info, reads);
}

/** VALID, MVCC_READ_CONFLICT or PHANTOM_READ_CONFLICT for one transaction, in Fabric's order. */
export async function mvccCode(state: CommittedState, updates: BlockUpdates, namespaces: readonly NamespaceRwset[]): Promise<number> {
  for (const ns of namespaces) {
    const name = ns.namespace;
    for (const read of ns.kv.getReadsList()) {
      if (updates.touchesPublic(name, read.getKey())) return peer.TxValidationCode.MVCC_READ_CONFLICT;
      if (!sameVersion(state.version(name, read.getKey()), read.getVersion())) return peer.TxValidationCode.MVCC_READ_CONFLICT;
    }
    for (const info of ns.kv.getRangeQueriesInfoList()) {
      if (!(await rangeStillValid(state, updates, name, info))) return peer.TxValidationCode.PHANTOM_READ_CONFLICT;
    }
    for (const coll of ns.collections) {
      for (const read of coll.hashed.getHashedReadsList()) {
        const keyHash = read.getKeyHash_asU8();
        if (updates.touchesHashed(name, coll.name, keyHash)) return peer.TxValidationCode.MVCC_READ_CONFLICT;
        if (!sameVersion(state.hashedVersion(name, coll.name, keyHash), read.getVersion())) return peer.TxValidationCode.MVCC_READ_CONFLICT;
      }
    }
  }
  return peer.TxValidationCode.VALID;
}
