import { createHash } from 'node:crypto';
import { ledger } from '@hyperledger/fabric-protos';
import { collectionRef, decodePrivateEntry, decodeWriteSets, encodeBlobEntry, encodeWriteSets, type StoredWriteSets } from './blob-refs';
import { BlobStore } from './blob-store';
import { encodeVersioned, tableKey, u64 } from './codec';
import { LedgerCorruptError } from './errors';
import { prefixEnd, type KvStore } from './kv';
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

function keyHash(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

type TxWriteSets = Map<number, ledger.rwset.TxPvtReadWriteSet>;

/** A collection rwset of the block being applied that goes to a blob. */
interface StagedBlob {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly ns: string;
  readonly coll: string;
}

/** Collection rwsets from this size on are stored as blobs (a record document's is up to 4 MiB). */
export const LARGE_RWSET_BYTES = 64 * 1024;

/** Values inside a blob from this size on are read from it; smaller ones are stored inline too. */
const MIN_BLOB_VALUE = 1024;

/**
 * One organisation's private data in the ledger's key-value store: the current private state of
 * the collections it is a member of (`p`), key by hash (`q`, purges and expiry name keys by hash
 * only), the private write sets of each block (`w`, for `DeliverWithPrivateData`), and for each
 * key the blocks whose write sets hold it (`x`, so a purge finds what to erase). With a blob
 * directory, a large collection rwset is kept once, as a blob both records refer to (blob-store.ts).
 */
export class PrivateStore {
  /** The write sets of the block being applied (written by {@link flush}). */
  #pending: { blockNum: bigint; txs: TxWriteSets; staged: Map<string, StagedBlob> } | undefined;
  /** Keys whose previous values must leave the disk (purge, expiry) since {@link takeErased}. */
  #erased: Buffer[] = [];

  constructor(
    readonly mspId: string,
    private readonly kv: KvStore,
    private readonly purges: PurgeMarkers,
    /** Where large rwsets go (undefined: the in-memory ledger, which keeps everything inline). */
    private readonly blobs?: BlobStore,
    private readonly largeRwset = LARGE_RWSET_BYTES,
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
    return stored === undefined ? undefined : this.#entry(stored);
  }

  #entry(stored: Buffer): PrivateEntry {
    const entry = decodePrivateEntry(stored);
    if (entry.slice === undefined) return { value: entry.value, version: entry.version };
    return { value: this.#requireBlobs().readSlice(entry.slice), version: entry.version };
  }

  /** Private keys with `start <= key < end` in UTF-8 byte order (`end === ''`: to the end). */
  async *range(ns: string, coll: string, start: string, end: string): AsyncGenerator<PrivateKV> {
    const prefix = this.#stateKey(ns, coll, '');
    const lt = end === '' ? prefixEnd(prefix) : this.#stateKey(ns, coll, end);
    for await (const [k, v] of this.kv.scan(this.#stateKey(ns, coll, start), lt)) {
      const { value, version } = this.#entry(v);
      yield { key: k.toString('utf8', prefix.length), value, version };
    }
  }

  #storedBlock(blockNum: bigint): StoredWriteSets | undefined {
    // The block being applied holds its write sets whole (blobs are decided at flush).
    if (this.#pending?.blockNum === blockNum) return { txs: this.#pending.txs, blobs: new Map() };
    const stored = this.kv.get(this.#blockKey(blockNum));
    return stored === undefined ? undefined : decodeWriteSets(stored);
  }

  /**
   * The private write sets this org holds for a block's valid transactions, by tx index. Writes
   * of purged keys (at or below the purge) are left out; the collection entry stays, possibly with
   * no writes, as Fabric shows it. Fresh messages on every call: callers may edit them.
   */
  blockPvtData(blockNum: bigint): Map<number, ledger.rwset.TxPvtReadWriteSet> {
    const result = new Map<number, ledger.rwset.TxPvtReadWriteSet>();
    const stored = this.#storedBlock(blockNum);
    if (stored === undefined) return result;
    for (const [txNum, tx] of stored.txs) {
      const version = { blockNum, txNum };
      result.set(txNum, rebuildTx(tx, (ns, coll, collStored) => this.#withoutPurged(ns, coll, this.#rwsetOf(stored, txNum, ns, coll, collStored), version)));
    }
    return result;
  }

  /** A stored collection's rwset bytes, from its blob if it has one. */
  #rwsetOf(stored: StoredWriteSets, txNum: number, ns: string, coll: string, collStored: ledger.rwset.CollectionPvtReadWriteSet): Uint8Array {
    const blob = stored.blobs.get(collectionRef(txNum, ns, coll));
    return blob === undefined ? collStored.getRwset_asU8() : this.#requireBlobs().read(blob);
  }

  #requireBlobs(): BlobStore {
    if (this.blobs === undefined) throw new LedgerCorruptError('a private value refers to a blob, but the ledger has no blob directory');
    return this.blobs;
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
   * against its hash and reduced to this org's collections) and applies its writes. A collection
   * rwset of `largeRwset` bytes or more goes to a blob, which its large values then refer to.
   */
  applyTransaction(version: Version, pvt: ledger.rwset.TxPvtReadWriteSet): void {
    if (this.#pending?.blockNum !== version.blockNum) this.#pending = { blockNum: version.blockNum, txs: new Map(), staged: new Map() };
    this.#pending.txs.set(version.txNum, pvt);
    let rank = 0;
    for (const nsSet of pvt.getNsPvtRwsetList()) {
      const ns = nsSet.getNamespace();
      for (const collSet of nsSet.getCollectionPvtRwsetList()) {
        const coll = collSet.getCollectionName();
        const bytes = collSet.getRwset_asU8();
        let blob: StagedBlob | undefined;
        if (this.blobs !== undefined && bytes.length >= this.largeRwset) {
          blob = { name: BlobStore.blobName(this.mspId, version.blockNum, version.txNum, rank++), bytes, ns, coll };
          this.blobs.stage(blob.name, bytes);
          this.#pending.staged.set(collectionRef(version.txNum, ns, coll), blob);
        }
        this.#applyWrites(ns, coll, ledger.rwset.kvrwset.KVRWSet.deserializeBinary(bytes), version, blob);
      }
    }
  }

  #applyWrites(ns: string, coll: string, rwset: ledger.rwset.kvrwset.KVRWSet, version: Version, blob: StagedBlob | undefined): void {
    for (const write of rwset.getWritesList()) {
      const key = write.getKey();
      const hash = keyHash(key);
      const value = write.getValue_asU8();
      this.#noteInBlock(ns, coll, hash, version.blockNum);
      if (write.getIsDelete() || value.length === 0) {
        this.kv.del(this.#stateKey(ns, coll, key));
        this.kv.del(this.#hashKey(ns, coll, hash));
        continue;
      }
      // The deserialized value is a view of the rwset bytes: where it is in the blob.
      const offset = value.byteOffset - (blob?.bytes.byteOffset ?? 0);
      const inBlob = blob !== undefined && value.length >= MIN_BLOB_VALUE && value.buffer === blob.bytes.buffer && offset >= 0 && offset + value.length <= blob.bytes.length;
      this.kv.put(
        this.#stateKey(ns, coll, key),
        inBlob
          ? encodeBlobEntry(version, { name: blob.name, offset, length: value.length })
          : // A view, not a copy: encodeVersioned copies the value into the stored record anyway.
            encodeVersioned({ value: Buffer.from(value.buffer, value.byteOffset, value.length), version }),
      );
      this.kv.put(this.#hashKey(ns, coll, hash), Buffer.from(key, 'utf8'));
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

  /**
   * A blob's collection leaves the block's write sets (purge, expiry): the blob is deleted after
   * the batch. A private state value still in it (a key the purge or expiry left) is first stored
   * inline, so that a value is only ever in a blob its block's write sets still refer to.
   */
  #releaseBlob(ns: string, coll: string, name: string, bytes: Uint8Array): void {
    for (const write of ledger.rwset.kvrwset.KVRWSet.deserializeBinary(bytes).getWritesList()) {
      const stateKey = this.#stateKey(ns, coll, write.getKey());
      const stored = this.kv.get(stateKey);
      if (stored === undefined) continue;
      const entry = decodePrivateEntry(stored);
      if (entry.slice?.name !== name) continue;
      this.kv.put(stateKey, encodeVersioned({ value: this.#requireBlobs().readSlice(entry.slice), version: entry.version }));
    }
    this.#requireBlobs().release(name);
  }

  /** @internal Block-to-live: removes the key if `version` is still the one it holds. */
  applyExpiry(ns: string, coll: string, hashHex: string, version: Version): void {
    const hash = Buffer.from(hashHex, 'hex');
    const key = this.kv.get(this.#hashKey(ns, coll, hash));
    if (key === undefined) return;
    const stored = this.kv.get(this.#stateKey(ns, coll, key.toString('utf8')));
    if (stored === undefined || compareVersions(decodePrivateEntry(stored).version, version) !== 0) return;
    this.#removeKey(ns, coll, hash);
  }

  /** @internal Block-to-live: forgets a collection's private write sets of one block. */
  dropWriteSets(blockNum: bigint, ns: string, coll: string): void {
    const stored = this.#storedBlock(blockNum);
    if (stored === undefined) return;
    for (const [txNum, tx] of stored.txs) {
      const ref = collectionRef(txNum, ns, coll);
      const blob = stored.blobs.get(ref);
      if (blob !== undefined) {
        this.#releaseBlob(ns, coll, blob, this.#requireBlobs().read(blob));
        stored.blobs.delete(ref);
      }
      const kept = rebuildTx(tx, (n, c, collStored) => (n === ns && c === coll ? undefined : collStored.getRwset_asU8()));
      if (kept.getNsPvtRwsetList().length === 0) stored.txs.delete(txNum);
      else stored.txs.set(txNum, kept);
    }
    this.#storeBlock(blockNum, stored);
  }

  #storeBlock(blockNum: bigint, stored: StoredWriteSets): void {
    if (this.#pending?.blockNum === blockNum) return; // written by flush
    const key = this.#blockKey(blockNum);
    if (stored.txs.size === 0) this.kv.del(key);
    else this.kv.put(key, encodeWriteSets(blockNum, stored));
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
      const stored = this.#storedBlock(blockNum);
      if (stored === undefined) continue;
      for (const [txNum, tx] of stored.txs) {
        const version = { blockNum, txNum };
        const rebuilt = rebuildTx(tx, (n, c, collStored) => {
          const ref = collectionRef(txNum, n, c);
          const blob = stored.blobs.get(ref);
          // Only the purged key's collection can change: other blobs are not read.
          if (n !== ns || c !== coll) return collStored.getRwset_asU8();
          const bytes = this.#rwsetOf(stored, txNum, n, c, collStored);
          const kept = this.#withoutPurged(n, c, bytes, version);
          if (blob === undefined) return kept;
          if (kept === bytes) return collStored.getRwset_asU8(); // still the blob's bytes
          this.#releaseBlob(n, c, blob, bytes);
          stored.blobs.delete(ref);
          return kept;
        });
        stored.txs.set(txNum, rebuilt);
      }
      this.#storeBlock(blockNum, stored);
    }
  }

  /**
   * @internal End of a block's apply: writes the block's write sets, a blob-backed collection as
   * its reference. A blob whose rwset a purge in the same block changed is not written.
   */
  flush(): void {
    if (this.#pending === undefined) return;
    const { blockNum, txs, staged } = this.#pending;
    this.#pending = undefined;
    if (staged.size === 0) {
      if (txs.size > 0) this.kv.put(this.#blockKey(blockNum), encodeWriteSets(blockNum, { txs, blobs: new Map() }));
      return;
    }
    const blobs = new Map<string, string>();
    const stored = new Map<number, ledger.rwset.TxPvtReadWriteSet>();
    for (const [txNum, tx] of txs) {
      // New messages: the collection messages are shared with the other member orgs' write sets.
      stored.set(txNum, rebuildTx(tx, (ns, coll, collSet) => {
        const ref = collectionRef(txNum, ns, coll);
        const blob = staged.get(ref);
        if (blob === undefined || collSet.getRwset_asU8() !== blob.bytes) return collSet.getRwset_asU8();
        staged.delete(ref);
        blobs.set(ref, blob.name);
        return new Uint8Array(0);
      }));
    }
    for (const blob of staged.values()) this.#releaseBlob(blob.ns, blob.coll, blob.name, blob.bytes);
    if (stored.size > 0) this.kv.put(this.#blockKey(blockNum), encodeWriteSets(blockNum, { txs: stored, blobs }));
  }

  /** @internal Keys whose earlier values a purge or expiry removed since the last call (to compact away). */
  takeErased(): Buffer[] {
    const erased = this.#erased;
    this.#erased = [];
    return erased;
  }
}

/**
 * A new transaction write set around the same data: each collection's rwset is what `rwsetOf`
 * returns for it (undefined: the collection is left out; a namespace left empty is too).
 */
function rebuildTx(
  stored: ledger.rwset.TxPvtReadWriteSet,
  rwsetOf: (ns: string, coll: string, collStored: ledger.rwset.CollectionPvtReadWriteSet) => Uint8Array | undefined,
): ledger.rwset.TxPvtReadWriteSet {
  const tx = new ledger.rwset.TxPvtReadWriteSet();
  tx.setDataModel(stored.getDataModel());
  for (const nsStored of stored.getNsPvtRwsetList()) {
    const ns = nsStored.getNamespace();
    const nsOut = new ledger.rwset.NsPvtReadWriteSet();
    nsOut.setNamespace(ns);
    for (const collStored of nsStored.getCollectionPvtRwsetList()) {
      const coll = collStored.getCollectionName();
      const rwset = rwsetOf(ns, coll, collStored);
      if (rwset === undefined) continue;
      const collOut = new ledger.rwset.CollectionPvtReadWriteSet();
      collOut.setCollectionName(coll);
      collOut.setRwset(rwset);
      nsOut.addCollectionPvtRwset(collOut);
    }
    if (nsOut.getCollectionPvtRwsetList().length > 0) tx.addNsPvtRwset(nsOut);
  }
  return tx;
}
