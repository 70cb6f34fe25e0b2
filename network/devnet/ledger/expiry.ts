import { tableKey, u64 } from './codec';
import type { KvStore } from './kv';
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

/** `e ‖ u64 due block` → JSON of what falls due then (bigints as strings). */
const dueKey = (blockNum: bigint): Buffer => tableKey('e', u64(blockNum));

interface StoredDue {
  keys: Array<{ ns: string; coll: string; keyHashHex: string; blockNum: string; txNum: number }>;
  writeSets: Array<{ ns: string; coll: string; blockNum: string }>;
}

function encodeDue(due: Due): Buffer {
  const stored: StoredDue = {
    keys: due.keys.map((k) => ({ ns: k.ns, coll: k.coll, keyHashHex: k.keyHashHex, blockNum: k.version.blockNum.toString(), txNum: k.version.txNum })),
    writeSets: [...due.writeSets.values()].map((w) => ({ ns: w.ns, coll: w.coll, blockNum: w.blockNum.toString() })),
  };
  return Buffer.from(JSON.stringify(stored), 'utf8');
}

function decodeDue(bytes: Buffer): Due {
  const stored = JSON.parse(bytes.toString('utf8')) as StoredDue;
  return {
    keys: stored.keys.map((k) => ({ ns: k.ns, coll: k.coll, keyHashHex: k.keyHashHex, version: { blockNum: BigInt(k.blockNum), txNum: k.txNum } })),
    writeSets: new Map(stored.writeSets.map((w) => [`${w.ns}\u0000${w.coll}`, { ns: w.ns, coll: w.coll, blockNum: BigInt(w.blockNum) }])),
  };
}

/**
 * Block-to-live bookkeeping in the ledger's key-value store: data committed in block N of a
 * collection with `block_to_live = B > 0` is due when block N+B+1 commits. What a block schedules
 * is gathered in memory while it applies and written with it ({@link flush}).
 */
export class ExpirySchedule {
  /** Due records touched by the block being applied. */
  readonly #touched = new Map<bigint, Due>();

  constructor(
    private readonly kv: KvStore,
    private readonly blockToLive: CollectionBlockToLive,
  ) {}

  #slot(ns: string, coll: string, blockNum: bigint): Due | undefined {
    const btl = this.blockToLive(ns, coll);
    if (btl <= 0n) return undefined;
    const at = blockNum + btl + 1n;
    let due = this.#touched.get(at);
    if (due === undefined) {
      const stored = this.kv.get(dueKey(at));
      due = stored === undefined ? { keys: [], writeSets: new Map() } : decodeDue(stored);
      this.#touched.set(at, due);
    }
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
    const stored = this.kv.get(dueKey(blockNum));
    if (stored === undefined) return { keys: [], writeSets: [] };
    this.kv.del(dueKey(blockNum));
    const due = decodeDue(stored);
    return { keys: due.keys, writeSets: [...due.writeSets.values()] };
  }

  /** @internal End of a block's apply: writes the due records it touched. */
  flush(): void {
    for (const [at, due] of this.#touched) this.kv.put(dueKey(at), encodeDue(due));
    this.#touched.clear();
  }
}
