import type { Version } from './version';

/** A collection's `block_to_live` (0 = kept forever), from its StaticCollectionConfig. */
export type CollectionBlockToLive = (ns: string, coll: string) => bigint;

/** A private key whose value (and hash) expires unless written again before then. */
export interface ExpiringKey {
  readonly ns: string;
  readonly coll: string;
  readonly keyHashHex: string;
  /** The write that scheduled the expiry; a later write supersedes it. */
  readonly version: Version;
}

/** A collection's private write sets of one block, which expire as a whole. */
export interface ExpiringWriteSets {
  readonly ns: string;
  readonly coll: string;
  readonly blockNum: bigint;
}

interface Due {
  readonly keys: ExpiringKey[];
  readonly writeSets: Map<string, ExpiringWriteSets>;
}

/**
 * Block-to-live bookkeeping: data committed in block N of a collection with
 * `block_to_live = B > 0` is due when block N+B+1 commits.
 */
export class ExpirySchedule {
  readonly #due = new Map<bigint, Due>();

  constructor(private readonly blockToLive: CollectionBlockToLive) {}

  #slot(ns: string, coll: string, blockNum: bigint): Due | undefined {
    const btl = this.blockToLive(ns, coll);
    if (btl <= 0n) return undefined;
    const at = blockNum + btl + 1n;
    let due = this.#due.get(at);
    if (due === undefined) this.#due.set(at, (due = { keys: [], writeSets: new Map() }));
    return due;
  }

  /** @internal Commit path: a hashed (non-delete) write of a VALID transaction. */
  noteKeyWrite(key: ExpiringKey): void {
    this.#slot(key.ns, key.coll, key.version.blockNum)?.keys.push(key);
  }

  /** @internal Commit path: an org keeps the collection's private write set of this block. */
  noteWriteSet(ns: string, coll: string, blockNum: bigint): void {
    this.#slot(ns, coll, blockNum)?.writeSets.set(`${ns}\u0000${coll}`, { ns, coll, blockNum });
  }

  /** @internal What expires when `blockNum` commits (removed from the schedule). */
  take(blockNum: bigint): { keys: readonly ExpiringKey[]; writeSets: readonly ExpiringWriteSets[] } {
    const due = this.#due.get(blockNum);
    this.#due.delete(blockNum);
    return { keys: due?.keys ?? [], writeSets: [...(due?.writeSets.values() ?? [])] };
  }
}
