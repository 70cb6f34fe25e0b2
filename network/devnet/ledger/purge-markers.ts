import { decodeVersion, encodeVersion, tableKey } from './codec';
import type { KvStore } from './kv';
import { compareVersions, type Version } from './version';

/**
 * Where each private key was last purged, in the ledger's key-value store. Fabric keeps a purge
 * marker and filters the stored private write sets on read; so do we: writes of a purged key at
 * heights up to and including the purge are hidden from `blockPvtData`, on every org (and removed
 * from the stored write sets as the purge commits, for erasure).
 */
export class PurgeMarkers {
  constructor(private readonly kv: KvStore) {}

  /** @internal Commit path: records a purge of `keyHashHex` at `version`. */
  add(ns: string, coll: string, keyHashHex: string, version: Version): void {
    this.kv.put(tableKey('m', ns, coll, Buffer.from(keyHashHex, 'hex')), encodeVersion(version));
    this.kv.put(tableKey('M', ns, coll), Buffer.alloc(0));
  }

  /** True when some collection key was ever purged (lets readers skip the filtering). */
  hasAny(ns: string, coll: string): boolean {
    return this.kv.get(tableKey('M', ns, coll)) !== undefined;
  }

  /** True when a write of `keyHashHex` at `version` was removed by a later (or the same) purge. */
  covers(ns: string, coll: string, keyHashHex: string, version: Version): boolean {
    const stored = this.kv.get(tableKey('m', ns, coll, Buffer.from(keyHashHex, 'hex')));
    return stored !== undefined && compareVersions(version, decodeVersion(stored)) <= 0;
  }
}
