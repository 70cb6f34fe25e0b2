/**
 * Pacing V8's collection of large short-lived Buffers, for `npm start`'s process (the gateway and
 * devnet threads).
 *
 * A Buffer's bytes live outside the V8 heap; V8 frees them only when it collects the Buffer
 * object. What makes it collect is allocation on its heap, or — for young Buffers — their bytes
 * reaching twice V8's default semi-space size (32 MB in Node 20's V8; a constant, whatever
 * `--max-semi-space-size` says), and for Buffers that outlived one young collection, external memory
 * growing by about 64 MB past the last full collection. A path that receives many bytes and allocates little else therefore
 * keeps tens of MB of Buffers it has already let go of: whole-chain verification (each block a
 * Buffer of grpc-js's, read as views) reached 33 MB of them in the gateway thread and as much in
 * the devnet's, and the copies of a 4 MiB upload (body, proposal, gRPC frames on both sides) are
 * old by the time its transaction commits, so they waited for that 64 MB.
 *
 * {@link GarbageMeter} counts the bytes such a path lets go of and asks for a collection once
 * they reach a bound: a young-generation one (a scavenge, ~1 ms over a small young generation) for
 * streams, a full one for large bodies. It needs V8's `gc` function, which `npm start` exposes
 * (`--expose-gc`); without it the meter does nothing and memory is as V8 alone paces it.
 */

/**
 * V8's `gc` as `--expose-gc` exposes it. Without options: a full collection, at once. With
 * options: `type` minor (young generation) or major (full), and in Node 20's V8 a major one only
 * with `execution: 'async'` (in a task of its own): `{ type: 'major' }`, with or without
 * `execution: 'sync'`, makes a young-generation collection only (garbage.test.ts holds V8 to each).
 */
export type CollectGarbage = (options?: { type: 'minor' | 'major'; execution?: 'sync' | 'async' }) => unknown;

/** V8's `gc` when the process exposes it (`--expose-gc`) on `scope` (the global object), else undefined. */
export function exposedGc(scope: { gc?: unknown } = globalThis): CollectGarbage | undefined {
  const gc = scope.gc;
  return typeof gc === 'function' ? (gc as CollectGarbage) : undefined;
}

/** Counts bytes of Buffers a path has let go of and collects once they reach a bound. */
export class GarbageMeter {
  #counted = 0;

  /**
   * @param everyBytes  bytes let go of between two collections
   * @param kind        `minor`: the young generation (Buffers that died young); `major`: everything
   * @param collect     V8's `gc` ({@link exposedGc} by default, which is undefined when the process
   *                    does not expose it); `null` or undefined: the meter does nothing
   */
  constructor(
    readonly everyBytes: number,
    readonly kind: 'minor' | 'major',
    private readonly collect: CollectGarbage | null | undefined = exposedGc(),
  ) {}

  /** Whether the meter can collect at all (the process exposes `gc`). */
  get active(): boolean {
    return Boolean(this.collect);
  }

  /** Counts `bytes` let go of; collects when the bound is reached. True if it collected. */
  add(bytes: number): boolean {
    if (!this.collect) return false;
    this.#counted += bytes;
    if (this.#counted < this.everyBytes) return false;
    this.#counted = 0;
    // A full collection runs in a task of its own, after this call; a scavenge is quick enough to run here.
    this.collect(this.kind === 'major' ? { type: 'major', execution: 'async' } : { type: 'minor' });
    return true;
  }

  /** {@link add}s a body of `bytes` if it is large ({@link LARGE_BODY_BYTES} or more); smaller ones are V8's business. */
  addIfLarge(bytes: number): boolean {
    return bytes >= LARGE_BODY_BYTES && this.add(bytes);
  }
}

/** Bytes of streamed messages (blocks) between two young-generation collections. */
export const STREAM_GARBAGE_BYTES = 8 * 1024 * 1024;

/** Bytes of large bodies (uploads, proposals) between two full collections. */
export const BODY_GARBAGE_BYTES = 8 * 1024 * 1024;

/** A body at least this large counts towards {@link BODY_GARBAGE_BYTES}; smaller ones are V8's business. */
export const LARGE_BODY_BYTES = 1024 * 1024;

/**
 * A full collection now (V8's `gc` without options: the one form that collects the old generation
 * before returning), before the caller goes on, when the process exposes `gc`; true if one
 * was run. For the start of a long read after a busy period: under load (50 submits in flight)
 * each thread's old generation grows to about 1.5x what survived its last full collection and
 * stays that size once the load ends, garbage included, until V8's memory reducer runs seconds
 * later; a whole-chain read then adds its Buffers on top of that. One full collection first gives
 * the dead pages back (a few tens of ms of a thread's time, once per whole-chain read). Run at
 * once, before the read starts, not in a task of its own: one that ran with blocks already in
 * flight could make them old (a full collection promotes live young objects, and V8's
 * pretenuring may then allocate the next ones old), which only the next full collection frees.
 */
export function collectBeforeLongRead(collect: CollectGarbage | null | undefined = exposedGc()): boolean {
  if (!collect) return false;
  collect();
  return true;
}

/** Blocks behind the chain's height from which a Deliver read counts as long ({@link collectBeforeLongRead}). */
export const LONG_READ_BLOCKS = 256;
