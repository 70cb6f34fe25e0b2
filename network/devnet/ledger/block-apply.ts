import type { ledger } from '@hyperledger/fabric-protos';
import type { ExpirySchedule } from './expiry';
import type { HistoryDb } from './history';
import type { PrivateStore } from './private-store';
import type { PurgeMarkers } from './purge-markers';
import type { StateDb, MetadataEntries } from './statedb';
import type { BlockTransaction } from './transaction';
import { compareVersions, type Version } from './version';

/** The stores a block's writes land in. */
export interface WriteTargets {
  readonly state: StateDb;
  readonly expiry: ExpirySchedule;
  readonly history: HistoryDb;
  readonly purges: PurgeMarkers;
  readonly privateStores: ReadonlyMap<string, PrivateStore>;
}

function entries(list: ReadonlyArray<ledger.rwset.kvrwset.KVMetadataEntry>): MetadataEntries {
  return list.map((e) => ({ name: e.getName(), value: Buffer.from(e.getValue_asU8()) }));
}

/** Public writes then metadata writes of one namespace, with history. */
function applyPublic(targets: WriteTargets, ns: string, kv: ledger.rwset.kvrwset.KVRWSet, tx: BlockTransaction, version: Version): void {
  const metadataWrites = kv.getMetadataWritesList();
  // A key whose metadata the same transaction also writes ends with that metadata whatever it had
  // (the metadata write below replaces it), so its upsert need not read the stored entry first.
  const metadataReplaced = metadataWrites.length === 0 ? undefined : new Set(metadataWrites.map((m) => m.getKey()));
  for (const write of kv.getWritesList()) {
    const key = write.getKey();
    const raw = write.getValue_asU8();
    const isDelete = write.getIsDelete() || raw.length === 0;
    // Copy: a subarray would pin the whole block buffer for as long as the value lives.
    const value = isDelete ? Buffer.alloc(0) : Buffer.from(raw);
    if (isDelete) targets.state.applyDelete(ns, key);
    else targets.state.applyPut(ns, key, value, version, metadataReplaced?.has(key) ?? false);
    targets.history.append(ns, key, { txId: tx.txId, value, isDelete, timestamp: tx.timestamp, version });
  }
  for (const write of metadataWrites) {
    targets.state.applyMetadata(ns, write.getKey(), entries(write.getEntriesList()), version);
  }
}

/** Hashed writes (incl. purges) and hashed metadata writes of one collection. */
function applyHashed(targets: WriteTargets, ns: string, coll: string, hashed: ledger.rwset.kvrwset.HashedRWSet, version: Version): void {
  for (const write of hashed.getHashedWritesList()) {
    const keyHash = write.getKeyHash_asU8();
    if (write.getIsPurge()) {
      targets.state.applyHashedDelete(ns, coll, keyHash);
      const hex = Buffer.from(keyHash).toString('hex');
      targets.purges.add(ns, coll, hex, version);
      for (const store of targets.privateStores.values()) store.applyPurge(ns, coll, hex);
    } else if (write.getIsDelete()) {
      targets.state.applyHashedDelete(ns, coll, keyHash);
    } else {
      targets.state.applyHashedPut(ns, coll, keyHash, Buffer.from(write.getValueHash_asU8()), version);
      targets.expiry.noteKeyWrite({ ns, coll, keyHashHex: Buffer.from(keyHash).toString('hex'), version });
    }
  }
  for (const write of hashed.getMetadataWritesList()) {
    targets.state.applyHashedMetadata(ns, coll, write.getKeyHash_asU8(), entries(write.getEntriesList()), version);
  }
}

/**
 * Applies the writes of a block's VALID transactions in block order: public
 * state and history, hashed state, then the private write sets each org keeps. Versions are
 * `{blockNum, txNum}`. The writes collect in the key-value store's pending batch, which the
 * ledger then writes atomically with the savepoint.
 */
export function applyBlock(
  targets: WriteTargets,
  blockNum: bigint,
  txs: readonly BlockTransaction[],
  pvtByOrg: ReadonlyMap<string, ReadonlyMap<number, ledger.rwset.TxPvtReadWriteSet>>,
): void {
  for (const tx of txs) {
    if (tx.namespaces === undefined) continue;
    const version: Version = { blockNum, txNum: tx.txNum };
    for (const ns of tx.namespaces) {
      applyPublic(targets, ns.namespace, ns.kv, tx, version);
      for (const coll of ns.collections) applyHashed(targets, ns.namespace, coll.name, coll.hashed, version);
    }
    for (const [mspId, orgTxs] of pvtByOrg) {
      const pvt = orgTxs.get(tx.txNum);
      if (pvt === undefined) continue;
      targets.privateStores.get(mspId)?.applyTransaction(version, pvt);
      for (const nsSet of pvt.getNsPvtRwsetList()) {
        for (const coll of nsSet.getCollectionPvtRwsetList()) targets.expiry.noteWriteSet(nsSet.getNamespace(), coll.getCollectionName(), blockNum);
      }
    }
  }
  expire(targets, blockNum);
  targets.expiry.flush();
  for (const store of targets.privateStores.values()) store.flush();
}

/** Block-to-live: what falls due as `blockNum` commits, unless written again since. */
function expire(targets: WriteTargets, blockNum: bigint): void {
  const due = targets.expiry.take(blockNum);
  for (const key of due.keys) {
    const keyHash = Buffer.from(key.keyHashHex, 'hex');
    const current = targets.state.getHashed(key.ns, key.coll, keyHash);
    if (current === undefined || compareVersions(current.version, key.version) !== 0) continue;
    targets.state.applyHashedDelete(key.ns, key.coll, keyHash);
    for (const store of targets.privateStores.values()) store.applyExpiry(key.ns, key.coll, key.keyHashHex, key.version);
  }
  for (const set of due.writeSets) {
    for (const store of targets.privateStores.values()) store.dropWriteSets(set.blockNum, set.ns, set.coll);
  }
}
