'use strict';
/**
 * scripts/bench-rest.js's measurement: the direct client and the REST API in short alternating
 * windows, so that the machine's drift (a neighbour's load, CPU frequency, the ledger growing)
 * lands on both sides of each round's ratio instead of on one side of the whole run's.
 *
 * A comparison at one concurrency is one warm-up round (discarded) and then `rounds` rounds; a
 * round is one window of each side, direct first in odd rounds and REST first in even ones (so
 * two rounds make an ABBA cycle). Each round gives a ratio REST/direct of its two windows' rates;
 * the comparison reports their median and range, the rates over all measured windows, latency
 * percentiles, and the CPU time per call of each component.
 */
const { loadAverage } = require('./machine');
const { percentile } = require('./measure');

/** @typedef {import('./measure').Run} Run */
/** @typedef {Record<string, number>} Cpu  CPU time (ms) by component: `client` (the benchmark's process), `gateway`, `devnet`, `chaincode`, … */
/** @typedef {Run & { cpu: Cpu, counts: Record<string, number> }} RunWithCpu  with the CPU time each component spent meanwhile, and what the counters counted */
/** @typedef {() => Promise<Cpu>} CpuReader  CPU time used so far by each component */
/** @typedef {() => Promise<Record<string, number>>} CountReader  other counts so far (the gateway thread's heap: bytes allocated, collections), reported per call beside the CPU time, never added to it */
/** @typedef {(n: number) => Promise<Run>} Side  `n` calls of one side's workload */
/** @typedef {ReturnType<typeof tally>} Tally */
/**
 * @typedef {{ median: number, min: number, max: number }} Spread  the median of the rounds' ratios and their range
 * @typedef {{ direct: Tally, rest: Tally, ratios: number[], ratio: Spread, cpuRatio: Spread, load: number }} Comparison
 *   one comparison: each side's tally over the measured rounds; each round's REST/direct rate
 *   ratio (in the order run) and their spread; the spread of each round's ratio of CPU per call,
 *   all components, direct/REST (what the rates come to once the cores are saturated, and less
 *   moved by the neighbours' load than the rates); the 1-minute load at the end
 */
/** @typedef {Pick<import('autocannon').Options, 'headers' | 'requests'>} RestRequest */

/**
 * Merged windows of one side: latency percentiles (ms), calls per second over the windows' time,
 * the CPU time per call (µs) of each component and each count per call.
 * @param {RunWithCpu[]} runs
 */
function tally(runs) {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  /** @param {(run: RunWithCpu) => number} read */
  const sum = (read) => runs.reduce((total, r) => total + read(r), 0);
  const count = sum((r) => r.count);
  /** @type {Record<string, number>} */
  const cpuUs = {};
  for (const c of Object.keys(runs[0]?.cpu ?? {})) cpuUs[c] = (sum((r) => r.cpu[c] ?? NaN) / count) * 1000;
  /** @type {Record<string, number>} */
  const perCall = {};
  for (const c of Object.keys(runs[0]?.counts ?? {})) perCall[c] = sum((r) => r.counts[c] ?? NaN) / count;
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    perSecond: count / sum((r) => r.seconds),
    cpuUs,
    perCall,
  };
}

/** What each of `after`'s entries grew by since `before`. @param {Record<string, number>} before @param {Record<string, number>} after */
function grown(before, after) {
  /** @type {Record<string, number>} */
  const by = {};
  for (const c of Object.keys(after)) by[c] = (after[c] ?? NaN) - (before[c] ?? NaN);
  return by;
}

/** No counts. @type {CountReader} */
const NO_COUNTS = () => Promise.resolve({});

/**
 * Runs `run()` and adds the CPU time (ms) each component spent meanwhile, and what the counters counted.
 * @param {{ readCpu: CpuReader, readCounts?: CountReader }} readers
 * @param {() => Promise<Run>} run
 * @returns {Promise<RunWithCpu>}
 */
async function withCpu({ readCpu, readCounts = NO_COUNTS }, run) {
  const [before, countsBefore] = [await readCpu(), await readCounts()];
  const result = await run();
  const [after, countsAfter] = [await readCpu(), await readCounts()];
  return { ...result, cpu: grown(before, after), counts: grown(countsBefore, countsAfter) };
}

/** Calls per second of one window. @param {Run} run */
const rate = (run) => run.count / run.seconds;

/** CPU time per call of one window, all components. @param {RunWithCpu} run */
const cpuPerCall = (run) => Object.values(run.cpu).reduce((sum, ms) => sum + ms, 0) / run.count;

/**
 * The median of values (NaN when there are none).
 * @param {number[]} values
 */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 ? /** @type {number} */ (sorted[mid]) : (/** @type {number} */ (sorted[mid - 1]) + /** @type {number} */ (sorted[mid])) / 2;
}

/**
 * The median and range of values.
 * @param {number[]} values
 * @returns {Spread}
 */
const spread = (values) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });

/**
 * One comparison: a warm-up round, then `rounds` rounds of one window (`perWindow` calls) of each
 * side, the side that goes first alternating.
 * @param {string} label
 * @param {{ perWindow: number, rounds: number, readCpu: CpuReader, readCounts?: CountReader }} plan
 * @param {Side} direct
 * @param {Side} rest
 * @param {(line: string) => void} log
 * @returns {Promise<Comparison>}
 */
async function alternating(label, { perWindow, rounds, readCpu, readCounts }, direct, rest, log) {
  /** @type {{ direct: RunWithCpu[], rest: RunWithCpu[] }} */
  const runs = { direct: [], rest: [] };
  /** @type {number[]} */
  const ratios = [];
  /** @type {number[]} */
  const cpuRatios = [];
  for (let round = 0; round <= rounds; round++) {
    /** @type {('direct' | 'rest')[]} */
    const order = round % 2 ? ['direct', 'rest'] : ['rest', 'direct'];
    /** @type {Partial<Record<'direct' | 'rest', RunWithCpu>>} */
    const window = {};
    for (const side of order) window[side] = await withCpu({ readCpu, readCounts }, () => (side === 'direct' ? direct(perWindow) : rest(perWindow)));
    const { direct: d, rest: r } = /** @type {Record<'direct' | 'rest', RunWithCpu>} */ (window);
    if (round === 0) continue; // warm-up: connections, JIT, the ledger's first blocks at this rate
    runs.direct.push(d);
    runs.rest.push(r);
    ratios.push(rate(r) / rate(d));
    cpuRatios.push(cpuPerCall(d) / cpuPerCall(r));
  }
  const result = {
    direct: tally(runs.direct),
    rest: tally(runs.rest),
    ratios,
    ratio: spread(ratios),
    cpuRatio: spread(cpuRatios),
    // The machine's 1-minute load average at the end: figures taken under load read differently.
    load: loadAverage(),
  };
  const { direct: dt, rest: rt, ratio } = result;
  log(`  ${label}: direct ${dt.perSecond.toFixed(0)}/s p50 ${dt.p50.toFixed(2)} ms; REST ${rt.perSecond.toFixed(0)}/s p50 ${rt.p50.toFixed(2)} ms; REST/direct by round ${ratios.map((x) => x.toFixed(2)).join(' ')} (median ${ratio.median.toFixed(2)}); CPU direct/REST median ${result.cpuRatio.median.toFixed(2)}`);
  return result;
}

/**
 * `total` HTTP requests over `concurrency` keep-alive connections with autocannon (`request`:
 * its `headers` and one-element `requests`); every one must succeed.
 * @param {string} url
 * @param {number} total
 * @param {number} concurrency
 * @param {RestRequest} request
 * @returns {Promise<Run>}
 */
async function restRun(url, total, concurrency, request) {
  const autocannon = require('autocannon'); // here, not at the top: only the REST runs need it (its types: scripts/types/autocannon.d.ts)
  /** @type {number[]} */
  const latencies = [];
  const started = process.hrtime.bigint();
  let last = started;
  const instance = autocannon({ url, connections: concurrency, amount: total, timeout: 300, ...request });
  instance.on('response', (_client, _status, _bytes, responseTime) => {
    latencies.push(responseTime);
    last = process.hrtime.bigint();
  });
  const result = await instance;
  // Up to the last response: autocannon itself only notices the end at its next sampling tick.
  const seconds = Number(last - started) / 1e9;
  const failed = result.non2xx + result.errors + result.timeouts;
  const { method, path: target } = request.requests[0];
  if (failed > 0) throw new Error(`REST ${method} ${target}: ${failed} of ${total} requests failed (non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts})`);
  return { latencies, count: total, seconds };
}

module.exports = { alternating, median, restRun };
