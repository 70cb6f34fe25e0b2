/**
 * The heap bounds of the devnet's worker thread. Left to itself V8 sizes a heap to the allocation
 * rate, not to the data it keeps: under sustained submits the devnet's heap grew with the run
 * (RSS under load 272 MB at 100,000 transactions) although what it retains is small (the state,
 * history and blocks live in LevelDB and files, outside the heap; RSS after a restart ~90 MB).
 * Bounding the old generation makes V8 collect instead of growing; bounding the young generation
 * (its semi-spaces) caps what the allocation rate alone claims. The defaults were chosen by
 * measurement (docs/performance.md, "Ledger growth" and "Memory bounds"); an operator overrides them with
 * HEALTHLEDGER_DEVNET_OLD_SPACE_MB and HEALTHLEDGER_DEVNET_YOUNG_SPACE_MB (`0`: V8's own sizing).
 */
import type { ResourceLimits } from 'node:worker_threads';

/** Old-generation bound (MB) by default: room for the heaviest requests, measured (docs/performance.md). */
export const DEFAULT_OLD_SPACE_MB = 128;

/**
 * Young-generation bound (MB) by default (three semi-spaces' worth in V8's accounting): 4 MB
 * semi-spaces, 8 MB resident once used. 24 (8 MB semi-spaces) kept 16 MB resident in every
 * phase for small short-lived objects; the thread's large Buffers live outside it (docs/performance.md,
 * "Memory bounds").
 */
export const DEFAULT_YOUNG_SPACE_MB = 12;

/** The environment variables that override the defaults. */
export const OLD_SPACE_ENV = 'HEALTHLEDGER_DEVNET_OLD_SPACE_MB';
export const YOUNG_SPACE_ENV = 'HEALTHLEDGER_DEVNET_YOUNG_SPACE_MB';

/**
 * One bound from the environment: a whole number of MB; `0` leaves that generation to V8.
 * Anything else is refused, so that a typo does not silently run unbounded.
 */
function megabytes(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text)) throw new Error(`${name} must be a whole number of MB (0: no bound), got "${text}"`);
  const value = Number(text);
  return value === 0 ? undefined : value;
}

/**
 * The worker's resource limits: the defaults above unless the environment overrides them.
 * @throws Error if an override is not a whole number
 */
export function devnetHeapLimits(env: Readonly<Record<string, string | undefined>> = process.env): ResourceLimits {
  const limits: ResourceLimits = {};
  const old = megabytes(env, OLD_SPACE_ENV, DEFAULT_OLD_SPACE_MB);
  const young = megabytes(env, YOUNG_SPACE_ENV, DEFAULT_YOUNG_SPACE_MB);
  if (old !== undefined) limits.maxOldGenerationSizeMb = old;
  if (young !== undefined) limits.maxYoungGenerationSizeMb = young;
  return limits;
}

/** What a worker that died of its heap bound says, with what to change. */
export function outOfMemoryMessage(limits: ResourceLimits): string {
  const old = limits.maxOldGenerationSizeMb === undefined ? "V8's default" : `${limits.maxOldGenerationSizeMb} MB`;
  const young = limits.maxYoungGenerationSizeMb === undefined ? "V8's default" : `${limits.maxYoungGenerationSizeMb} MB`;
  return `devnet thread ran out of heap (old generation ${old}, young generation ${young}); raise ${OLD_SPACE_ENV} / ${YOUNG_SPACE_ENV} (0: no bound)`;
}
