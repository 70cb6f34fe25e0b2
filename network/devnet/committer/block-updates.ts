/**
 * The writes of the transactions already found VALID in the block being validated (spec §9.3
 * `updates`): what MVCC and the same-block validation-parameter rule compare against.
 */
import type { NamespaceRwset } from './transaction';

function keyOf(ns: string, key: string): string {
  return `${ns}\u0000${key}`;
}

function hashedKeyOf(ns: string, coll: string, keyHash: Uint8Array): string {
  return `${ns}\u0000${coll}\u0000${Buffer.from(keyHash).toString('hex')}`;
}

/** Public and hashed keys written (or whose metadata was written) earlier in this block. */
export class BlockUpdates {
  /** Public key → is it a delete (the last write wins). */
  private readonly publicWrites = new Map<string, { ns: string; key: string; isDelete: boolean }>();
  private readonly hashedWrites = new Set<string>();
  private readonly metadataChanged = new Set<string>();

  /** Records the writes of a transaction that ended VALID. */
  add(namespaces: readonly NamespaceRwset[]): void {
    for (const ns of namespaces) {
      const name = ns.namespace;
      for (const w of ns.kv.getWritesList()) {
        const isDelete = w.getIsDelete() || w.getValue_asU8().length === 0;
        this.publicWrites.set(keyOf(name, w.getKey()), { ns: name, key: w.getKey(), isDelete });
      }
      for (const m of ns.kv.getMetadataWritesList()) {
        this.metadataChanged.add(keyOf(name, m.getKey()));
      }
      for (const coll of ns.collections) {
        for (const w of coll.hashed.getHashedWritesList()) this.hashedWrites.add(hashedKeyOf(name, coll.name, w.getKeyHash_asU8()));
        for (const m of coll.hashed.getMetadataWritesList()) {
          this.metadataChanged.add(hashedKeyOf(name, coll.name, m.getKeyHash_asU8()));
        }
      }
    }
  }

  touchesPublic(ns: string, key: string): boolean {
    return this.publicWrites.has(keyOf(ns, key));
  }

  touchesHashed(ns: string, coll: string, keyHash: Uint8Array): boolean {
    return this.hashedWrites.has(hashedKeyOf(ns, coll, keyHash));
  }

  /** Whether an earlier transaction of the block changed this public key's metadata. */
  publicMetadataChanged(ns: string, key: string): boolean {
    return this.metadataChanged.has(keyOf(ns, key));
  }

  /** Whether an earlier transaction of the block changed this private key's metadata. */
  hashedMetadataChanged(ns: string, coll: string, keyHash: Uint8Array): boolean {
    return this.metadataChanged.has(hashedKeyOf(ns, coll, keyHash));
  }

  /** Public writes of `ns` (for re-running range scans). */
  *publicWritesIn(ns: string): Generator<{ key: string; isDelete: boolean }> {
    for (const w of this.publicWrites.values()) if (w.ns === ns) yield w;
  }
}
