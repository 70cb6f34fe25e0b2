import { createHash } from 'node:crypto';
import { ledger } from '@hyperledger/fabric-protos';
import { decodeVersioned, encodeVersioned, tableKey, u64 } from './codec';
import { prefixEnd, type KvStore } from './kv';
import type { PurgeMarkers } from './purge-markers';
import { decodePvtRecord, encodePvtRecord } from './pvt-record';
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

function keyHash(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

type TxWriteSets = Map<number, ledger.rwset.TxPvtReadWriteSet>;

/**
 * One organisation's private data in the ledger's key-value store: the current private state of
 * the collections it is a member of (`p`), key by hash (`q`, purges and expiry name keys by hash
 * only), the private write sets of each block (`w`, for `DeliverWithPrivateData`), and for each
 * key the blocks whose write sets hold it (`x`, so a purge finds what to erase).
 */
export class PrivateStore {
  /** The write sets of the block being applied (written by {@link flush}). */
  #pending: { blockNum: bigint; txs: TxWriteSets } | undefined;
  /** Keys whose previous values must leave the disk (purge, expiry) since {@link takeErased}. */
  #erased: Buffer[] = [];

  constructor(
    readonly mspId: string,
    private readonly kv: KvStore,
    private readonly purges: PurgeMarkers,
  ) {}

  #stateKey(ns: string, coll: string, key: string): Buffer {
    return tableKey('p', this.mspId, ns, coll, key);
  }

  #hashKey(ns: string, coll: string, hash: Buffer): Buffer {
    return tableKey('q', this.mspId, ns, coll, hash);
  }

  #blockKey(blockNum: bigint): Buffer {
    return tableKey('w', this.mspId, u64(blockNum));
  }

  #indexKey(ns: string, coll: string, hash: Buffer): Buffer {
    return tableKey('x', this.mspId, ns, coll, hash);
  }

  /** The private value this org holds, or undefined (never written, deleted, purged, or not a member). */
  get(ns: string, coll: string, key: string): PrivateEntry | undefined {
    const stored = this.kv.get(this.#stateKey(ns, coll, key));
    if (stored === undefined) return undefined;
    const { value, version } = decodeVersioned(stored);
    return { value, version };
  }

  /** Private keys with `start <= key < end` in UTF-8 byte order (`end === ''`: to the end). */
  async *range(ns: string, coll: string, start: string, end: string): AsyncGenerator<PrivateKV> {
    const prefix = this.#stateKey(ns, coll, '');
    const lt = end === '' ? prefixEnd(prefix) : this.#stateKey(ns, coll, end);
    for await (const [k, v] of this.kv.scan(this.#stateKey(ns, coll, start), lt)) {
      const { value, version } = decodeVersioned(v);
      yield { key: k.toString('utf8', prefix.length), value, version };
    }
  }

  #storedBlock(blockNum: bigint): TxWriteSets | undefined {
    if (this.#pending?.blockNum === blockNum) return this.#pending.txs;
    const stored = this.kv.get(this.#blockKey(blockNum));
    return stored === undefined ? undefined : new Map(decodePvtRecord(stored).txs);
  }

  /**
   * The private write sets this org holds for a block's valid transactions, by tx index. Writes
   * of purged keys (at or below the purge) are left out; the collection entry stays, possibly with
   * no writes, as Fabric shows it. Fresh messages on every call: callers may edit them.
   */
  blockPvtData(blockNum: bigint): Map<number, ledger.rwset.TxPvtReadWriteSet> {
    const result = new Map<number, ledger.rwset.TxPvtReadWriteSet>();
    for (const [txNum, stored] of this.#storedBlock(blockNum) ?? []) result.set(txNum, this.#filtered(stored, { blockNum, txNum }));
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
    const kept = (key: string): boolean => !this.purges.covers(ns, coll, keyHash(key).toString('hex'), version);
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
    if (this.#pending?.blockNum !== version.blockNum) this.#pending = { blockNum: version.blockNum, txs: new Map() };
    this.#pending.txs.set(version.txNum, pvt);
    for (const nsSet of pvt.getNsPvtRwsetList()) {
      for (const collSet of nsSet.getCollectionPvtRwsetList()) {
        const rwset = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(collSet.getRwset_asU8());
        this.#applyWrites(nsSet.getNamespace(), collSet.getCollectionName(), rwset, version);
      }
    }
  }

  #applyWrites(ns: string, coll: string, rwset: ledger.rwset.kvrwset.KVRWSet, version: Version): void {
    for (const write of rwset.getWritesList()) {
      const key = write.getKey();
      const hash = keyHash(key);
      const value = write.getValue_asU8();
      this.#noteInBlock(ns, coll, hash, version.blockNum);
      if (write.getIsDelete() || value.length === 0) {
        this.kv.del(this.#stateKey(ns, coll, key));
        this.kv.del(this.#hashKey(ns, coll, hash));
      } else {
        // A view, not a copy: encodeVersioned copies the value into the stored record anyway.
        this.kv.put(this.#stateKey(ns, coll, key), encodeVersioned({ value: Buffer.from(value.buffer, value.byteOffset, value.length), version }));
        this.kv.put(this.#hashKey(ns, coll, hash), Buffer.from(key, 'utf8'));
      }
    }
    for (const write of rwset.getMetadataWritesList()) this.#noteInBlock(ns, coll, keyHash(write.getKey()), version.blockNum);
  }

  /** Index: the write sets of `blockNum` mention the key (a purge will have to rewrite them). */
  #noteInBlock(ns: string, coll: string, hash: Buffer, blockNum: bigint): void {
    const indexKey = this.#indexKey(ns, coll, hash);
    const blocks = this.kv.get(indexKey) ?? Buffer.alloc(0);
    if (blocks.length >= 8 && blocks.readBigUInt64BE(blocks.length - 8) === blockNum) return;
    this.kv.put(indexKey, Buffer.concat([blocks, u64(blockNum)]));
  }

  #removeKey(ns: string, coll: string, hash: Buffer): void {
    const key = this.kv.get(this.#hashKey(ns, coll, hash));
    if (key === undefined) return;
    const stateKey = this.#stateKey(ns, coll, key.toString('utf8'));
    this.kv.del(stateKey);
    this.kv.del(this.#hashKey(ns, coll, hash));
    this.#erased.push(stateKey);
  }

  /** @internal Block-to-live: removes the key if `version` is still the one it holds. */
  applyExpiry(ns: string, coll: string, hashHex: string, version: Version): void {
    const hash = Buffer.from(hashHex, 'hex');
    const key = this.kv.get(this.#hashKey(ns, coll, hash));
    if (key === undefined) return;
    const entry = this.get(ns, coll, key.toString('utf8'));
    if (entry === undefined || compareVersions(entry.version, version) !== 0) return;
    this.#removeKey(ns, coll, hash);
  }

  /** @internal Block-to-live: forgets a collection's private write sets of one block. */
  dropWriteSets(blockNum: bigint, ns: string, coll: string): void {
    const block = this.#storedBlock(blockNum);
    if (block === undefined) return;
    for (const [txNum, pvt] of block) {
      for (const nsSet of pvt.getNsPvtRwsetList()) {
        if (nsSet.getNamespace() !== ns) continue;
        nsSet.setCollectionPvtRwsetList(nsSet.getCollectionPvtRwsetList().filter((c) => c.getCollectionName() !== coll));
      }
      pvt.setNsPvtRwsetList(pvt.getNsPvtRwsetList().filter((n) => n.getCollectionPvtRwsetList().length > 0));
      if (pvt.getNsPvtRwsetList().length === 0) block.delete(txNum);
    }
    this.#storeBlock(blockNum, block);
  }

  #storeBlock(blockNum: bigint, txs: TxWriteSets): void {
    if (this.#pending?.blockNum === blockNum) return; // written by flush
    const key = this.#blockKey(blockNum);
    if (txs.size === 0) this.kv.del(key);
    else this.kv.put(key, encodePvtRecord({ blockNum, txs }));
    this.#erased.push(key);
  }

  /**
   * @internal Commit path: a purge removes the key from this org's private state, and its writes
   * (up to the purge, per the purge marker already recorded) from every stored write set.
   */
  applyPurge(ns: string, coll: string, hashHex: string): void {
    const hash = Buffer.from(hashHex, 'hex');
    this.#removeKey(ns, coll, hash);
    const indexKey = this.#indexKey(ns, coll, hash);
    const blocks = this.kv.get(indexKey);
    if (blocks === undefined) return;
    this.kv.del(indexKey);
    for (let at = 0; at + 8 <= blocks.length; at += 8) {
      const blockNum = blocks.readBigUInt64BE(at);
      const txs = this.#storedBlock(blockNum);
      if (txs === undefined) continue;
      for (const [txNum, stored] of txs) txs.set(txNum, this.#filtered(stored, { blockNum, txNum }));
      this.#storeBlock(blockNum, txs);
    }
  }

  /** @internal End of a block's apply: writes the block's write sets. */
  flush(): void {
    if (this.#pending === undefined) return;
    const { blockNum, txs } = this.#pending;
    this.#pending = undefined;
    if (txs.size > 0) this.kv.put(this.#blockKey(blockNum), encodePvtRecord({ blockNum, txs }));
  }

  /** @internal Keys whose earlier values a purge or expiry removed since the last call (to compact away). */
  takeErased(): Buffer[] {
    const erased = this.#erased;
    this.#erased = [];
    return erased;
  }
}
