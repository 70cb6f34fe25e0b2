/**
 * The writes of the transactions already found VALID in the block being validated (Fabric's
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
  /**
   * Public keys changed earlier in the block, with what changed last: a put, a delete, or only
   * the metadata (which bumps the version of an existing key).
   */
  private readonly publicWrites = new Map<string, { ns: string; key: string; change: 'put' | 'delete' | 'metadata' }>();
  private readonly hashedWrites = new Set<string>();
  private readonly metadataChanged = new Set<string>();

  /** Records the writes of a transaction that ended VALID. */
  add(namespaces: readonly NamespaceRwset[]): void {
    for (const ns of namespaces) {
      const name = ns.namespace;
      for (const w of ns.kv.getWritesList()) {
        const change = w.getIsDelete() || w.getValue_asU8().length === 0 ? 'delete' : 'put';
        this.publicWrites.set(keyOf(name, w.getKey()), { ns: name, key: w.getKey(), change });
      }
      for (const m of ns.kv.getMetadataWritesList()) {
        const id = keyOf(name, m.getKey());
        this.metadataChanged.add(id);
        if (!this.publicWrites.has(id)) this.publicWrites.set(id, { ns: name, key: m.getKey(), change: 'metadata' });
      }
      for (const coll of ns.collections) {
        for (const w of coll.hashed.getHashedWritesList()) this.hashedWrites.add(hashedKeyOf(name, coll.name, w.getKeyHash_asU8()));
        for (const m of coll.hashed.getMetadataWritesList()) {
          const id = hashedKeyOf(name, coll.name, m.getKeyHash_asU8());
          this.metadataChanged.add(id);
          this.hashedWrites.add(id);
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

  /** Public changes in `ns` (for re-running range scans). */
  *publicWritesIn(ns: string): Generator<{ key: string; change: 'put' | 'delete' | 'metadata' }> {
    for (const w of this.publicWrites.values()) if (w.ns === ns) yield w;
  }
}
