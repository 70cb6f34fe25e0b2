'use strict';
/**
 * The benchmarks' REST gateway, in a child process of the benchmark so that no client shares its
 * event loop: `--role gateway` runs the gateway alone over a devnet of its own process;
 * `--role system` runs exactly what `npm start` runs (gateway/src/local.ts: the devnet in a worker
 * thread, our chaincode server, the gateway) on a fresh data directory and free ports.
 */
const { mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { gcCounters } = require('./gc-counters');
const { compositionSampler } = require('./memory-composition');
const { answerCpuRequests, childrenCpuMs, cpuMs, forkRole, mainThreadCpuMs, received, send, stopRequested } = require('./roles');

/** Node with the gateway process's memory settings: the one definition `npm start` and network.sh use too. */
const GATEWAY_NODE = path.join(__dirname, '..', 'gateway-node.sh');

/** @typedef {import('./roles').ReadyMessage & { url: string }} GatewayReady */
/** @typedef {GatewayReady & { descriptorPath: string }} SystemReady */

/**
 * Child role `gateway`: the REST gateway exactly as `npm start` runs it (`startGateway` with the
 * devnet flag: every route, the event feed, metrics, logs), over the devnet's descriptor. Only
 * the port (free) and the rate limit (600/min by default, which the benchmark would hit) differ.
 */
async function serveGateway() {
  const { startGateway } = require('@healthledger/gateway/server'); // here: the benchmark that forks this has no use for it
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-bench-rest-gw-'));
  try {
    const env = { ...process.env, HEALTHLEDGER_DATA_DIR: dataDir, PORT: '0', HEALTHLEDGER_RATE_LIMIT: '1000000' };
    // On a real network (FABRIC_* from an organisation's env file) there is no dev token endpoint.
    const gateway = await startGateway({ env, devnet: !process.env.FABRIC_PEER_ENDPOINT });
    answerCpuRequests();
    send({ type: 'ready', url: gateway.url });
    await stopRequested();
    await gateway.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The gateway in a child process, given the devnet (HEALTHLEDGER_DEVNET) or a real network (an
 * organisation's FABRIC_* variables) and the JWT secret in `env`; its `ready` message carries its URL.
 * @param {{ env: NodeJS.ProcessEnv, execArgv?: string[] }} options
 * @returns {import('./roles').RoleChild<GatewayReady>}
 */
function forkGateway({ env, execArgv = [] }) {
  // Through gateway-node.sh, as network.sh starts an organisation's gateway beside real Fabric.
  return forkRole(__filename, 'gateway', { env, execArgv, execPath: GATEWAY_NODE });
}

/**
 * Child role `system`: `npm start`'s system (`startLocal`, gateway/src/local.ts) with the devnet on
 * free ports in a fresh data directory. Answers `components` with the CPU time (ms) of the
 * gateway's thread, the devnet's thread and the chaincode server, the process's highest RSS and
 * the devnet thread's highest heap in use with its limit; `heap` with the gateway thread's heap
 * counts (./gc-counters.js).
 */
async function serveSystem() {
  const { startLocal } = require('@healthledger/gateway/local');
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-bench-system-'));
  try {
    const env = { ...process.env, PORT: '0', HEALTHLEDGER_RATE_LIMIT: '1000000' };
    // As `npm start` does: a devnet thread that dies (its heap bound reached) ends the process with its reason.
    const onDevnetFailure = (/** @type {Error} */ err) => {
      console.error(`the devnet stopped: ${err.message}`);
      process.exit(1);
    };
    const system = await startLocal({ dataDir, env, devnet: { randomPorts: true }, onProgress: (line) => send({ type: 'log', line }), onDevnetFailure });
    // The process's RSS (gateway and devnet threads together, as `npm start` runs them), sampled.
    // So is the devnet thread's heap in use, against its bound (how close it came to dying of it).
    let peakRss = process.memoryUsage.rss();
    const devnetHeap = { peakBytes: 0, limitBytes: NaN };
    let asking = false; // one question at a time: a busy thread answers late, and questions would pile up
    setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss());
      if (asking) return;
      asking = true;
      void system.devnet.heap().then((heap) => {
        asking = false;
        if (!heap) return;
        devnetHeap.peakBytes = Math.max(devnetHeap.peakBytes, heap.usedBytes);
        devnetHeap.limitBytes = heap.limitBytes;
      });
    }, 250).unref();
    // What the RSS is made of at its highest since the parent last asked (`memory`).
    const memory = compositionSampler(() => system.devnet.heap());
    process.on('message', (m) => received(m)?.type === 'memory' && send({ type: 'memory', composition: memory.takePeak() }));
    process.on('message', (m) => {
      if (received(m)?.type !== 'components') return;
      void system.devnet.cpuMs().then((devnet) => {
        const gateway = mainThreadCpuMs();
        // The process's other threads: V8's collector helpers (for both threads' heaps), libuv's
        // pool (file writes, LevelDB, fsync), the devnet's native threads. No component names
        // them otherwise, yet on saturated cores they take from the ledger as the others do.
        const others = gateway === undefined || devnet === undefined ? undefined : cpuMs() - gateway - devnet;
        send({
          type: 'components',
          components: { gateway, devnet, 'other threads': others, chaincode: childrenCpuMs() },
          peakRssMb: peakRss / 2 ** 20,
          devnetHeapMb: { peak: devnetHeap.peakBytes / 2 ** 20, limit: devnetHeap.limitBytes / 2 ** 20 },
        });
      });
    });
    // The gateway thread's heap: bytes allocated and promoted, collections (`heap`).
    const heap = gcCounters();
    process.on('message', (m) => received(m)?.type === 'heap' && send({ type: 'heap', counts: heap.read() }));
    const heapProfile = await sampleHeap(process.env.BENCH_REST_HEAP_PROFILE);
    send({ type: 'ready', url: system.gateway.url, descriptorPath: system.devnet.descriptorPath });
    await stopRequested();
    await heapProfile?.write();
    heap.stop();
    memory.stop();
    await system.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * With a directory (BENCH_REST_HEAP_PROFILE), V8's sampling heap profiler on this thread (the
 * gateway's) from now on, counting the objects collections freed too: a profile of where the
 * thread allocates, not of what it keeps. With BENCH_REST_HEAP_PROFILE_SURVIVORS=1, without the
 * objects young collections freed: what is left is what lived long enough to be promoted (or was
 * still young at the end), which is what makes full collections. `write()` puts it in that
 * directory as a .heapprofile (Chrome DevTools' Memory tab reads it). One sample per 32 KiB
 * allocated on average.
 * @param {string | undefined} dir
 */
async function sampleHeap(dir) {
  if (!dir) return undefined;
  const { Session } = require('node:inspector');
  const session = new Session();
  session.connect();
  /** @param {string} method @param {object} [params] @returns {Promise<{ profile?: unknown }>} */
  const post = (method, params) => new Promise((resolve, reject) => session.post(method, params, (err, result) => (err ? reject(err) : resolve(/** @type {{ profile?: unknown }} */ (result)))));
  await post('HeapProfiler.startSampling', { samplingInterval: 32768, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: process.env.BENCH_REST_HEAP_PROFILE_SURVIVORS !== '1' });
  return {
    async write() {
      const { profile } = await post('HeapProfiler.stopSampling');
      session.disconnect();
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, `gateway-${process.pid}.heapprofile`), JSON.stringify(profile));
    },
  };
}

/**
 * `npm start`'s system in a child process; its `ready` message carries the gateway's URL and the
 * devnet's devnet.json. `env` adds to the environment (the JWT secret). The child is started
 * through scripts/gateway-node.sh, as `npm start` is, so it runs with the same memory settings (the
 * gateway thread's semi-spaces, V8's heap growing factor, glibc's malloc arenas and its fixed mmap
 * and trim thresholds) and the same overrides; the devnet thread's bounds it sets itself.
 * @param {{ env: NodeJS.ProcessEnv, execArgv?: string[], log?: (line: string) => void }} options
 * @returns {import('./roles').RoleChild<SystemReady>}
 */
function forkSystem({ env, execArgv = [], log }) {
  return forkRole(__filename, 'system', { env, execArgv, log, execPath: GATEWAY_NODE });
}

module.exports = { forkGateway, forkSystem };

if (require.main === module) {
  const role = process.argv[process.argv.indexOf('--role') + 1];
  // Exit explicitly: a child keeps its IPC channel open, and nothing else is left to finish.
  (role === 'system' ? serveSystem() : serveGateway()).then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
