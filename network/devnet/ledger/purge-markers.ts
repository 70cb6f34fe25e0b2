import { compareVersions, type Version } from './version';

/**
 * Where each private key was last purged. Fabric keeps a purge marker and filters
 * the stored private write sets on read; so do we: writes of a purged key at heights up to and
 * including the purge are hidden from `blockPvtData`, on every org.
 */
export class PurgeMarkers {
  readonly #markers = new Map<string, Map<string, Version>>();

  /** @internal Commit path: records a purge of `keyHashHex` at `version`. */
  add(ns: string, coll: string, keyHashHex: string, version: Version): void {
    const scope = `${ns}\u0000${coll}`;
    let keys = this.#markers.get(scope);
    if (keys === undefined) this.#markers.set(scope, (keys = new Map<string, Version>()));
    keys.set(keyHashHex, version);
  }

  /** True when some collection key was ever purged (lets readers skip the filtering). */
  hasAny(ns: string, coll: string): boolean {
    return this.#markers.has(`${ns}\u0000${coll}`);
  }

  /** True when a write of `keyHashHex` at `version` was removed by a later (or the same) purge. */
  covers(ns: string, coll: string, keyHashHex: string, version: Version): boolean {
    const purgedAt = this.#markers.get(`${ns}\u0000${coll}`)?.get(keyHashHex);
    return purgedAt !== undefined && compareVersions(version, purgedAt) <= 0;
  }
}
