#!/usr/bin/env node
// REST gateway benchmark (issue 6): the REST API against the direct @hyperledger/fabric-gateway
// client, on the same devnet and the same workload, as the manufacturer identity:
//   submit   = register a product with a fresh GTIN (trace:registerProduct; POST /products)
//   evaluate = read one product (trace:getProduct; GET /products/:gtin)
// Targets: REST submit throughput ≥ 0.9 × direct; REST evaluate p50 ≤ direct p50 + 1 ms. Prints
// a table; asserts only that every call succeeded.
//
// Three processes, so neither client shares an event loop with the network: the devnet (with its
// chaincode server) and the REST gateway are children of this script; this process runs the
// direct client and autocannon. Each measurement runs in ABBA order (direct, REST, REST, direct)
// so that a ledger growing during the run does not favour either side. Latencies are taken from
// autocannon's per-response timings (its histogram rounds to whole milliseconds).
//
// Usage: node scripts/bench-rest.js [--quick] [--concurrency N]
'use strict';

const { fork } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');

const autocannon = require('autocannon');
const { startBenchDevnet, connectAs, gtin14, productRequest, MANUFACTURER } = require('./bench-trace');

const root = path.resolve(__dirname, '..');
const gatewayDist = (...parts) => path.join(root, 'gateway', 'dist', ...parts);

// ---------------------------------------------------------------- child processes

/** Child role: the devnet of the project's consortium with our chaincode, until told to stop. */
async function serveDevnet() {
  const bench = await startBenchDevnet({ label: 'bench-rest', log: (line) => process.send({ type: 'log', line }) });
  process.send({ type: 'ready', descriptorPath: bench.devnet.descriptorPath });
  await stopRequested();
  await bench.close();
}

/**
 * Child role: the REST gateway as deployed — the gateway's own configuration defaults, app
 * factory, routes and Fabric connection — over the devnet's descriptor. Only the port and the
 * rate limit (600/min by default, which the benchmark would hit) are set here.
 */
async function serveGateway() {
  const { loadConfig } = require(gatewayDist('config'));
  const { buildApp } = require(gatewayDist('app'));
  const { tokenVerifier } = require(gatewayDist('auth', 'tokens'));
  const { loadDescriptor } = require(gatewayDist('fabric', 'descriptor'));
  const { FabricConnection } = require(gatewayDist('fabric', 'connection'));
  const { GatewayMetrics } = require(gatewayDist('ops', 'metrics'));
  const { CONTRACT_ROUTES } = require(gatewayDist('routes'));
  const config = loadConfig({ ...process.env, PORT: '0', HEALTHLEDGER_RATE_LIMIT: '1000000' });
  const topology = loadDescriptor(config.ledger.descriptorPath);
  const metrics = new GatewayMetrics();
  const ledger = new FabricConnection(topology, { deadlines: config.deadlines, maxAttempts: config.maxAttempts, observe: metrics.observeCall });
  const app = await buildApp({ config, ledger, wallet: topology.wallet, tokens: tokenVerifier(config.jwt), metrics, routes: CONTRACT_ROUTES });
  const url = await app.listen({ port: config.port, host: config.host });
  process.send({ type: 'ready', url });
  await stopRequested();
  await app.close();
  ledger.close();
}

/** Resolves when the parent says stop or goes away (then nothing is left running). */
function stopRequested() {
  return new Promise((resolve) => {
    process.on('message', (m) => m?.type === 'stop' && resolve());
    process.on('disconnect', resolve);
  });
}

/** Forks this script in a child role; `ready` resolves with the child's ready message. */
function forkRole(role, { env = {}, log = () => undefined } = {}) {
  const child = fork(__filename, ['--role', role], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { ...process.env, ...env } });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.on('message', (m) => m?.type === 'log' && log(`  ${role}: ${m.line}`));
  const ready = new Promise((resolve, reject) => {
    child.on('message', (m) => m?.type === 'ready' && resolve(m));
    exited.then((code) => reject(new Error(`${role} process exited (${code}) before it was ready`)));
  });
  const stop = async () => {
    if (child.exitCode === null && child.connected) child.send({ type: 'stop' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  return { ready, stop };
}

// ---------------------------------------------------------------- measurement

function percentile(sorted, p) {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Merged samples of several runs of one side: latencies (ms), completed calls, busy seconds. */
function tally(runs) {
  const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const count = runs.reduce((n, r) => n + r.count, 0);
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), perSecond: count / seconds, count };
}

/** `total` calls of `call(i)` by `concurrency` workers, through the direct client. */
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
  return { latencies, count: total, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/**
 * `total` HTTP requests over `concurrency` keep-alive connections with autocannon (`request`:
 * its `headers` and one-element `requests`); every one must succeed.
 */
async function restRun(url, total, concurrency, request) {
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

/** Runs `direct` and `rest` in ABBA order, `total / 2` calls per run. */
async function abba(label, total, direct, rest, log) {
  const half = Math.max(1, Math.floor(total / 2));
  const d1 = await direct(half);
  const r1 = await rest(half);
  const r2 = await rest(half);
  const d2 = await direct(half);
  const result = { direct: tally([d1, d2]), rest: tally([r1, r2]) };
  log(`  ${label}: direct ${result.direct.perSecond.toFixed(0)}/s p50 ${result.direct.p50.toFixed(2)} ms; REST ${result.rest.perSecond.toFixed(0)}/s p50 ${result.rest.p50.toFixed(2)} ms`);
  return result;
}

// ---------------------------------------------------------------- the benchmark

function options() {
  const { values } = parseArgs({ options: { role: { type: 'string' }, quick: { type: 'boolean', default: false }, concurrency: { type: 'string', default: '20' } } });
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`--concurrency: a positive integer, got ${values.concurrency}`);
  const scale = values.quick ? 0.1 : 1;
  const amount = (n) => Math.max(2 * concurrency, Math.round(n * scale));
  return { role: values.role, concurrency, amounts: { evalSerial: amount(400), evalLoad: amount(4000), submitSerial: amount(60), submitLoad: amount(600) } };
}

/** Fresh GTINs for the submit workload, shared by both sides. */
function gtinSequence() {
  let n = 100_000;
  return () => gtin14(`0950600${String(n++).padStart(6, '0')}`);
}

async function measure({ contract, url, authorization, concurrency, amounts, log }) {
  const nextGtin = gtinSequence();
  const readGtin = nextGtin();
  await contract.submitTransaction('trace:registerProduct', JSON.stringify(productRequest(readGtin)));
  const headers = { authorization, 'content-type': 'application/json' };
  const evaluateDirect = (n, c) => directRun(n, c, () => contract.evaluateTransaction('trace:getProduct', JSON.stringify({ gtin: readGtin })));
  const evaluateRest = (n, c) => restRun(url, n, c, { headers, requests: [{ method: 'GET', path: `/products/${readGtin}` }] });
  const submitDirect = (n, c) => directRun(n, c, () => contract.submitTransaction('trace:registerProduct', JSON.stringify(productRequest(nextGtin()))));
  const submitRest = (n, c) =>
    restRun(url, n, c, { headers, requests: [{ method: 'POST', path: '/products', setupRequest: (req) => ({ ...req, body: JSON.stringify(productRequest(nextGtin())) }) }] });

  log('warming up (schemas compiled, connections open, chaincode streams dialled)…');
  await abba('warm-up evaluate', 40, (n) => evaluateDirect(n, 1), (n) => evaluateRest(n, 1), () => undefined);
  await abba('warm-up submit', 8, (n) => submitDirect(n, 2), (n) => submitRest(n, 2), () => undefined);
  log('measuring…');
  return {
    evalSerial: await abba('evaluate, 1 in flight', amounts.evalSerial, (n) => evaluateDirect(n, 1), (n) => evaluateRest(n, 1), log),
    evalLoad: await abba(`evaluate, ${concurrency} in flight`, amounts.evalLoad, (n) => evaluateDirect(n, concurrency), (n) => evaluateRest(n, concurrency), log),
    submitSerial: await abba('submit, 1 in flight', amounts.submitSerial, (n) => submitDirect(n, 1), (n) => submitRest(n, 1), log),
    submitLoad: await abba(`submit, ${concurrency} in flight`, amounts.submitLoad, (n) => submitDirect(n, concurrency), (n) => submitRest(n, concurrency), log),
  };
}

function row(workload, concurrency, { direct, rest }, verdict) {
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
    target: verdict,
  };
}

function report(m, concurrency) {
  const overhead = m.evalSerial.rest.p50 - m.evalSerial.direct.p50;
  const ratio = m.submitLoad.rest.perSecond / m.submitLoad.direct.perSecond;
  console.table([
    row('evaluate (GET /products/:gtin)', 1, m.evalSerial, `p50 overhead ≤ 1 ms: ${overhead <= 1 ? 'met' : 'not met'}`),
    row('evaluate (GET /products/:gtin)', concurrency, m.evalLoad, ''),
    row('submit (POST /products)', 1, m.submitSerial, ''),
    row('submit (POST /products)', concurrency, m.submitLoad, `ratio ≥ 0.9: ${ratio >= 0.9 ? 'met' : 'not met'}`),
  ]);
  console.log(`submit throughput ratio REST/direct at ${concurrency} in flight: ${ratio.toFixed(2)} (target ≥ 0.9)`);
  console.log(`evaluate p50 overhead of REST: ${overhead.toFixed(2)} ms (target ≤ 1 ms)`);
}

async function main() {
  const { concurrency, amounts } = options();
  const log = (line) => console.log(line);
  log(`REST vs direct benchmark (${os.cpus().length} CPUs): concurrency 1 and ${concurrency}, ${JSON.stringify(amounts)} calls per side`);
  const gatewayDir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-bench-rest-gw-'));
  const secret = randomBytes(32).toString('hex');
  const children = [];
  let client;
  try {
    const t0 = Date.now();
    const devnet = forkRole('devnet', { log });
    children.push(devnet);
    const { descriptorPath } = await devnet.ready;
    log(`devnet ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const gateway = forkRole('gateway', { env: { HEALTHLEDGER_DATA_DIR: gatewayDir, HEALTHLEDGER_DEVNET: descriptorPath, HEALTHLEDGER_JWT_SECRET: secret } });
    children.push(gateway);
    const { url } = await gateway.ready;
    log(`REST gateway listening at ${url}`);
    const { issueToken } = require(gatewayDist('auth', 'tokens'));
    const authorization = `Bearer ${await issueToken(secret, { name: MANUFACTURER.user, mspId: MANUFACTURER.mspId }, 3600)}`;
    client = connectAs(require(descriptorPath), MANUFACTURER);
    const m = await measure({ contract: client.contract, url, authorization, concurrency, amounts, log });
    report(m, concurrency);
  } finally {
    client?.close();
    for (const child of children.reverse()) await child.stop();
    rmSync(gatewayDir, { recursive: true, force: true });
  }
}

module.exports = { measure, report, directRun, restRun, abba, tally };

if (require.main === module) {
  const { role } = options();
  const entry = { devnet: serveDevnet, gateway: serveGateway }[role] ?? main;
  // Exit explicitly: a child keeps its IPC channel open, and nothing else is left to finish.
  entry().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
