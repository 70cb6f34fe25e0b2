'use strict';
/**
 * What a process's RSS is made of, sampled inside the process (`npm start`'s system: the gateway
 * on the main thread, the devnet in a worker thread). A figure of RSS alone says nothing of what to
 * change; split, it points at the part that grew:
 *   file       RSS backed by files: the node binary, shared libraries (the same in every run)
 *   gw heap    the gateway thread's V8 heap, resident (`total_physical_size`)
 *   gw ext     the gateway thread's external memory (Buffers, array buffers: request and response bodies)
 *   dev heap   the devnet thread's V8 heap, resident
 *   dev ext    the devnet thread's external memory (block and state Buffers)
 *   native     the rest of the anonymous RSS: LevelDB's block cache and memtables, gRPC/HTTP/2
 *              buffers, thread stacks, V8's code and metadata outside its heaps, and memory
 *              glibc's malloc keeps after it was freed (MALLOC_ARENA_MAX, MALLOC_TRIM_THRESHOLD_)
 */
const { readFileSync } = require('node:fs');
const { getHeapStatistics } = require('node:v8');

const MB = 2 ** 20;

/**
 * This process's resident memory by kind, in bytes, from /proc/self/status (zero where there is none).
 * @returns {{ rss: number, anon: number, file: number }}
 */
function residentKinds() {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    /** @param {string} field */
    const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') + kb('RssShmem') };
  } catch {
    const rss = process.memoryUsage.rss();
    return { rss, anon: rss, file: 0 };
  }
}

/** @typedef {{ residentBytes: number, externalBytes: number }} ThreadMemory  a thread's V8 heap (resident) and external memory */
/** @typedef {{ rss: number, file: number, gatewayHeap: number, gatewayExternal: number, devnetHeap: number, devnetExternal: number, native: number }} Composition  in MB */

/**
 * One sample: the process's RSS split as the module's comment says, the devnet thread's figures
 * being its latest answer (it answers asynchronously).
 * @param {ThreadMemory | undefined} devnet
 * @returns {Composition}
 */
function composition(devnet) {
  const { rss, anon, file } = residentKinds();
  const gatewayHeap = getHeapStatistics().total_physical_size;
  const gatewayExternal = process.memoryUsage().external;
  const devnetHeap = devnet?.residentBytes ?? 0;
  const devnetExternal = devnet?.externalBytes ?? 0;
  const native = Math.max(0, anon - gatewayHeap - gatewayExternal - devnetHeap - devnetExternal);
  /** @param {number} bytes */
  const mb = (bytes) => bytes / MB;
  return { rss: mb(rss), file: mb(file), gatewayHeap: mb(gatewayHeap), gatewayExternal: mb(gatewayExternal), devnetHeap: mb(devnetHeap), devnetExternal: mb(devnetExternal), native: mb(native) };
}

/**
 * Samples the composition every `everyMs` and keeps the one taken at the highest RSS since the last
 * `takePeak()`. `devnetMemory` asks the devnet thread for its figures (undefined once it stopped).
 * @param {() => Promise<ThreadMemory | undefined>} devnetMemory
 * @param {number} [everyMs]
 */
function compositionSampler(devnetMemory, everyMs = 100) {
  /** @type {ThreadMemory | undefined} */
  let devnet;
  /** @type {Composition | undefined} */
  let peak;
  const sample = () => {
    const now = composition(devnet);
    if (!peak || now.rss > peak.rss) peak = now;
  };
  let asking = false; // one question at a time: a busy thread answers late, and questions would pile up
  const timer = setInterval(() => {
    sample();
    if (asking) return;
    asking = true;
    void devnetMemory().then((memory) => {
      devnet = memory ?? devnet;
      asking = false;
    });
  }, everyMs);
  timer.unref();
  return {
    /** The composition at the highest RSS since the last call (one taken now if none was), and starts over. */
    takePeak() {
      sample();
      const taken = /** @type {Composition} */ (peak);
      peak = undefined;
      return taken;
    },
    stop: () => clearInterval(timer),
  };
}

/**
 * A composition as a table row, each part rounded to MB.
 * @param {Composition} c
 */
function compositionRow(c) {
  /** @param {number} mb */
  const r = (mb) => Math.round(mb);
  return { 'RSS MB': r(c.rss), file: r(c.file), 'gw heap': r(c.gatewayHeap), 'gw ext': r(c.gatewayExternal), 'dev heap': r(c.devnetHeap), 'dev ext': r(c.devnetExternal), native: r(c.native) };
}

module.exports = { composition, compositionSampler, compositionRow };
