#!/usr/bin/env node
// REST gateway benchmark: the REST API against the direct @hyperledger/fabric-gateway
// client, on the same devnet and the same workload, as the manufacturer identity:
//   submit   = register a product with a fresh GTIN (trace:registerProduct; POST /products)
//   evaluate = read one product (trace:getProduct; GET /products/:gtin)
// Targets: REST submit throughput ≥ 0.9 × direct; REST evaluate p50 ≤ direct p50 + 1 ms. Prints
// a table; asserts only that every call succeeded.
//
// Separate processes, so that neither client shares an event loop with the network: the devnet
// (scripts/lib/devnet-process.js, with its chaincode server) and the REST gateway
// (scripts/lib/gateway-process.js, as `npm start` runs it) are children of this script; this
// process runs the direct client and autocannon.
// Each measurement alternates the sides in ABBA cycles (direct, REST, REST, direct), so that a
// ledger growing during the run, or a neighbour's load, does not favour either side. Latencies
// are taken from autocannon's per-response timings (its histogram rounds to whole milliseconds).
//
// Usage: node scripts/bench-rest.js [--quick] [--concurrency N] [--rounds N]
//   --concurrency  calls in flight for the throughput rows (default 20)
//   --rounds       ABBA cycles per measurement (default 2)
//   --quick        a tenth of the calls (smoke run)
// BENCH_REST_PROFILE=<dir> writes a CPU profile of the gateway process there.
'use strict';

const { randomBytes } = require('node:crypto');
const os = require('node:os');
const { parseArgs } = require('node:util');

const { issueToken } = require('@healthledger/gateway/auth/tokens');
const { connectAs } = require('./lib/client');
const { startDevnetProcess } = require('./lib/devnet-process');
const { forkGateway } = require('./lib/gateway-process');
const { loadAverage } = require('./lib/machine');
const { directRun, percentile } = require('./lib/measure');
const { MANUFACTURER, gtin14, productRequest } = require('./lib/products');
const { cpuMs } = require('./lib/roles');

/** @typedef {import('@hyperledger/fabric-gateway').Contract} Contract */
/** @typedef {import('./lib/measure').Run} Run */
/** @typedef {Run & { cpu: { main: number, gateway: number } }} RunWithCpu  with the CPU time (ms) of this process and of the gateway meanwhile */
/** @typedef {ReturnType<typeof tally>} Tally */
/** @typedef {{ direct: Tally, rest: Tally, load: number }} Comparison  one measurement of both sides */
/** @typedef {(n: number) => Promise<Run>} Side  `n` calls of one side's workload */
/** @typedef {Pick<import('autocannon').Options, 'headers' | 'requests'>} RestRequest */

// ---------------------------------------------------------------- measurement

/**
 * Merged runs of one side: latency percentiles (ms), calls per second over the runs' time, and
 * the CPU time per call (µs) of this process and of the gateway process.
 * @param {RunWithCpu[]} runs
 */
function tally(runs) {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  /** @param {(run: RunWithCpu) => number} read */
  const sum = (read) => runs.reduce((total, r) => total + read(r), 0);
  const count = sum((r) => r.count);
  /** @param {number} ms */
  const perCallUs = (ms) => (ms / count) * 1000;
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    perSecond: count / sum((r) => r.seconds),
    mainUs: perCallUs(sum((r) => r.cpu.main)),
    gatewayUs: perCallUs(sum((r) => r.cpu.gateway)),
  };
}

/**
 * Runs `run()` and adds the CPU time (ms) that this process and the gateway process spent meanwhile.
 * @param {() => Promise<number>} gatewayCpuMs
 * @param {() => Promise<Run>} run
 * @returns {Promise<RunWithCpu>}
 */
async function withCpu(gatewayCpuMs, run) {
  const main0 = cpuMs();
  const gateway0 = await gatewayCpuMs();
  const result = await run();
  const gateway = (await gatewayCpuMs()) - gateway0;
  return { ...result, cpu: { main: cpuMs() - main0, gateway } };
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
 * with its CPU time (`gatewayCpuMs()` reads the gateway's).
 * @param {string} label
 * @param {{ total: number, rounds: number, gatewayCpuMs: () => Promise<number> }} plan
 * @param {Side} direct
 * @param {Side} rest
 * @param {(line: string) => void} log
 * @returns {Promise<Comparison>}
 */
async function interleaved(label, { total, rounds, gatewayCpuMs }, direct, rest, log) {
  const n = Math.max(1, Math.floor(total / (2 * rounds)));
  /** @type {{ direct: RunWithCpu[], rest: RunWithCpu[] }} */
  const runs = { direct: [], rest: [] };
  for (let round = 0; round < rounds; round++) {
    for (const side of /** @type {const} */ (['direct', 'rest', 'rest', 'direct'])) runs[side].push(await withCpu(gatewayCpuMs, () => (side === 'direct' ? direct(n) : rest(n))));
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
      concurrency: { type: 'string', default: '20' },
      rounds: { type: 'string', default: '2' },
    },
  });
  /** @param {'concurrency' | 'rounds'} name */
  const int = (name) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: a positive integer, got ${values[name]}`);
    return value;
  };
  const concurrency = int('concurrency');
  const rounds = int('rounds');
  const scale = values.quick ? 0.1 : 1;
  // Every run keeps all `concurrency` calls busy at least once.
  /** @param {number} n */
  const amount = (n) => Math.max(2 * rounds * concurrency, Math.round(n * scale));
  return { concurrency, rounds, amounts: { evalSerial: amount(400), evalLoad: amount(4000), submitSerial: amount(60), submitLoad: amount(600) } };
}

/** Fresh GTINs for the submit workload, shared by both sides. */
function gtinSequence() {
  let n = 100_000;
  return () => gtin14(`0950600${String(n++).padStart(6, '0')}`);
}

/**
 * The four measurements, each side warmed up first.
 * @param {{ contract: Contract, url: string, gatewayCpuMs: () => Promise<number>, authorization: string } & ReturnType<typeof options> & { log: (line: string) => void }} setup
 */
async function measure({ contract, url, gatewayCpuMs, authorization, concurrency, rounds, amounts, log }) {
  const nextGtin = gtinSequence();
  const readGtin = nextGtin();
  await contract.submitTransaction('trace:registerProduct', JSON.stringify(productRequest(readGtin)));
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
  await interleaved('warm-up', { total: 40, rounds: 1, gatewayCpuMs }, evaluate.direct(1), evaluate.rest(1), quiet);
  await interleaved('warm-up', { total: 8, rounds: 1, gatewayCpuMs }, submit.direct(2), submit.rest(2), quiet);
  log('measuring…');
  /**
   * @param {string} label
   * @param {Workload} workload
   * @param {number} c
   * @param {number} total
   */
  const run = (label, workload, c, total) => interleaved(`${label}, ${c} in flight`, { total, rounds, gatewayCpuMs }, workload.direct(c), workload.rest(c), log);
  return {
    evalSerial: await run('evaluate', evaluate, 1, amounts.evalSerial),
    evalLoad: await run('evaluate', evaluate, concurrency, amounts.evalLoad),
    submitSerial: await run('submit', submit, 1, amounts.submitSerial),
    submitLoad: await run('submit', submit, concurrency, amounts.submitLoad),
  };
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
 * CPU per call: what REST adds on top of the Fabric client, whatever the neighbours' load.
 * @param {string} workload
 * @param {number} concurrency
 * @param {Comparison} comparison
 */
function cpuRow(workload, concurrency, { direct, rest }) {
  const feedUs = direct.gatewayUs;
  return {
    workload,
    'in flight': concurrency,
    'direct: client µs': direct.mainUs.toFixed(0),
    'gateway meanwhile µs': feedUs.toFixed(0),
    'REST: gateway µs': rest.gatewayUs.toFixed(0),
    'REST extra µs': (rest.gatewayUs - direct.mainUs - feedUs).toFixed(0),
  };
}

/**
 * Prints the tables and the verdicts on the targets.
 * @param {Measurements} m
 * @param {number} concurrency
 */
function report(m, concurrency) {
  const overhead = m.evalSerial.rest.p50 - m.evalSerial.direct.p50;
  const ratio = m.submitLoad.rest.perSecond / m.submitLoad.direct.perSecond;
  /** @type {ReportRow[]} */
  const rows = [
    ['evaluate (GET /products/:gtin)', 1, m.evalSerial, `p50 overhead ≤ 1 ms: ${overhead <= 1 ? 'met' : 'not met'}`],
    ['evaluate (GET /products/:gtin)', concurrency, m.evalLoad, ''],
    ['submit (POST /products)', 1, m.submitSerial, ''],
    ['submit (POST /products)', concurrency, m.submitLoad, `ratio ≥ 0.9: ${ratio >= 0.9 ? 'met' : 'not met'}`],
  ];
  console.table(rows.map(([workload, c, result, verdict]) => row(workload, c, result, verdict)));
  console.log(`submit throughput ratio REST/direct at ${concurrency} in flight: ${ratio.toFixed(2)} (target ≥ 0.9)`);
  console.log(`evaluate p50 overhead of REST: ${overhead.toFixed(2)} ms (target ≤ 1 ms)`);
  // Rates and latencies move with the neighbours' load; CPU time per call hardly does.
  console.log('\nCPU time per call: the direct client (this process); the gateway process meanwhile (its event feed);');
  console.log('the gateway process serving REST (HTTP, auth, validation, logs, its Fabric client, its event feed); REST extra = the difference.');
  console.table(rows.map(([workload, c, result]) => cpuRow(workload, c, result)));
}

async function main() {
  const { concurrency, rounds, amounts } = options();
  /** @param {string} line */
  const log = (line) => console.log(line);
  log(`REST vs direct benchmark (${os.cpus().length} CPUs): concurrency 1 and ${concurrency}, ${rounds} ABBA rounds, calls per side ${JSON.stringify(amounts)}`);
  const secret = randomBytes(32).toString('hex');
  /** @type {(() => Promise<void>)[]} */
  const stops = [];
  /** @type {ReturnType<typeof connectAs> | undefined} */
  let client;
  try {
    const t0 = Date.now();
    const devnet = await startDevnetProcess({ label: 'bench-rest', log: (line) => line.startsWith('issued ') || log(`  devnet: ${line}`) });
    stops.push(devnet.stop);
    log(`devnet ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const env = { HEALTHLEDGER_DEVNET: devnet.descriptorPath, HEALTHLEDGER_JWT_SECRET: secret };
    const profileDir = process.env.BENCH_REST_PROFILE;
    const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const gateway = forkGateway({ env, execArgv });
    stops.push(gateway.stop);
    const { url } = await gateway.ready;
    const gatewayCpuMs = () => gateway.ask('cpu').then((m) => m.ms);
    log(`REST gateway listening at ${url}`);
    const authorization = `Bearer ${await issueToken(secret, { name: MANUFACTURER.user, mspId: MANUFACTURER.mspId }, 3600)}`;
    client = connectAs(devnet.descriptor, MANUFACTURER);
    const m = await measure({ contract: client.contract, url, gatewayCpuMs, authorization, concurrency, rounds, amounts, log });
    report(m, concurrency);
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
