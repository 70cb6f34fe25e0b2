#!/usr/bin/env node
// REST gateway benchmark: the REST API against the direct @hyperledger/fabric-gateway
// client, on the same devnet and the same workload, as the manufacturer identity:
//   submit   = register a product with a fresh GTIN (trace:registerProduct; POST /products)
//   evaluate = read one product (trace:getProduct; GET /products/:gtin)
// Targets: REST submit throughput ≥ 0.9 × direct; REST evaluate p50 ≤ direct p50 + 1 ms. Prints
// a table; asserts only that every call succeeded.
//
// Separate processes, so that neither client shares an event loop with the network: the devnet
// (bench-trace.js's devnet child, with its chaincode server) and the REST gateway (as `npm start`
// runs it) are children of this script; this process runs the direct client and autocannon.
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
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { startDevnetProcess, forkRole, stopRequested, answerCpuRequests, cpuMs, connectAs, gtin14, productRequest, MANUFACTURER } = require('./bench-trace');

const root = path.resolve(__dirname, '..');

// ---------------------------------------------------------------- the gateway process

/**
 * Child role `gateway`: the REST gateway exactly as `npm start` runs it (`startGateway` with the
 * devnet flag: every route, the event feed, metrics, logs), over the devnet's descriptor. Only
 * the port (free) and the rate limit (600/min by default, which the benchmark would hit) differ.
 */
async function serveGateway() {
  const { startGateway } = require(path.join(root, 'gateway', 'dist', 'server'));
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-bench-rest-gw-'));
  try {
    const env = { ...process.env, HEALTHLEDGER_DATA_DIR: dataDir, PORT: '0', HEALTHLEDGER_RATE_LIMIT: '1000000' };
    const gateway = await startGateway({ env, devnet: true });
    answerCpuRequests();
    process.send({ type: 'ready', url: gateway.url });
    await stopRequested();
    await gateway.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- measurement

function percentile(sorted, p) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Merged runs of one side: latency percentiles (ms), calls per second over the runs' time, and
 * the CPU time per call (µs) of this process and of the gateway process.
 */
function tally(runs) {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const sum = (read) => runs.reduce((total, r) => total + read(r), 0);
  const count = sum((r) => r.count);
  const perCallUs = (ms) => (ms / count) * 1000;
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    perSecond: count / sum((r) => r.seconds),
    mainUs: perCallUs(sum((r) => r.cpu.main)),
    gatewayUs: perCallUs(sum((r) => r.cpu.gateway)),
  };
}

/** Runs `run()` and adds the CPU time (ms) that this process and the gateway process spent meanwhile. */
async function withCpu(gatewayCpuMs, run) {
  const main0 = cpuMs();
  const gateway0 = await gatewayCpuMs();
  const result = await run();
  const gateway = (await gatewayCpuMs()) - gateway0;
  return { ...result, cpu: { main: cpuMs() - main0, gateway } };
}

/** `total` calls of `call(i)` by `concurrency` workers (the direct client here; bench-records.js: HTTP). */
async function directRun(total, concurrency, call) {
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

/**
 * `total` HTTP requests over `concurrency` keep-alive connections with autocannon (`request`:
 * its `headers` and one-element `requests`); every one must succeed.
 */
async function restRun(url, total, concurrency, request) {
  const autocannon = require('autocannon'); // here, not at the top: the gateway child has no use for it
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
 */
async function interleaved(label, { total, rounds, gatewayCpuMs }, direct, rest, log) {
  const n = Math.max(1, Math.floor(total / (2 * rounds)));
  const runs = { direct: [], rest: [] };
  for (let round = 0; round < rounds; round++) {
    for (const side of ['direct', 'rest', 'rest', 'direct']) runs[side].push(await withCpu(gatewayCpuMs, () => (side === 'direct' ? direct(n) : rest(n))));
    log(`    ${label}: round ${round + 1}/${rounds} done`);
  }
  // The machine's 1-minute load average at the end: figures taken under load read differently.
  const result = { direct: tally(runs.direct), rest: tally(runs.rest), load: os.loadavg()[0] };
  log(`  ${label}: direct ${result.direct.perSecond.toFixed(0)}/s p50 ${result.direct.p50.toFixed(2)} ms; REST ${result.rest.perSecond.toFixed(0)}/s p50 ${result.rest.p50.toFixed(2)} ms`);
  return result;
}

// ---------------------------------------------------------------- the benchmark

function options() {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      quick: { type: 'boolean', default: false },
      concurrency: { type: 'string', default: '20' },
      rounds: { type: 'string', default: '2' },
    },
  });
  const int = (name) => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: a positive integer, got ${values[name]}`);
    return value;
  };
  const concurrency = int('concurrency');
  const rounds = int('rounds');
  const scale = values.quick ? 0.1 : 1;
  // Every run keeps all `concurrency` calls busy at least once.
  const amount = (n) => Math.max(2 * rounds * concurrency, Math.round(n * scale));
  return { role: values.role, concurrency, rounds, amounts: { evalSerial: amount(400), evalLoad: amount(4000), submitSerial: amount(60), submitLoad: amount(600) } };
}

/** Fresh GTINs for the submit workload, shared by both sides. */
function gtinSequence() {
  let n = 100_000;
  return () => gtin14(`0950600${String(n++).padStart(6, '0')}`);
}

async function measure({ contract, url, gatewayCpuMs, authorization, concurrency, rounds, amounts, log }) {
  const nextGtin = gtinSequence();
  const readGtin = nextGtin();
  await contract.submitTransaction('trace:registerProduct', JSON.stringify(productRequest(readGtin)));
  const headers = { authorization, 'content-type': 'application/json' };
  const evaluate = {
    direct: (c) => (n) => directRun(n, c, () => contract.evaluateTransaction('trace:getProduct', JSON.stringify({ gtin: readGtin }))),
    rest: (c) => (n) => restRun(url, n, c, { headers, requests: [{ method: 'GET', path: `/products/${readGtin}` }] }),
  };
  const newProduct = () => productRequest(nextGtin());
  const submit = {
    direct: (c) => (n) => directRun(n, c, () => contract.submitTransaction('trace:registerProduct', JSON.stringify(newProduct()))),
    rest: (c) => (n) => {
      const setupRequest = (req) => ({ ...req, body: JSON.stringify(newProduct()) });
      return restRun(url, n, c, { headers, requests: [{ method: 'POST', path: '/products', setupRequest }] });
    },
  };
  const quiet = () => undefined;
  log('warming up (schemas compiled, connections open, chaincode streams dialled)…');
  await interleaved('warm-up', { total: 40, rounds: 1, gatewayCpuMs }, evaluate.direct(1), evaluate.rest(1), quiet);
  await interleaved('warm-up', { total: 8, rounds: 1, gatewayCpuMs }, submit.direct(2), submit.rest(2), quiet);
  log('measuring…');
  const run = (label, workload, c, total) => interleaved(`${label}, ${c} in flight`, { total, rounds, gatewayCpuMs }, workload.direct(c), workload.rest(c), log);
  return {
    evalSerial: await run('evaluate', evaluate, 1, amounts.evalSerial),
    evalLoad: await run('evaluate', evaluate, concurrency, amounts.evalLoad),
    submitSerial: await run('submit', submit, 1, amounts.submitSerial),
    submitLoad: await run('submit', submit, concurrency, amounts.submitLoad),
  };
}

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

/** CPU per call: what REST adds on top of the Fabric client, whatever the neighbours' load. */
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

function report(m, concurrency) {
  const overhead = m.evalSerial.rest.p50 - m.evalSerial.direct.p50;
  const ratio = m.submitLoad.rest.perSecond / m.submitLoad.direct.perSecond;
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
  const log = (line) => console.log(line);
  log(`REST vs direct benchmark (${os.cpus().length} CPUs): concurrency 1 and ${concurrency}, ${rounds} ABBA rounds, calls per side ${JSON.stringify(amounts)}`);
  const secret = randomBytes(32).toString('hex');
  const stops = [];
  let client;
  try {
    const t0 = Date.now();
    const devnet = await startDevnetProcess({ label: 'bench-rest', log: (line) => line.startsWith('issued ') || log(`  devnet: ${line}`) });
    stops.push(devnet.stop);
    log(`devnet ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const env = { HEALTHLEDGER_DEVNET: devnet.descriptorPath, HEALTHLEDGER_JWT_SECRET: secret };
    const profileDir = process.env.BENCH_REST_PROFILE;
    const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const gateway = forkRole(__filename, 'gateway', { env, execArgv });
    stops.push(gateway.stop);
    const { url } = await gateway.ready;
    const gatewayCpuMs = () => gateway.ask('cpu').then((m) => m.ms);
    log(`REST gateway listening at ${url}`);
    const { issueToken } = require(path.join(root, 'gateway', 'dist', 'auth', 'tokens'));
    const authorization = `Bearer ${await issueToken(secret, { name: MANUFACTURER.user, mspId: MANUFACTURER.mspId }, 3600)}`;
    client = connectAs(devnet.descriptor, MANUFACTURER);
    const m = await measure({ contract: client.contract, url, gatewayCpuMs, authorization, concurrency, rounds, amounts, log });
    report(m, concurrency);
  } finally {
    client?.close();
    for (const stop of stops.reverse()) await stop();
  }
}

module.exports = { directRun, percentile };

if (require.main === module) {
  const { role } = options();
  const entry = role === 'gateway' ? serveGateway : main;
  // Exit explicitly: a child keeps its IPC channel open, and nothing else is left to finish.
  entry().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
