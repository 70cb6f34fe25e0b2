#!/usr/bin/env node
// REST gateway benchmark: the REST API against the direct @hyperledger/fabric-gateway
// client, on the same devnet and the same workload, as the manufacturer identity:
//   submit   = register a product with a fresh GTIN (trace:registerProduct; POST /products)
//   evaluate = read one product (trace:getProduct; GET /products/:gtin)
// Targets: REST submit throughput ≥ 0.95 × direct at each concurrency; REST evaluate p50 ≤ direct
// p50 + 1 ms. Prints tables, with the CPU time per call of each component; asserts only that
// every call succeeded.
//
// The system under test is exactly what `npm start` runs (gateway/src/local.ts: the devnet in a
// worker thread of its own, our chaincode server, the REST gateway on the main thread), in a child
// process of this script (scripts/lib/gateway-process.js, role `system`), so that neither client
// shares an event loop with it; this process runs the direct client and autocannon. The direct
// client dials the same devnet the gateway dials, so REST/direct is what the gateway costs the
// ledger in `npm start`.
// Each comparison runs the two sides in short alternating windows, a warm-up round discarded
// (scripts/lib/rest-rounds.js): a neighbour's load or the ledger growing during the run lands on
// both sides of each round's ratio, and the ratio reported is the rounds' median, with their range
// (two long windows, one per side, let the machine's drift decide a 5% difference). Each round's
// ratio of CPU per call, all components, is reported the same way: once the cores are saturated
// the rates follow it, and a neighbour's load moves it less than the rates. Latencies are taken
// from autocannon's per-response timings (its histogram rounds to whole milliseconds).
//
// Usage: node scripts/bench-rest.js [--target devnet|fabric] [--quick] [--concurrency N[,N…]] [--rounds N] [--workloads evaluate,submit]
//   --concurrency  calls in flight for the throughput rows (default 20,50)
//   --rounds       measured rounds per comparison, after the warm-up round (default 6)
//   --workloads    which workloads to compare (default evaluate,submit; `submit` alone is the ratio target's)
//   --quick        a quarter of the calls per window, 2 rounds (smoke run)
//   --target       devnet (default: npm start's system, fresh) or fabric (the real network
//                  scripts/network.sh runs in HEALTHLEDGER_FABRIC_DIR, through the manufacturer's
//                  organisation's gateway configured from its env file; scripts/lib/target.js)
// On the devnet it also prints the gateway thread's heap per call (bytes allocated and promoted,
// collections): figures the machine's load does not move.
// BENCH_REST_PROFILE=<dir> writes a CPU profile of the gateway process there, and
// BENCH_REST_HEAP_PROFILE=<dir> (devnet) a sampling heap profile of the gateway thread, freed
// objects included (where it allocates: scripts/heap-profile-summary.js); BENCH_REST_NODE_ARGS
// adds node flags to the system under test (e.g. `--single-threaded-gc`), to try one out.
'use strict';

const { randomBytes } = require('node:crypto');
const os = require('node:os');
const { parseArgs } = require('node:util');

const { issueToken } = require('@healthledger/gateway/auth/tokens');
const { connectAs, untilChaincodeServes } = require('./lib/client');
const { forkSystem, forkGateway } = require('./lib/gateway-process');
const { readJson } = require('./lib/json');
const { compositionRow } = require('./lib/memory-composition');
const { loadAverage } = require('./lib/machine');
const { directRun } = require('./lib/measure');
const { MANUFACTURER, gtin14, productRequest } = require('./lib/products');
const { alternating, restRun } = require('./lib/rest-rounds');
const { cpuMs } = require('./lib/roles');
const { openTarget, targetKind } = require('./lib/target');

/** @typedef {import('@hyperledger/fabric-gateway').Contract} Contract */
/** @typedef {import('./lib/rest-rounds').Cpu} Cpu */
/** @typedef {import('./lib/rest-rounds').CpuReader} CpuReader */
/** @typedef {import('./lib/rest-rounds').CountReader} CountReader */
/** @typedef {import('./lib/rest-rounds').Tally} Tally */
/** @typedef {import('./lib/rest-rounds').Comparison} Comparison */
/** @typedef {import('./lib/rest-rounds').Side} Side */

// ---------------------------------------------------------------- the benchmark

/** The command line (see Usage above). */
function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      concurrency: { type: 'string', default: '20,50' },
      rounds: { type: 'string' },
      workloads: { type: 'string', default: 'evaluate,submit' },
      target: { type: 'string' },
    },
  });
  /**
   * @param {string} name
   * @param {string | undefined} text
   */
  const int = (name, text) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: a positive integer, got ${text}`);
    return value;
  };
  const concurrencies = String(values.concurrency).split(',').map((c) => int('concurrency', c));
  const rounds = int('rounds', values.rounds ?? (values.quick ? '2' : '6'));
  const workloads = String(values.workloads).split(',');
  for (const w of workloads) if (w !== 'evaluate' && w !== 'submit') throw new Error(`--workloads: evaluate and/or submit, got ${w}`);
  const scale = values.quick ? 0.25 : 1;
  // Calls per window: about a second of each at the devnet's rates, and every window keeps all
  // its calls in flight for several latencies (4× the concurrency at least), so that the ramp
  // up and the drain at its ends are a small part of it.
  /** @param {number} n @param {number} c */
  const perWindow = (n, c) => Math.max(4 * c, Math.round(n * scale));
  return {
    target: targetKind(values.target),
    concurrencies,
    rounds,
    evaluate: workloads.includes('evaluate'),
    submit: workloads.includes('submit'),
    windows: { evalSerial: perWindow(100, 1), evalLoad: (/** @type {number} */ c) => perWindow(500, c), submitSerial: perWindow(40, 1), submitLoad: (/** @type {number} */ c) => perWindow(200, c) },
  };
}

/**
 * Fresh GTINs for the submit workload, shared by both sides, from `n` on (a real network keeps
 * earlier runs' products: each run starts elsewhere).
 * @param {number} n
 */
function gtinSequence(n) {
  return () => gtin14(`0950600${String(n++).padStart(6, '0')}`);
}

/**
 * The comparisons (each workload asked for, one call in flight and each concurrency), each side
 * warmed up first.
 * @param {{ contract: Contract, url: string, readCpu: CpuReader, readCounts?: CountReader, authorization: string, gtinBase: number } & Omit<ReturnType<typeof options>, 'target'> & { log: (line: string) => void }} setup
 * @returns {Promise<Measurement[]>}
 */
async function measure({ contract, url, readCpu, readCounts, authorization, concurrencies, rounds, windows, gtinBase, log, ...asked }) {
  const nextGtin = gtinSequence(gtinBase);
  const readGtin = nextGtin();
  await untilChaincodeServes(async () => void (await contract.submitTransaction('trace:registerProduct', JSON.stringify(productRequest(readGtin)))));
  const headers = { authorization, 'content-type': 'application/json' };
  /** @typedef {{ direct: (c: number) => Side, rest: (c: number) => Side }} Workload  each side's calls, `c` in flight */
  /** @type {Workload} */
  const evaluate = {
    direct: (c) => (n) => directRun(n, c, () => contract.evaluateTransaction('trace:getProduct', JSON.stringify({ gtin: readGtin }))),
    rest: (c) => (n) => restRun(url, n, c, { headers, requests: [{ method: 'GET', path: `/products/${readGtin}` }] }),
  };
  const newProduct = () => productRequest(nextGtin());
  /** @type {Workload} */
  const submit = {
    direct: (c) => (n) => directRun(n, c, () => contract.submitTransaction('trace:registerProduct', JSON.stringify(newProduct()))),
    rest: (c) => (n) => {
      /** @param {Record<string, unknown>} req */
      const setupRequest = (req) => ({ ...req, body: JSON.stringify(newProduct()) });
      return restRun(url, n, c, { headers, requests: [{ method: 'POST', path: '/products', setupRequest }] });
    },
  };
  const quiet = () => undefined;
  log('warming up (schemas compiled, connections open, chaincode streams dialled)…');
  await alternating('warm-up', { perWindow: 20, rounds: 1, readCpu }, evaluate.direct(1), evaluate.rest(1), quiet);
  await alternating('warm-up', { perWindow: 4, rounds: 1, readCpu }, submit.direct(2), submit.rest(2), quiet);
  log('measuring…');
  /** @type {Measurement[]} */
  const measured = [];
  /**
   * @param {'evaluate' | 'submit'} workload
   * @param {number} c
   * @param {number} perWindow
   */
  const run = async (workload, c, perWindow) => {
    const sides = workload === 'evaluate' ? evaluate : submit;
    measured.push({ workload, concurrency: c, result: await alternating(`${workload}, ${c} in flight`, { perWindow, rounds, readCpu, readCounts }, sides.direct(c), sides.rest(c), log) });
  };
  if (asked.evaluate) {
    await run('evaluate', 1, windows.evalSerial);
    for (const c of concurrencies) await run('evaluate', c, windows.evalLoad(c));
  }
  if (asked.submit) {
    await run('submit', 1, windows.submitSerial);
    for (const c of concurrencies) await run('submit', c, windows.submitLoad(c));
  }
  return measured;
}

/** @typedef {{ workload: 'evaluate' | 'submit', concurrency: number, result: Comparison }} Measurement */

/** What each workload is over REST. */
const ROUTES = { evaluate: 'evaluate (GET /products/:gtin)', submit: 'submit (POST /products)' };

/** Total CPU time per call (µs) of a side, all components. @param {Tally} t */
const cpuTotal = (t) => Object.values(t.cpuUs).reduce((sum, us) => sum + us, 0);

/**
 * A row of the rates and latencies table: REST/direct is the median of the rounds' ratios, with
 * their range; the rates are over all measured windows of a side; `CPU direct/REST` is the median
 * of the rounds' ratios of all components' CPU per call, which the rates follow once the cores
 * are saturated, with its range.
 * @param {Measurement} m
 * @param {string} verdict
 */
function row({ workload, concurrency, result: { direct, rest, ratio, cpuRatio, load } }, verdict) {
  return {
    workload: ROUTES[workload],
    'in flight': concurrency,
    'direct /s': direct.perSecond.toFixed(0),
    'REST /s': rest.perSecond.toFixed(0),
    'REST/direct': ratio.median.toFixed(2),
    'rounds range': `${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)}`,
    'CPU direct/REST': cpuRatio.median.toFixed(2),
    'CPU range': `${cpuRatio.min.toFixed(2)}–${cpuRatio.max.toFixed(2)}`,
    'direct p50 ms': direct.p50.toFixed(2),
    'REST p50 ms': rest.p50.toFixed(2),
    'p50 overhead ms': (rest.p50 - direct.p50).toFixed(2),
    'REST p99 ms': rest.p99.toFixed(2),
    'load 1m': load.toFixed(1),
    target: verdict,
  };
}

/**
 * CPU per call of each component, on each side: what REST costs, whatever the neighbours' load.
 * @param {Measurement} m
 */
function cpuRows({ workload, concurrency, result: { direct, rest } }) {
  /** @param {'direct' | 'REST'} side @param {Tally} t */
  const line = (side, t) => {
    /** @type {Record<string, string | number>} */
    const r = { workload: ROUTES[workload], 'in flight': concurrency, side };
    for (const [c, us] of Object.entries(t.cpuUs)) r[`${c} µs`] = us.toFixed(0);
    r['total µs'] = cpuTotal(t).toFixed(0);
    return r;
  };
  return [line('direct', direct), line('REST', rest)];
}

/**
 * The gateway thread's heap per call, on each side (`npm start`'s system only): KB allocated, KB
 * promoted (kept past a young collection), young and full collections per 1,000 calls. These do
 * not move with the machine's load: two builds compare on them from one run each. On the direct
 * side the gateway thread serves no request; what it allocates there is its event feed.
 * @param {Measurement} m
 */
function heapRows({ workload, concurrency, result: { direct, rest } }) {
  /** @param {'direct' | 'REST'} side @param {Tally} t */
  const line = (side, { perCall }) => ({
    workload: ROUTES[workload],
    'in flight': concurrency,
    side,
    'KB allocated': ((perCall['allocatedBytes'] ?? NaN) / 1024).toFixed(1),
    'KB promoted': ((perCall['promotedBytes'] ?? NaN) / 1024).toFixed(2),
    'young per 1,000': ((perCall['youngCollections'] ?? NaN) * 1000).toFixed(1),
    'full per 1,000': ((perCall['fullCollections'] ?? NaN) * 1000).toFixed(2),
  });
  return [line('direct', direct), line('REST', rest)];
}

/** Target: REST submit throughput at each concurrency ≥ this fraction of direct. */
const RATIO_TARGET = 0.95;

/**
 * Prints the tables and the verdicts on the targets.
 * @param {Measurement[]} measured
 * @param {import('./lib/target').TargetKind} target
 */
function report(measured, target) {
  /** @param {Measurement} m */
  const verdict = ({ workload, concurrency, result }) => {
    if (workload === 'evaluate' && concurrency === 1) return `p50 overhead ≤ 1 ms: ${result.rest.p50 - result.direct.p50 <= 1 ? 'met' : 'not met'}`;
    if (workload === 'submit' && concurrency > 1) return `ratio ≥ ${RATIO_TARGET}: ${result.ratio.median >= RATIO_TARGET ? 'met' : 'not met'}`;
    return '';
  };
  console.table(measured.map((m) => row(m, verdict(m))));
  for (const { workload, concurrency, result } of measured) {
    if (workload === 'submit' && concurrency > 1) {
      const { ratio, cpuRatio } = result;
      const range = (/** @type {import('./lib/rest-rounds').Spread} */ s) => `${s.min.toFixed(2)}–${s.max.toFixed(2)}`;
      console.log(`submit throughput ratio REST/direct at ${concurrency} in flight: ${ratio.median.toFixed(2)}, median of ${result.ratios.length} rounds (${range(ratio)}; target ≥ ${RATIO_TARGET}); CPU per submit direct/REST ${cpuRatio.median.toFixed(2)} (${range(cpuRatio)})`);
    }
    if (workload === 'evaluate' && concurrency === 1) console.log(`evaluate p50 overhead of REST: ${(result.rest.p50 - result.direct.p50).toFixed(2)} ms (target ≤ 1 ms)`);
  }
  // Rates and latencies move with the neighbours' load; CPU time per call hardly does.
  console.log('\nCPU time per call by component: client = this process (the direct client, or autocannon); gateway = the');
  console.log("REST gateway (HTTP, auth, validation, logs, its Fabric client, its event feed; on the devnet its thread in npm start's process);");
  if (target === 'fabric') console.log('peers, orderers = the Fabric nodes (all of them); chaincode = the chaincode server process.');
  else console.log("devnet = the devnet's worker thread (endorse, order, commit, deliver); other threads = the rest of npm start's process (V8's collector helpers, libuv's pool); chaincode = the chaincode server process.");
  console.table(measured.flatMap(cpuRows));
  if (measured.some((m) => 'allocatedBytes' in m.result.rest.perCall)) {
    console.log("\nThe gateway thread's V8 heap per call (scripts/lib/gc-counters.js; Buffers' bytes are outside it): allocated, promoted by young collections, collections per 1,000 calls.");
    console.table(measured.flatMap(heapRows));
  }
}

/**
 * The system under test on the devnet: `npm start`'s (gateway and devnet threads, chaincode server).
 * @param {{ secret: string, execArgv: string[], log: (line: string) => void, stops: (() => Promise<void>)[] }} setup
 * @returns {Promise<{ url: string, descriptor: import('@healthledger/network/devnet').DevnetDescriptor, readCpu: CpuReader, readCounts?: CountReader, peakRssMb?: () => Promise<number | undefined>, peakComposition?: () => Promise<Record<string, number>> }>}
 */
async function devnetSystem({ secret, execArgv, log, stops }) {
  const system = forkSystem({ env: { HEALTHLEDGER_JWT_SECRET: secret }, execArgv, log: (line) => line.startsWith('issued ') || log(`  devnet: ${line}`) });
  stops.push(system.stop);
  const { url, descriptorPath } = await system.ready;
  /** @type {CpuReader} */
  const readCpu = async () => {
    const { components } = await system.ask('components');
    /** @type {Cpu} */
    const cpu = { client: cpuMs() };
    for (const [name, ms] of Object.entries(components)) cpu[name] = ms ?? NaN;
    return cpu;
  };
  return {
    url,
    descriptor: readJson(descriptorPath),
    readCpu,
    readCounts: async () => ({ ...(await system.ask('heap')).counts }),
    peakRssMb: async () => (await system.ask('components')).peakRssMb,
    peakComposition: async () => compositionRow((await system.ask('memory')).composition),
  };
}

/**
 * The system under test on a real network: the manufacturer's organisation's gateway, configured
 * from its env file, in a child process; CPU of the network's peers, orderers and chaincode server.
 * @param {{ secret: string, execArgv: string[], log: (line: string) => void, stops: (() => Promise<void>)[] }} setup
 */
async function fabricSystem({ secret, execArgv, log, stops }) {
  const target = await openTarget('fabric', { label: 'bench-rest', log });
  const index = target.descriptor.orgs.findIndex((o) => o.mspId === MANUFACTURER.mspId);
  const gateway = forkGateway({ env: { ...target.gatewayEnvs[index], HEALTHLEDGER_JWT_SECRET: secret }, execArgv });
  stops.push(gateway.stop);
  const { url } = await gateway.ready;
  /** @type {CpuReader} */
  const readCpu = async () => {
    /** @type {Cpu} */
    const cpu = { client: cpuMs(), gateway: (await gateway.ask('cpu')).ms };
    for (const [name, ms] of Object.entries(await target.cpu())) cpu[name] = ms ?? NaN;
    return cpu;
  };
  return { url, descriptor: target.descriptor, readCpu };
}

async function main() {
  const { target, ...plan } = options();
  const { concurrencies, rounds, windows } = plan;
  /** @param {string} line */
  const log = (line) => console.log(line);
  log(`REST vs direct benchmark on the ${target} (${os.cpus().length} CPUs, load ${loadAverage().toFixed(1)}): concurrency 1 and ${concurrencies.join(', ')}; ${rounds} alternating rounds after a warm-up one, calls per window: submit ${windows.submitSerial} at 1, ${concurrencies.map(windows.submitLoad).join(', ')}; evaluate ${windows.evalSerial} at 1, ${concurrencies.map(windows.evalLoad).join(', ')}`);
  const secret = randomBytes(32).toString('hex');
  /** @type {(() => Promise<void>)[]} */
  const stops = [];
  /** @type {ReturnType<typeof connectAs> | undefined} */
  let client;
  try {
    const t0 = Date.now();
    const profileDir = process.env.BENCH_REST_PROFILE;
    const extraArgs = (process.env.BENCH_REST_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const execArgv = [...extraArgs, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
    const setup = { secret, execArgv, log, stops };
    /** @type {{ url: string, descriptor: import('@healthledger/network/devnet').DevnetDescriptor, readCpu: CpuReader, readCounts?: CountReader, peakRssMb?: () => Promise<number | undefined>, peakComposition?: () => Promise<Record<string, number>> }} */
    const { url, descriptor, readCpu, readCounts, peakRssMb, peakComposition } = target === 'fabric' ? await fabricSystem(setup) : await devnetSystem(setup);
    log(`${target === 'fabric' ? "the manufacturer's gateway" : "npm start's system"} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; REST gateway at ${url}`);
    const authorization = `Bearer ${await issueToken(secret, { name: MANUFACTURER.user, mspId: MANUFACTURER.mspId }, 3600)}`;
    client = connectAs(descriptor, MANUFACTURER);
    const m = await measure({ contract: client.contract, url, readCpu, readCounts, authorization, ...plan, gtinBase: target === 'fabric' ? Date.now() % 1e6 : 100_000, log });
    report(m, target);
    const rss = await peakRssMb?.();
    if (rss !== undefined) console.log(`\nnpm start's process (gateway and devnet threads): highest RSS while measuring ${rss.toFixed(0)} MB (target < 250 MB)`);
    // What that RSS was made of (sampled inside the process; columns as in bench-memory.js).
    if (peakComposition) console.log(`made of (MB): ${JSON.stringify(await peakComposition())}`);
  } finally {
    client?.close();
    for (const stop of stops.reverse()) await stop();
  }
}

if (require.main === module) {
  options(); // rejects unknown flags before anything starts
  // Exit explicitly: nothing else is left to finish.
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
