import { createHash } from 'node:crypto';
import { ledger } from '@hyperledger/fabric-protos';
import { Keyspace } from './keyspace';
import type { PurgeMarkers } from './purge-markers';
import { compareVersions, type Version } from './version';

/** A private value as a member org's peers hold it. */
export interface PrivateEntry {
  readonly value: Buffer;
  readonly version: Version;
}

/** What a private range scan yields. */
export interface PrivateKV extends PrivateEntry {
  readonly key: string;
}

interface Collection {
  readonly keys: Keyspace<PrivateEntry>;
  /** SHA-256(key) hex → key, to honour purges, which name keys by hash only. */
  readonly byHash: Map<string, string>;
}

function keyHashHex(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * One organisation's private data: the current private state of the collections it is a member
 * of, and the private write sets of each block (for `DeliverWithPrivateData`), filtered for purges.
 */
export class PrivateStore {
  readonly #collections = new Map<string, Collection>();
  readonly #blocks = new Map<bigint, Map<number, ledger.rwset.TxPvtReadWriteSet>>();
  /** A purge or an expiry since the last {@link compact}: stored write sets may hold removed values. */
  #needsCompaction = false;
  /** An expiry removed stored write sets since the last {@link compact}. */
  #dropped = false;

  constructor(
    readonly mspId: string,
    private readonly purges: PurgeMarkers,
  ) {}

  #collection(ns: string, coll: string, create: boolean): Collection | undefined {
    const scope = `${ns}\u0000${coll}`;
    let collection = this.#collections.get(scope);
    if (collection === undefined && create) {
      collection = { keys: new Keyspace(), byHash: new Map() };
      this.#collections.set(scope, collection);
    }
    return collection;
  }

  /** The private value this org holds, or undefined (never written, deleted, purged, or not a member). */
  get(ns: string, coll: string, key: string): PrivateEntry | undefined {
    return this.#collection(ns, coll, false)?.keys.get(key);
  }

  /** Private keys with `start <= key < end` in UTF-8 byte order (`end === ''`: to the end). */
  *range(ns: string, coll: string, start: string, end: string): Generator<PrivateKV> {
    const collection = this.#collection(ns, coll, false);
    if (collection === undefined) return;
    for (const [key, entry] of collection.keys.range(start, end)) yield { key, ...entry };
  }

  /**
   * The private write sets this org holds for a block's valid transactions, by tx index. Writes
   * of purged keys (at or below the purge) are left out; the collection entry stays, possibly with
   * no writes, as Fabric shows it. Fresh messages on every call: callers may edit them.
   */
  blockPvtData(blockNum: bigint): Map<number, ledger.rwset.TxPvtReadWriteSet> {
    const result = new Map<number, ledger.rwset.TxPvtReadWriteSet>();
    for (const [txNum, stored] of this.#blocks.get(blockNum) ?? []) {
      result.set(txNum, this.#filtered(stored, { blockNum, txNum }));
    }
    return result;
  }

  #filtered(stored: ledger.rwset.TxPvtReadWriteSet, version: Version): ledger.rwset.TxPvtReadWriteSet {
    const tx = new ledger.rwset.TxPvtReadWriteSet();
    tx.setDataModel(stored.getDataModel());
    for (const nsStored of stored.getNsPvtRwsetList()) {
      const ns = nsStored.getNamespace();
      const nsOut = new ledger.rwset.NsPvtReadWriteSet();
      nsOut.setNamespace(ns);
      for (const collStored of nsStored.getCollectionPvtRwsetList()) {
        const coll = collStored.getCollectionName();
        const collOut = new ledger.rwset.CollectionPvtReadWriteSet();
        collOut.setCollectionName(coll);
        collOut.setRwset(this.#withoutPurged(ns, coll, collStored.getRwset_asU8(), version));
        nsOut.addCollectionPvtRwset(collOut);
      }
      tx.addNsPvtRwset(nsOut);
    }
    return tx;
  }

  /** The collection's KVRWSet bytes, minus writes a purge has removed (unchanged bytes if none). */
  #withoutPurged(ns: string, coll: string, rwsetBytes: Uint8Array, version: Version): Uint8Array {
    if (!this.purges.hasAny(ns, coll)) return rwsetBytes;
    const rwset = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(rwsetBytes);
    const kept = (key: string): boolean => !this.purges.covers(ns, coll, keyHashHex(key), version);
    const writes = rwset.getWritesList();
    const metadataWrites = rwset.getMetadataWritesList();
    const keptWrites = writes.filter((w) => kept(w.getKey()));
    const keptMetadata = metadataWrites.filter((w) => kept(w.getKey()));
    if (keptWrites.length === writes.length && keptMetadata.length === metadataWrites.length) return rwsetBytes;
    rwset.setWritesList(keptWrites);
    rwset.setMetadataWritesList(keptMetadata);
    return rwset.serializeBinary();
  }

  /**
   * @internal Commit path: keeps a valid transaction's private write set (already checked
   * against its hash and reduced to this org's collections) and applies its writes.
   */
  applyTransaction(version: Version, pvt: ledger.rwset.TxPvtReadWriteSet): void {
    let block = this.#blocks.get(version.blockNum);
    if (block === undefined) this.#blocks.set(version.blockNum, (block = new Map<number, ledger.rwset.TxPvtReadWriteSet>()));
    block.set(version.txNum, pvt);
    for (const nsSet of pvt.getNsPvtRwsetList()) {
      for (const collSet of nsSet.getCollectionPvtRwsetList()) {
        const rwset = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(collSet.getRwset_asU8());
        const collection = this.#collection(nsSet.getNamespace(), collSet.getCollectionName(), true);
        if (collection !== undefined) this.#applyWrites(collection, rwset, version);
      }
    }
  }

  #applyWrites(collection: Collection, rwset: ledger.rwset.kvrwset.KVRWSet, version: Version): void {
    for (const write of rwset.getWritesList()) {
      const key = write.getKey();
      const value = write.getValue_asU8();
      if (write.getIsDelete() || value.length === 0) {
        if (collection.keys.delete(key)) collection.byHash.delete(keyHashHex(key));
      } else {
        if (collection.keys.get(key) === undefined) collection.byHash.set(keyHashHex(key), key);
        collection.keys.set(key, { value: Buffer.from(value), version });
      }
    }
  }

  /** @internal Block-to-live: removes the key if `version` is still the one it holds. */
  applyExpiry(ns: string, coll: string, hashHex: string, version: Version): void {
    const collection = this.#collection(ns, coll, false);
    const key = collection?.byHash.get(hashHex);
    if (collection === undefined || key === undefined) return;
    const entry = collection.keys.get(key);
    if (entry === undefined || compareVersions(entry.version, version) !== 0) return;
    collection.keys.delete(key);
    collection.byHash.delete(hashHex);
  }

  /** @internal Block-to-live: forgets a collection's private write sets of one block. */
  dropWriteSets(blockNum: bigint, ns: string, coll: string): void {
    const block = this.#blocks.get(blockNum);
    if (block === undefined) return;
    for (const [txNum, pvt] of block) {
      for (const nsSet of pvt.getNsPvtRwsetList()) {
        if (nsSet.getNamespace() !== ns) continue;
        nsSet.setCollectionPvtRwsetList(nsSet.getCollectionPvtRwsetList().filter((c) => c.getCollectionName() !== coll));
      }
      pvt.setNsPvtRwsetList(pvt.getNsPvtRwsetList().filter((n) => n.getCollectionPvtRwsetList().length > 0));
      if (pvt.getNsPvtRwsetList().length === 0) block.delete(txNum);
    }
    if (block.size === 0) this.#blocks.delete(blockNum);
    this.#needsCompaction = true;
    this.#dropped = true;
  }

  /**
   * @internal After a commit: removes purged writes from the stored write sets themselves (reads
   * filter them anyway; this is so the values leave memory and, through {@link storedWriteSets},
   * the disk). True when the stored write sets changed since the last call and must be rewritten.
   */
  compact(): boolean {
    if (!this.#needsCompaction) return false;
    let changed = this.#dropped;
    this.#needsCompaction = false;
    this.#dropped = false;
    for (const [blockNum, block] of this.#blocks) {
      for (const [txNum, stored] of block) {
        const version = { blockNum, txNum };
        const purged = stored.getNsPvtRwsetList().some((nsSet) =>
          nsSet.getCollectionPvtRwsetList().some((c) => {
            const bytes = c.getRwset_asU8();
            return this.#withoutPurged(nsSet.getNamespace(), c.getCollectionName(), bytes, version) !== bytes;
          }),
        );
        if (!purged) continue;
        // A fresh message: the stored one may be shared with other orgs' stores (same commit).
        block.set(txNum, this.#filtered(stored, version));
        changed = true;
      }
    }
    return changed;
  }

  /** @internal A rewrite failed: the next {@link compact} must report a change again. */
  markForCompaction(): void {
    this.#needsCompaction = true;
    this.#dropped = true;
  }

  /** @internal Every stored block's write sets, in block order (what the private data file holds). */
  *storedWriteSets(): Generator<{ blockNum: bigint; txs: ReadonlyMap<number, ledger.rwset.TxPvtReadWriteSet> }> {
    const numbers = [...this.#blocks.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const blockNum of numbers) {
      const txs = this.#blocks.get(blockNum);
      if (txs !== undefined && txs.size > 0) yield { blockNum, txs };
    }
  }

  /** @internal Commit path: a purge removes the key from this org's private state. */
  applyPurge(ns: string, coll: string, hashHex: string): void {
    this.#needsCompaction = true;
    const collection = this.#collection(ns, coll, false);
    const key = collection?.byHash.get(hashHex);
    if (collection === undefined || key === undefined) return;
    collection.keys.delete(key);
    collection.byHash.delete(hashHex);
  }
}
