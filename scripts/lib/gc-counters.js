'use strict';
/**
 * What a thread's V8 heap allocates and keeps, counted from its collections (node:v8's GCProfiler,
 * which records the heap's statistics before and after each one), for the benchmarks: bytes
 * allocated (the heap's use just before a collection less its use just after the one before,
 * summed, plus what was allocated since the last one), bytes promoted (what the old generation
 * grew by in a young collection: objects that lived long enough to be copied out of the young
 * generation, which only a full collection frees), and the number of young and of full
 * collections. These do not depend on the machine's load, as CPU time and rates do, so two builds
 * can be compared on them from one run each. Only the JS heap is counted: the bytes of Buffers
 * (ArrayBuffer backing stores) live outside it.
 */
const v8 = require('node:v8');

/**
 * @typedef {object} GcCounts  counts since the counter started
 * @property {number} allocatedBytes  bytes allocated on the heap
 * @property {number} promotedBytes  bytes moved into the old generation by young collections
 * @property {number} youngCollections  scavenges
 * @property {number} fullCollections  mark-compacts
 */

/** @typedef {{ spaceName: string, spaceUsedSize: number }} SpaceStats */
/** @typedef {{ heapStatistics: { usedHeapSize: number }, heapSpaceStatistics: SpaceStats[] }} GcSide */
/** @typedef {{ gcType: string, beforeGC: GcSide, afterGC: GcSide }} GcRecord */

/** The young generation's spaces: what a scavenge moves out of them into the others was promoted. */
const YOUNG = new Set(['new_space', 'new_large_object_space']);

/** Bytes in use outside the young generation. @param {GcSide} side */
const oldUsed = (side) => side.heapSpaceStatistics.reduce((sum, s) => sum + (YOUNG.has(s.spaceName) ? 0 : s.spaceUsedSize), 0);

/**
 * Starts counting this thread's heap; `read()` answers the counts so far. A read restarts the
 * profiler (it keeps every record until stopped), so read now and then on a long run.
 * @returns {{ read: () => GcCounts, stop: () => void }}
 */
function gcCounters() {
  const profiler = new v8.GCProfiler();
  profiler.start();
  /** @type {GcCounts} */
  const totals = { allocatedBytes: 0, promotedBytes: 0, youngCollections: 0, fullCollections: 0 };
  let usedAfterLast = v8.getHeapStatistics().used_heap_size;
  /** @param {GcRecord[]} records */
  const add = (records) => {
    for (const { gcType, beforeGC, afterGC } of records) {
      totals.allocatedBytes += Math.max(0, beforeGC.heapStatistics.usedHeapSize - usedAfterLast);
      usedAfterLast = afterGC.heapStatistics.usedHeapSize;
      if (gcType === 'Scavenge') {
        totals.youngCollections++;
        totals.promotedBytes += Math.max(0, oldUsed(afterGC) - oldUsed(beforeGC));
      } else if (gcType === 'MarkSweepCompact') totals.fullCollections++;
    }
  };
  return {
    read() {
      add(/** @type {{ statistics: GcRecord[] }} */ (profiler.stop()).statistics);
      profiler.start();
      return { ...totals, allocatedBytes: totals.allocatedBytes + Math.max(0, v8.getHeapStatistics().used_heap_size - usedAfterLast) };
    },
    stop: () => void profiler.stop(),
  };
}

module.exports = { gcCounters };
