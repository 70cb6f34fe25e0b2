import { ClassicLevel } from 'classic-level';
import { MemoryLevel } from 'memory-level';

/*
 * The ledger's key-value store: LevelDB on disk (`classic-level`, as a Fabric peer keeps its state
 * and indexes in goleveldb) or the same API in memory (`memory-level`) for tests. Writes of the
 * block being applied collect in an overlay that every read sees (point reads and scans), and go
 * to the database in one atomic batch with the block's savepoint (`flush`).
 */

type BatchOp = { type: 'put'; key: Buffer; value: Buffer } | { type: 'del'; key: Buffer };

/** What the store uses of an abstract-level database (both implementations have it). */
interface Db {
  open(): Promise<void>;
  close(): Promise<void>;
  getSync(key: Buffer): Buffer | undefined;
  batch(ops: BatchOp[], options: { sync: boolean }): Promise<void>;
  iterator(options: { gte: Buffer; lt?: Buffer; reverse: boolean }): AsyncIterable<[Buffer, Buffer]> & { close(): Promise<void> };
}

/** One key-value pair of a scan. */
export type KvEntry = readonly [key: Buffer, value: Buffer];

const DB_OPTIONS = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const;

/** The smallest key greater than every key starting with `prefix` (undefined: none). */
export function prefixEnd(prefix: Buffer): Buffer | undefined {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] !== 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  return undefined;
}

function inRange(key: Buffer, gte: Buffer, lt: Buffer | undefined): boolean {
  return Buffer.compare(key, gte) >= 0 && (lt === undefined || Buffer.compare(key, lt) < 0);
}

/** Keys below and above every key the ledger writes. */
const SENTINELS = [Buffer.from([0x00]), Buffer.from([0xff, 0xff])];

/**
 * LevelDB's manual compaction merges a range level by level down to the deepest level holding it,
 * but never rewrites the files of that deepest level: a value and its deletion flushed together
 * into a file that lands there would both stay on disk. A new database therefore gets a file of two
 * sentinel keys spanning every key, pushed to level 2 by compaction; a memtable flush then always
 * lands above a file it overlaps, and compaction carries it down, dropping shadowed values.
 */
async function placeSentinels(db: ClassicLevel<Buffer, Buffer>): Promise<void> {
  if (db.getSync(SENTINELS[0] as Buffer) !== undefined) return;
  await db.batch(SENTINELS.map((key) => ({ type: 'put' as const, key, value: Buffer.alloc(0) })), { sync: true });
  await db.compactRange(SENTINELS[0] as Buffer, SENTINELS[1] as Buffer);
}

/** LevelDB (or its in-memory stand-in) plus the pending writes of the block being applied. */
export class KvStore {
  /** Pending writes by key (latin1 of the key bytes): the key and its value, null = delete. */
  readonly #pending = new Map<string, readonly [Buffer, Buffer | null]>();

  private constructor(
    private readonly db: Db,
    /** The on-disk database (compaction), absent in memory. */
    private readonly classic: ClassicLevel<Buffer, Buffer> | undefined,
  ) {}

  /** Opens LevelDB under `dir` (created if missing), or an in-memory store. */
  static async open(dir?: string): Promise<KvStore> {
    // No compression: erased values must be findable (and provably gone) in the raw files.
    const classic = dir === undefined ? undefined : new ClassicLevel<Buffer, Buffer>(dir, { ...DB_OPTIONS, compression: false });
    const db: Db = classic ?? new MemoryLevel<Buffer, Buffer>(DB_OPTIONS);
    await db.open();
    if (classic !== undefined) await placeSentinels(classic);
    return new KvStore(db, classic);
  }

  /** The value of `key`, pending writes included (synchronous: point reads sit on hot paths). */
  get(key: Buffer): Buffer | undefined {
    // Outside a commit nothing is pending (simulations, which do most reads, wait for commits).
    if (this.#pending.size > 0) {
      const pending = this.#pending.get(key.toString('latin1'));
      if (pending !== undefined) return pending[1] ?? undefined;
    }
    return this.db.getSync(key);
  }

  put(key: Buffer, value: Buffer): void {
    this.#pending.set(key.toString('latin1'), [key, value]);
  }

  del(key: Buffer): void {
    this.#pending.set(key.toString('latin1'), [key, null]);
  }

  /** Number of pending writes. */
  get pendingWrites(): number {
    return this.#pending.size;
  }

  /** Writes the pending writes in one atomic batch (`sync`: fsync LevelDB's log first). */
  async flush(sync: boolean): Promise<void> {
    if (this.#pending.size === 0) return;
    const written = [...this.#pending];
    const ops = written.map(([, [key, value]]): BatchOp => (value === null ? { type: 'del', key } : { type: 'put', key, value }));
    // Pending writes stay visible until LevelDB has them; one made meanwhile stays pending.
    await this.db.batch(ops, { sync });
    for (const [k, v] of written) if (this.#pending.get(k) === v) this.#pending.delete(k);
  }

  /** Forgets the pending writes (a commit failed before its batch). */
  discard(): void {
    this.#pending.clear();
  }

  /**
   * Entries with `gte <= key < lt` in byte order (descending with `reverse`), pending writes
   * included. The database part reads from the snapshot taken when the scan starts.
   */
  async *scan(gte: Buffer, lt: Buffer | undefined, reverse = false): AsyncGenerator<KvEntry> {
    const pending = [...this.#pending.values()]
      .filter(([k]) => inRange(k, gte, lt))
      .sort(([a], [b]) => (reverse ? Buffer.compare(b, a) : Buffer.compare(a, b)));
    const before = (a: Buffer, b: Buffer): boolean => (reverse ? Buffer.compare(a, b) > 0 : Buffer.compare(a, b) < 0);
    let next = 0;
    const iterator = this.db.iterator(lt === undefined ? { gte, reverse } : { gte, lt, reverse });
    try {
      for await (const [key, value] of iterator) {
        for (let p = pending[next]; p !== undefined && before(p[0], key); p = pending[++next]) if (p[1] !== null) yield [p[0], p[1]];
        const same = pending[next];
        if (same !== undefined && same[0].equals(key)) {
          next++; // the pending write shadows the stored value
          if (same[1] !== null) yield [same[0], same[1]];
          continue;
        }
        yield [key, value];
      }
    } finally {
      await iterator.close();
    }
    for (let p = pending[next]; p !== undefined; p = pending[++next]) if (p[1] !== null) yield [p[0], p[1]];
  }

  /** Keys with `prefix`, in byte order. */
  scanPrefix(prefix: Buffer, reverse = false): AsyncGenerator<KvEntry> {
    return this.scan(prefix, prefixEnd(prefix), reverse);
  }

  /**
   * Rewrites the files holding keys in `[from, to]` so that deleted and overwritten values are
   * physically gone (GDPR erasure): LevelDB flushes its memtable, drops the old log and merges the
   * range down to its last level. A no-op in memory.
   */
  async compact(from: Buffer, to: Buffer): Promise<void> {
    await this.classic?.compactRange(from, to);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
