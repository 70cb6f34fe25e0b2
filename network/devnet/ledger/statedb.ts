import { decodeVersioned, encodeVersioned, tableKey } from './codec';
import { prefixEnd, type KvStore } from './kv';
import type { Version } from './version';

/** A committed public key. `metadata` holds e.g. `VALIDATION_PARAMETER` (key-level endorsement). */
export interface StateEntry {
  readonly value: Buffer;
  readonly version: Version;
  readonly metadata: Map<string, Buffer>;
}

/** A committed private key as every peer of the channel sees it: hashes only. */
export interface HashedStateEntry {
  readonly valueHash: Buffer;
  readonly version: Version;
  readonly metadata: Map<string, Buffer>;
}

/** What a range scan yields. */
export interface StateKV {
  readonly key: string;
  readonly value: Buffer;
  readonly version: Version;
}

/** Metadata entries as written by a `KVMetadataWrite`; no entries means "remove the metadata". */
export type MetadataEntries = ReadonlyArray<{ readonly name: string; readonly value: Buffer }>;

/** Public keys: `s ns ∅ key`; hashed keys: `h ns ∅ coll ∅ keyHash`. Keys sort by UTF-8 bytes, as Go compares strings. */
const PUBLIC = 's';
const HASHED = 'h';

const publicKey = (ns: string, key: string): Buffer => tableKey(PUBLIC, ns, key);
const hashedKey = (ns: string, coll: string, keyHash: Uint8Array): Buffer => tableKey(HASHED, ns, coll, Buffer.from(keyHash));

/**
 * The world state in the ledger's key-value store: public keys per namespace and the hashed
 * state of every collection (keyHash → valueHash), which all peers hold. Fabric's write rules:
 * upserts keep metadata, metadata-only writes replace it (no-op on a missing key), deletes drop both.
 *
 * Point reads are synchronous; range scans are async. Buffers returned must not be mutated.
 */
export class StateDb {
  constructor(private readonly kv: KvStore) {}

  /** The committed value of a public key, or undefined when it does not exist. */
  get(ns: string, key: string): StateEntry | undefined {
    const stored = this.kv.get(publicKey(ns, key));
    if (stored === undefined) return undefined;
    const entry = decodeVersioned(stored);
    return { value: entry.value, version: entry.version, metadata: new Map(entry.metadata) };
  }

  /** Only the version of a public key (MVCC checks need no copies). */
  version(ns: string, key: string): Version | undefined {
    return this.get(ns, key)?.version;
  }

  /**
   * Public keys with `start <= key < end` in UTF-8 byte order (`end === ''`: to the end of the
   * namespace), read from one snapshot of the store.
   */
  async *range(ns: string, start: string, end: string): AsyncGenerator<StateKV> {
    const prefix = tableKey(PUBLIC, ns, '');
    const lt = end === '' ? prefixEnd(prefix) : publicKey(ns, end);
    for await (const [k, v] of this.kv.scan(publicKey(ns, start), lt)) {
      const entry = decodeVersioned(v);
      yield { key: k.toString('utf8', prefix.length), value: entry.value, version: entry.version };
    }
  }

  /** The hashed state of a private key (by SHA-256 of the key), or undefined. */
  getHashed(ns: string, coll: string, keyHash: Uint8Array): HashedStateEntry | undefined {
    const stored = this.kv.get(hashedKey(ns, coll, keyHash));
    if (stored === undefined) return undefined;
    const entry = decodeVersioned(stored);
    return { valueHash: entry.value, version: entry.version, metadata: new Map(entry.metadata) };
  }

  /**
   * @internal Commit path: public upsert (metadata kept). `metadataFollows`: a metadata write of
   * the same key comes next and replaces the metadata, so the stored entry is not read.
   */
  applyPut(ns: string, key: string, value: Buffer, version: Version, metadataFollows = false): void {
    if (metadataFollows) this.kv.put(publicKey(ns, key), encodeVersioned({ value, version }));
    else put(this.kv, publicKey(ns, key), value, version);
  }

  /** @internal Commit path: public delete (metadata removed). */
  applyDelete(ns: string, key: string): void {
    this.kv.del(publicKey(ns, key));
  }

  /** @internal Commit path: public metadata write. */
  applyMetadata(ns: string, key: string, entries: MetadataEntries, version: Version): void {
    putMetadata(this.kv, publicKey(ns, key), entries, version);
  }

  /** @internal Commit path: hashed upsert. */
  applyHashedPut(ns: string, coll: string, keyHash: Uint8Array, valueHash: Buffer, version: Version): void {
    put(this.kv, hashedKey(ns, coll, keyHash), valueHash, version);
  }

  /** @internal Commit path: hashed delete or purge. */
  applyHashedDelete(ns: string, coll: string, keyHash: Uint8Array): void {
    this.kv.del(hashedKey(ns, coll, keyHash));
  }

  /** @internal Commit path: hashed metadata write. */
  applyHashedMetadata(ns: string, coll: string, keyHash: Uint8Array, entries: MetadataEntries, version: Version): void {
    putMetadata(this.kv, hashedKey(ns, coll, keyHash), entries, version);
  }
}

/** Upsert: new value and version, existing metadata kept. */
function put(kv: KvStore, key: Buffer, value: Buffer, version: Version): void {
  const current = kv.get(key);
  const metadata = current === undefined ? undefined : decodeVersioned(current).metadata;
  kv.put(key, encodeVersioned(metadata === undefined ? { value, version } : { value, version, metadata }));
}

/** Metadata-only write: replaces the metadata and bumps the version; no-op on a missing key. */
function putMetadata(kv: KvStore, key: Buffer, entries: MetadataEntries, version: Version): void {
  const current = kv.get(key);
  if (current === undefined) return;
  const value = decodeVersioned(current).value;
  const metadata = entries.length === 0 ? undefined : new Map(entries.map((e) => [e.name, e.value]));
  kv.put(key, encodeVersioned(metadata === undefined ? { value, version } : { value, version, metadata }));
}
