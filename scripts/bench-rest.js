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
// Each measurement alternates the sides in ABBA cycles (direct, REST, REST, direct), so that a
// ledger growing during the run, or a neighbour's load, does not favour either side. Latencies
// are taken from autocannon's per-response timings (its histogram rounds to whole milliseconds).
//
// Usage: node scripts/bench-rest.js [--target devnet|fabric] [--quick] [--concurrency N[,N…]] [--rounds N]
//   --concurrency  calls in flight for the throughput rows (default 20,50)
//   --rounds       ABBA cycles per measurement (default 2)
//   --quick        a tenth of the calls (smoke run)
//   --target       devnet (default: npm start's system, fresh) or fabric (the real network
//                  scripts/network.sh runs in HEALTHLEDGER_FABRIC_DIR, through the manufacturer's
//                  organisation's gateway configured from its env file; scripts/lib/target.js)
// BENCH_REST_PROFILE=<dir> writes a CPU profile of the gateway process there; BENCH_REST_NODE_ARGS
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
const { directRun, percentile } = require('./lib/measure');
const { MANUFACTURER, gtin14, productRequest } = require('./lib/products');
const { cpuMs } = require('./lib/roles');
const { openTarget, targetKind } = require('./lib/target');

/** @typedef {import('@hyperledger/fabric-gateway').Contract} Contract */
/** @typedef {import('./lib/measure').Run} Run */
/** @typedef {Record<string, number>} Cpu  CPU time (ms) by component: `client` (this process), `gateway`, `devnet`, `chaincode` */
/** @typedef {Run & { cpu: Cpu }} RunWithCpu  with the CPU time each component spent meanwhile */
/** @typedef {() => Promise<Cpu>} CpuReader  CPU time used so far by each component */
/** @typedef {ReturnType<typeof tally>} Tally */
/** @typedef {{ direct: Tally, rest: Tally, load: number }} Comparison  one measurement of both sides */
/** @typedef {(n: number) => Promise<Run>} Side  `n` calls of one side's workload */
/** @typedef {Pick<import('autocannon').Options, 'headers' | 'requests'>} RestRequest */

// ---------------------------------------------------------------- measurement

/**
 * Merged runs of one side: latency percentiles (ms), calls per second over the runs' time, and
 * the CPU time per call (µs) of each component.
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
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    perSecond: count / sum((r) => r.seconds),
    cpuUs,
  };
}

/**
 * Runs `run()` and adds the CPU time (ms) each component spent meanwhile.
 * @param {CpuReader} readCpu
 * @param {() => Promise<Run>} run
 * @returns {Promise<RunWithCpu>}
 */
async function withCpu(readCpu, run) {
  const before = await readCpu();
  const result = await run();
  const after = await readCpu();
  /** @type {Cpu} */
  const cpu = {};
  for (const c of Object.keys(after)) cpu[c] = (after[c] ?? NaN) - (before[c] ?? NaN);
  return { ...result, cpu };
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

/**
 * Runs `direct` and `rest` in `rounds` ABBA cycles, `total` calls per side in all, each run
 * with the CPU time of each component (`readCpu()`).
 * @param {string} label
 * @param {{ total: number, rounds: number, readCpu: CpuReader }} plan
 * @param {Side} direct
 * @param {Side} rest
 * @param {(line: string) => void} log
 * @returns {Promise<Comparison>}
 */
async function interleaved(label, { total, rounds, readCpu }, direct, rest, log) {
  const n = Math.max(1, Math.floor(total / (2 * rounds)));
  /** @type {{ direct: RunWithCpu[], rest: RunWithCpu[] }} */
  const runs = { direct: [], rest: [] };
  for (let round = 0; round < rounds; round++) {
    for (const side of /** @type {const} */ (['direct', 'rest', 'rest', 'direct'])) runs[side].push(await withCpu(readCpu, () => (side === 'direct' ? direct(n) : rest(n))));
    log(`    ${label}: round ${round + 1}/${rounds} done`);
  }
  // The machine's 1-minute load average at the end: figures taken under load read differently.
  const result = { direct: tally(runs.direct), rest: tally(runs.rest), load: loadAverage() };
  log(`  ${label}: direct ${result.direct.perSecond.toFixed(0)}/s p50 ${result.direct.p50.toFixed(2)} ms; REST ${result.rest.perSecond.toFixed(0)}/s p50 ${result.rest.p50.toFixed(2)} ms`);
  return result;
}

// ---------------------------------------------------------------- the benchmark

/** The command line (see Usage above). */
function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      concurrency: { type: 'string', default: '20,50' },
      rounds: { type: 'string', default: '2' },
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
  const rounds = int('rounds', values.rounds);
  const concurrency = Math.max(...concurrencies);
  const scale = values.quick ? 0.1 : 1;
  // Every run keeps all `concurrency` calls busy at least once.
  /** @param {number} n */
  const amount = (n) => Math.max(2 * rounds * concurrency, Math.round(n * scale));
  return { target: targetKind(values.target), concurrencies, rounds, amounts: { evalSerial: amount(400), evalLoad: amount(4000), submitSerial: amount(60), submitLoad: amount(600) } };
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
 * The measurements (evaluate and submit, one call in flight and each concurrency), each side
 * warmed up first.
 * @param {{ contract: Contract, url: string, readCpu: CpuReader, authorization: string, gtinBase: number } & Omit<ReturnType<typeof options>, 'target'> & { log: (line: string) => void }} setup
 */
async function measure({ contract, url, readCpu, authorization, concurrencies, rounds, amounts, gtinBase, log }) {
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
  await interleaved('warm-up', { total: 40, rounds: 1, readCpu }, evaluate.direct(1), evaluate.rest(1), quiet);
  await interleaved('warm-up', { total: 8, rounds: 1, readCpu }, submit.direct(2), submit.rest(2), quiet);
  log('measuring…');
  /**
   * @param {string} label
   * @param {Workload} workload
   * @param {number} c
   * @param {number} total
   */
  const run = (label, workload, c, total) => interleaved(`${label}, ${c} in flight`, { total, rounds, readCpu }, workload.direct(c), workload.rest(c), log);
  const evalSerial = await run('evaluate', evaluate, 1, amounts.evalSerial);
  /** @type {[number, Comparison][]} */
  const evalLoad = [];
  for (const c of concurrencies) evalLoad.push([c, await run('evaluate', evaluate, c, amounts.evalLoad)]);
  const submitSerial = await run('submit', submit, 1, amounts.submitSerial);
  /** @type {[number, Comparison][]} */
  const submitLoad = [];
  for (const c of concurrencies) submitLoad.push([c, await run('submit', submit, c, Math.max(amounts.submitLoad, 10 * c))]);
  return { evalSerial, evalLoad, submitSerial, submitLoad };
}

/** @typedef {Awaited<ReturnType<typeof measure>>} Measurements */
/** @typedef {[workload: string, concurrency: number, result: Comparison, verdict: string]} ReportRow */

/**
 * A row of the rates and latencies table.
 * @param {string} workload
 * @param {number} concurrency
 * @param {Comparison} comparison
 * @param {string} verdict
 */
function row(workload, concurrency, { direct, rest, load }, verdict) {
  return {
    workload,
    'in flight': concurrency,
    'direct /s': direct.perSecond.toFixed(0),
    'REST /s': rest.perSecond.toFixed(0),
    'REST/direct': (rest.perSecond / direct.perSecond).toFixed(2),
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
 * @param {string} workload
 * @param {number} concurrency
 * @param {Comparison} comparison
 */
function cpuRows(workload, concurrency, { direct, rest }) {
  /** @param {'direct' | 'REST'} side @param {Tally} t */
  const line = (side, t) => {
    /** @type {Record<string, string | number>} */
    const r = { workload, 'in flight': concurrency, side };
    for (const [c, us] of Object.entries(t.cpuUs)) r[`${c} µs`] = us.toFixed(0);
    r['total µs'] = Object.values(t.cpuUs).reduce((sum, us) => sum + us, 0).toFixed(0);
    return r;
  };
  return [line('direct', direct), line('REST', rest)];
}

/** Target: REST submit throughput at each concurrency ≥ this fraction of direct. */
const RATIO_TARGET = 0.95;

/**
 * Prints the tables and the verdicts on the targets.
 * @param {Measurements} m
 * @param {import('./lib/target').TargetKind} target
 */
function report(m, target) {
  const overhead = m.evalSerial.rest.p50 - m.evalSerial.direct.p50;
  /** @param {Comparison} c */
  const ratioOf = (c) => c.rest.perSecond / c.direct.perSecond;
  /** @type {ReportRow[]} */
  const rows = [
    ['evaluate (GET /products/:gtin)', 1, m.evalSerial, `p50 overhead ≤ 1 ms: ${overhead <= 1 ? 'met' : 'not met'}`],
    ...m.evalLoad.map(([c, result]) => /** @type {ReportRow} */ (['evaluate (GET /products/:gtin)', c, result, ''])),
    ['submit (POST /products)', 1, m.submitSerial, ''],
    ...m.submitLoad.map(([c, result]) => /** @type {ReportRow} */ (['submit (POST /products)', c, result, `ratio ≥ ${RATIO_TARGET}: ${ratioOf(result) >= RATIO_TARGET ? 'met' : 'not met'}`])),
  ];
  console.table(rows.map(([workload, c, result, verdict]) => row(workload, c, result, verdict)));
  for (const [c, result] of m.submitLoad) console.log(`submit throughput ratio REST/direct at ${c} in flight: ${ratioOf(result).toFixed(2)} (target ≥ ${RATIO_TARGET})`);
  console.log(`evaluate p50 overhead of REST: ${overhead.toFixed(2)} ms (target ≤ 1 ms)`);
  // Rates and latencies move with the neighbours' load; CPU time per call hardly does.
  console.log('\nCPU time per call by component: client = this process (the direct client, or autocannon); gateway = the');
  console.log("REST gateway (HTTP, auth, validation, logs, its Fabric client, its event feed; on the devnet its thread in npm start's process);");
  if (target === 'fabric') console.log('peers, orderers = the Fabric nodes (all of them); chaincode = the chaincode server process.');
  else console.log("devnet = the devnet's worker thread (endorse, order, commit, deliver); other threads = the rest of npm start's process (V8's collector helpers, libuv's pool); chaincode = the chaincode server process.");
  console.table(rows.flatMap(([workload, c, result]) => cpuRows(workload, c, result)));
}

/**
 * The system under test on the devnet: `npm start`'s (gateway and devnet threads, chaincode server).
 * @param {{ secret: string, execArgv: string[], log: (line: string) => void, stops: (() => Promise<void>)[] }} setup
 * @returns {Promise<{ url: string, descriptor: import('@healthledger/network/devnet').DevnetDescriptor, readCpu: CpuReader, peakRssMb?: () => Promise<number | undefined>, peakComposition?: () => Promise<Record<string, number>> }>}
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
  const { target, concurrencies, rounds, amounts } = options();
  /** @param {string} line */
  const log = (line) => console.log(line);
  log(`REST vs direct benchmark on the ${target} (${os.cpus().length} CPUs, load ${loadAverage().toFixed(1)}): concurrency 1 and ${concurrencies.join(', ')}, ${rounds} ABBA rounds, calls per side ${JSON.stringify(amounts)}`);
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
    /** @type {{ url: string, descriptor: import('@healthledger/network/devnet').DevnetDescriptor, readCpu: CpuReader, peakRssMb?: () => Promise<number | undefined>, peakComposition?: () => Promise<Record<string, number>> }} */
    const { url, descriptor, readCpu, peakRssMb, peakComposition } = target === 'fabric' ? await fabricSystem(setup) : await devnetSystem(setup);
    log(`${target === 'fabric' ? "the manufacturer's gateway" : "npm start's system"} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; REST gateway at ${url}`);
    const authorization = `Bearer ${await issueToken(secret, { name: MANUFACTURER.user, mspId: MANUFACTURER.mspId }, 3600)}`;
    client = connectAs(descriptor, MANUFACTURER);
    const m = await measure({ contract: client.contract, url, readCpu, authorization, concurrencies, rounds, amounts, gtinBase: target === 'fabric' ? Date.now() % 1e6 : 100_000, log });
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
