'use strict';
/** Measuring calls: latencies and rates of a workload run by concurrent workers. */

/**
 * The `p`th percentile of sorted values (NaN when there are none).
 * @param {number[]} sorted
 * @param {number} p
 * @returns {number}
 */
function percentile(sorted, p) {
  return sorted.length === 0 ? NaN : /** @type {number} */ (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]);
}

/** @typedef {{ latencies: number[], count: number, seconds: number }} Run  latencies in ms, unsorted */

/**
 * `total` calls of `call(i)` by `concurrency` workers (a direct client, or HTTP requests).
 * @param {number} total
 * @param {number} concurrency
 * @param {(i: number) => Promise<unknown>} call
 * @returns {Promise<Run>}
 */
async function directRun(total, concurrency, call) {
  /** @type {number[]} */
  const latencies = [];
  let next = 0;
  const started = process.hrtime.bigint();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      await call(i);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { latencies, count: total, seconds };
}

module.exports = { percentile, directRun };
