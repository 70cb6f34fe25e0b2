import { Keyspace } from './keyspace';
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

interface Stored<V> {
  readonly value: V;
  readonly version: Version;
  /** Absent when the key has no metadata (most keys): saves a Map per key. */
  readonly metadata?: ReadonlyMap<string, Buffer>;
}

/** Metadata entries as written by a `KVMetadataWrite`; no entries means "remove the metadata". */
export type MetadataEntries = ReadonlyArray<{ readonly name: string; readonly value: Buffer }>;

function toMetadata(entries: MetadataEntries): ReadonlyMap<string, Buffer> | undefined {
  if (entries.length === 0) return undefined;
  return new Map(entries.map((e) => [e.name, e.value]));
}

/**
 * Versioned values with metadata and Fabric's write rules, shared by the public state
 * (value = bytes) and the hashed private state (value = value hash).
 */
class VersionedStore<V> {
  readonly #spaces = new Map<string, Keyspace<Stored<V>> | Map<string, Stored<V>>>();

  constructor(private readonly ordered: boolean) {}

  space(scope: string, create: true): Keyspace<Stored<V>> | Map<string, Stored<V>>;
  space(scope: string, create?: false): Keyspace<Stored<V>> | Map<string, Stored<V>> | undefined;
  space(scope: string, create = false): Keyspace<Stored<V>> | Map<string, Stored<V>> | undefined {
    let space = this.#spaces.get(scope);
    if (space === undefined && create) {
      space = this.ordered ? new Keyspace<Stored<V>>() : new Map<string, Stored<V>>();
      this.#spaces.set(scope, space);
    }
    return space;
  }

  get(scope: string, key: string): Stored<V> | undefined {
    return this.space(scope)?.get(key);
  }

  /** Upsert: new value and version, existing metadata kept. */
  put(scope: string, key: string, value: V, version: Version): void {
    const space = this.space(scope, true);
    const metadata = space.get(key)?.metadata;
    space.set(key, metadata === undefined ? { value, version } : { value, version, metadata });
  }

  /** Delete: the key and its metadata go. */
  delete(scope: string, key: string): void {
    this.space(scope)?.delete(key);
  }

  /** Metadata-only write: replaces the metadata and bumps the version; no-op on a missing key. */
  putMetadata(scope: string, key: string, entries: MetadataEntries, version: Version): void {
    const space = this.space(scope);
    const current = space?.get(key);
    if (space === undefined || current === undefined) return;
    const metadata = toMetadata(entries);
    space.set(key, metadata === undefined ? { value: current.value, version } : { value: current.value, version, metadata });
  }
}

function hashedScope(ns: string, coll: string): string {
  // Namespace (chaincode) names cannot contain NUL, so the pair is unambiguous.
  return `${ns}\u0000${coll}`;
}

/**
 * The world state: public keys per namespace, ordered by UTF-8 bytes for range scans, and the
 * hashed state of every collection (keyHash → valueHash), which all peers hold.
 *
 * Readers get copies of the entry records; the Buffers inside are shared and must not be mutated.
 */
export class StateDb {
  readonly #public = new VersionedStore<Buffer>(true);
  readonly #hashed = new VersionedStore<Buffer>(false);

  /** The committed value of a public key, or undefined when it does not exist. */
  get(ns: string, key: string): StateEntry | undefined {
    const stored = this.#public.get(ns, key);
    if (stored === undefined) return undefined;
    return { value: stored.value, version: stored.version, metadata: new Map(stored.metadata) };
  }

  /** Only the version of a public key (MVCC checks need no copies). */
  version(ns: string, key: string): Version | undefined {
    return this.#public.get(ns, key)?.version;
  }

  /**
   * Public keys with `start <= key < end` in UTF-8 byte order (`end === ''`: to the end of the
   * namespace). Lazy; safe to hold across commits (see {@link Keyspace.range}).
   */
  *range(ns: string, start: string, end: string): Generator<StateKV> {
    const space = this.#public.space(ns);
    if (!(space instanceof Keyspace)) return;
    for (const [key, stored] of space.range(start, end)) {
      yield { key, value: stored.value, version: stored.version };
    }
  }

  /** The hashed state of a private key (by SHA-256 of the key), or undefined. */
  getHashed(ns: string, coll: string, keyHash: Uint8Array): HashedStateEntry | undefined {
    const stored = this.#hashed.get(hashedScope(ns, coll), Buffer.from(keyHash).toString('hex'));
    if (stored === undefined) return undefined;
    return { valueHash: stored.value, version: stored.version, metadata: new Map(stored.metadata) };
  }

  /** @internal Commit path: public upsert (metadata kept). */
  applyPut(ns: string, key: string, value: Buffer, version: Version): void {
    this.#public.put(ns, key, value, version);
  }

  /** @internal Commit path: public delete (metadata removed). */
  applyDelete(ns: string, key: string): void {
    this.#public.delete(ns, key);
  }

  /** @internal Commit path: public metadata write. */
  applyMetadata(ns: string, key: string, entries: MetadataEntries, version: Version): void {
    this.#public.putMetadata(ns, key, entries, version);
  }

  /** @internal Commit path: hashed upsert. */
  applyHashedPut(ns: string, coll: string, keyHash: Uint8Array, valueHash: Buffer, version: Version): void {
    this.#hashed.put(hashedScope(ns, coll), Buffer.from(keyHash).toString('hex'), valueHash, version);
  }

  /** @internal Commit path: hashed delete or purge. */
  applyHashedDelete(ns: string, coll: string, keyHash: Uint8Array): void {
    this.#hashed.delete(hashedScope(ns, coll), Buffer.from(keyHash).toString('hex'));
  }

  /** @internal Commit path: hashed metadata write. */
  applyHashedMetadata(ns: string, coll: string, keyHash: Uint8Array, entries: MetadataEntries, version: Version): void {
    this.#hashed.putMetadata(hashedScope(ns, coll), Buffer.from(keyHash).toString('hex'), entries, version);
  }
}
