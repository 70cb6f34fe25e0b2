#!/usr/bin/env node
// Traceability benchmark (issue 4): commissions 10,000 serials end to end on the devnet through
// the real @hyperledger/fabric-gateway client, as the manufacturer identity, with the real
// chaincode (chaincode/dist) served as chaincode-as-a-service exactly as `npm run devnet` starts
// it. The bulk request is split by the trace contract's own batch planner and the batches are
// submitted concurrently (they write disjoint keys, so they cannot conflict). Prints progress and
// the elapsed time (target: 5 s on a 2-core machine); asserts only correctness: one pack verifies
// and the lot counts every serial. Runs in a fresh temporary data directory, removed at the end.
//
// The devnet (and its chaincode server) runs in a child process of this script, the client in
// this one, as in bench-devnet.js. BENCH_TRACE_PROFILE=<dir> writes a CPU profile of the devnet
// process there.
//
// Usage: node scripts/bench-trace.js [--serials N] [--batch N] [--concurrency N] [--quick]
//   --serials      serials to commission (default 10000, the bulk maximum)
//   --batch        serials per transaction (default 250: smaller transactions pipeline better)
//   --concurrency  batches in flight at once (default: all of them)
//   --quick        1,000 serials (smoke run)
//
// Also a module: bench-rest.js reuses the devnet process, child roles and the client connection.
'use strict';

const { execFileSync, fork } = require('node:child_process');
const { createPrivateKey } = require('node:crypto');
const { mkdtempSync, readdirSync, readFileSync, rmSync } = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');

const root = path.resolve(__dirname, '..');
const grpc = require('@grpc/grpc-js');
const { connect, hash } = require('@hyperledger/fabric-gateway');
const { loadConsortium } = require(path.join(root, 'network', 'dist', 'consortium'));
const { Devnet } = require(path.join(root, 'network', 'dist', 'devnet'));
const { signLowS } = require(path.join(root, 'network', 'fabric-core', 'dist', 'crypto'));
const { planCommissionBatches } = require(path.join(root, 'chaincode', 'dist', 'trace', 'batches'));
const { gs1CheckDigit } = require(path.join(root, 'chaincode', 'dist', 'trace', 'gs1'));
const { MAX_COMMISSION_PER_TX } = require(path.join(root, 'chaincode', 'dist', 'trace', 'schemas'));

const MANUFACTURER = { mspId: 'ManufacturerMSP', user: 'manufacturer1' };
/** Serials per transaction: measured faster than the contract's 2,000 maximum (more transactions in flight). */
const DEFAULT_BATCH = 250;
/** Generous: the machine is shared, and a slow figure is still a figure. */
const CALL_DEADLINE_MS = 300_000;

/** A free loopback port (the chaincode server must not collide with a running `npm start`). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the devnet of the project's consortium in a fresh temporary directory, on free ports,
 * with our chaincode as a CaaS server. Returns the devnet and a `close()` that stops it and
 * removes the directory.
 */
async function startBenchDevnet({ log = () => undefined, label = 'bench' } = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `healthledger-${label}-`));
  const consortium = loadConsortium();
  const cc = consortium.chaincode;
  const address = `127.0.0.1:${await freePort()}`;
  let devnet;
  try {
    devnet = await Devnet.start({
      consortium,
      dataDir,
      randomPorts: true,
      chaincodes: [{ name: cc.name, version: cc.version, sequence: cc.sequence, endorsementPolicy: cc.endorsementPolicy, collections: consortium.collections, address }],
      chaincodeServer: true, // as `npm start` and `npm run devnet` start it
      onProgress: log,
    });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    devnet,
    dataDir,
    close: async () => {
      try {
        await devnet.stop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** CPU time of this process, in ms. */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

let clockTicks;
/**
 * CPU time of this process's children (the devnet's chaincode server), in ms, from /proc;
 * undefined where there is no /proc.
 */
function childrenCpuMs() {
  if (process.platform !== 'linux') return undefined;
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // After the command name (which may hold spaces): state, ppid, …, utime (14th), stime (15th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) === process.pid) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks / clockTicks) * 1000;
}

/** In a child role: answers `{ type: 'cpu' }` with this process's and its children's CPU time. */
function answerCpuRequests() {
  process.on('message', (m) => m?.type === 'cpu' && process.send({ type: 'cpu', ms: cpuMs(), childrenMs: childrenCpuMs() }));
}

/**
 * Resolves when the parent says stop or goes away (so nothing is left running). Ctrl-C reaches
 * the whole process group: a child ignores SIGINT and cleans up once the parent has gone.
 */
function stopRequested() {
  process.on('SIGINT', () => undefined);
  return new Promise((resolve) => {
    process.on('message', (m) => m?.type === 'stop' && resolve());
    process.on('disconnect', resolve);
  });
}

/** Child role `devnet`: {@link startBenchDevnet}, reporting progress and readiness over IPC. */
async function serveDevnet() {
  const bench = await startBenchDevnet({ label: process.env.BENCH_LABEL, log: (line) => process.send({ type: 'log', line }) });
  answerCpuRequests();
  process.send({ type: 'ready', descriptorPath: bench.devnet.descriptorPath });
  await stopRequested();
  await bench.close();
}

/**
 * Forks `script --role <role>`. The child sends `{ type: 'log', line }` and, once serving,
 * `{ type: 'ready', … }`; `ready` resolves with that message. `ask(type)` sends `{ type }` and
 * resolves with the child's next message of that type. `stop()` asks it to stop (SIGKILL after
 * 15 s) and resolves when it has exited.
 */
function forkRole(script, role, { env = {}, log = () => undefined, execArgv = [] } = {}) {
  const child = fork(script, ['--role', role], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { ...process.env, ...env }, execArgv });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.on('message', (m) => m?.type === 'log' && log(m.line));
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
  const ask = (type) =>
    new Promise((resolve) => {
      const answer = (m) => m?.type === type && (child.off('message', answer), resolve(m));
      child.on('message', answer);
      child.send({ type });
    });
  return { ready, ask, stop };
}

/**
 * The bench devnet in a child process; resolves with its descriptor once every peer serves.
 * `cpu()` resolves with the CPU time (ms) used so far by the devnet and by its chaincode server.
 */
async function startDevnetProcess({ label, log = () => undefined }) {
  const profileDir = process.env.BENCH_TRACE_PROFILE;
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = forkRole(__filename, 'devnet', { env: { BENCH_LABEL: label }, log, execArgv });
  try {
    const { descriptorPath } = await child.ready;
    const cpu = () => child.ask('cpu').then((m) => ({ devnetMs: m.ms, chaincodeMs: m.childrenMs }));
    return { descriptorPath, descriptor: JSON.parse(readFileSync(descriptorPath, 'utf8')), cpu, stop: child.stop };
  } catch (err) {
    await child.stop();
    throw err;
  }
}

/** The devnet.json entry of a demo user. */
function descriptorUser(descriptor, mspId, name) {
  const org = descriptor.orgs.find((o) => o.mspId === mspId);
  const user = org?.users.find((u) => u.name === name);
  if (!org || !user) throw new Error(`devnet.json has no user ${name} in ${mspId}`);
  return { org, user };
}

/** fabric-gateway options that sign with node:crypto (SHA-256, DER, low-S). */
function nativeSigning(privateKey) {
  return { hash: hash.none, signer: (message) => Promise.resolve(signLowS(privateKey, message)) };
}

/** A fabric-gateway connection as a demo user, over its organisation's gateway peer. */
function connectAs(descriptor, { mspId, user: name }) {
  const { org, user } = descriptorUser(descriptor, mspId, name);
  const client = new grpc.Client(org.peerEndpoint, grpc.credentials.createInsecure(), {
    'grpc.max_receive_message_length': 100 * 1024 * 1024,
    'grpc.max_send_message_length': 100 * 1024 * 1024,
  });
  const deadline = () => ({ deadline: Date.now() + CALL_DEADLINE_MS });
  const gateway = connect({
    client,
    identity: { mspId, credentials: readFileSync(user.cert) },
    // Native low-S signing, as the REST gateway signs (gateway/src/fabric/connection.ts), so that
    // REST and direct calls are compared with the same signer.
    ...nativeSigning(createPrivateKey(readFileSync(user.key))),
    evaluateOptions: deadline,
    endorseOptions: deadline,
    submitOptions: deadline,
    commitStatusOptions: deadline,
  });
  const contract = gateway.getNetwork(descriptor.channel).getContract(descriptor.chaincode);
  return { gateway, contract, close: () => (gateway.close(), client.close()) };
}

/** A valid GTIN-14 (check digit computed) from a 13-digit body. */
function gtin14(body13) {
  return body13 + String(gs1CheckDigit(body13));
}

/** Product master data for `gtin`, as the trace contract's `registerProduct` takes it. */
function productRequest(gtin) {
  return {
    gtin,
    companyPrefixLength: 7,
    name: 'Benchmarkol',
    strength: '10 mg',
    dosageForm: 'tablet',
    packSize: 30,
    storage: { minCelsius: 2, maxCelsius: 25 },
  };
}

/** JSON result of a transaction. */
function json(bytes) {
  return JSON.parse(Buffer.from(bytes).toString('utf8'));
}

function seconds(sinceNs) {
  return Number(process.hrtime.bigint() - sinceNs) / 1e9;
}

/**
 * Plans and submits the bulk request, at most `concurrency` batches in flight, reporting each
 * commit. Resolves with the batches, their block numbers and the elapsed time.
 */
async function commissionBulk(contract, bulk, { batchSize, concurrency, log }) {
  const started = process.hrtime.bigint();
  const batches = planCommissionBatches(bulk, batchSize);
  const total = batches[batches.length - 1]?.total ?? 0;
  const blocks = new Set();
  let committed = 0;
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      const submitted = await contract.submitAsync('trace:commission', { arguments: [JSON.stringify(batch.request)] });
      const status = await submitted.getStatus();
      if (!status.successful) throw new Error(`commission batch at offset ${batch.offset}: transaction ${status.transactionId} invalid (code ${status.code})`);
      const result = json(submitted.getResult());
      if (result.count !== batch.count) throw new Error(`commission batch at offset ${batch.offset}: committed ${result.count} of ${batch.count}`);
      blocks.add(status.blockNumber);
      committed += batch.count;
      log(`  committed ${String(committed).padStart(6)}/${total} serials (block ${status.blockNumber}, ${seconds(started).toFixed(2)} s)`);
    }
  };
  // A heartbeat: with every batch in flight, the first commit may take a while on a busy machine.
  const heartbeat = setInterval(() => log(`  … ${seconds(started).toFixed(0)} s: ${committed}/${total} serials committed`), 2000);
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
  } finally {
    clearInterval(heartbeat);
  }
  return { batches, total, blocks: blocks.size, elapsed: seconds(started) };
}

/** Checks one pack and the lot's count; throws on any disagreement. */
async function verifyCommissioning(contract, bulk, total, sample) {
  const verification = json(await contract.evaluateTransaction('trace:verify', JSON.stringify({ gtin: bulk.gtin, serial: sample, lot: bulk.lot, expiry: bulk.expiry })));
  if (!verification.authentic || verification.suspect || verification.owner !== MANUFACTURER.mspId || verification.status !== 'active') {
    throw new Error(`pack ${sample} does not verify: ${JSON.stringify(verification)}`);
  }
  const holders = json(await contract.evaluateTransaction('trace:recallHolders', JSON.stringify({ gtin: bulk.gtin, lot: bulk.lot })));
  const counted = holders.holders.reduce((sum, h) => sum + h.packs, 0);
  const owners = holders.holders.map((h) => h.owner).join(', ');
  if (counted !== total || owners !== MANUFACTURER.mspId) {
    throw new Error(`lot ${bulk.lot} counts ${counted} packs held by [${owners}], expected ${total} held by ${MANUFACTURER.mspId}`);
  }
  return { verification, counted };
}

function options() {
  const { values } = parseArgs({
    options: {
      serials: { type: 'string' },
      batch: { type: 'string' },
      concurrency: { type: 'string' },
      quick: { type: 'boolean', default: false },
      role: { type: 'string' },
    },
  });
  const int = (name, fallback) => {
    const value = values[name] === undefined ? fallback : Number(values[name]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: a positive integer, got ${values[name]}`);
    return value;
  };
  const serials = int('serials', values.quick ? 1000 : 10_000);
  const batchSize = int('batch', Math.min(DEFAULT_BATCH, MAX_COMMISSION_PER_TX));
  return { role: values.role, serials, batchSize, concurrency: int('concurrency', Math.ceil(serials / batchSize)) };
}

async function main() {
  const { serials, batchSize, concurrency } = options();
  const log = (line) => console.log(line);
  console.log(`trace benchmark: commission ${serials} serials, ${batchSize} per transaction, ${concurrency} in flight (${os.cpus().length} CPUs)`);
  const t0 = process.hrtime.bigint();
  // Certificate issuance is one line per identity: progress, but noise in a benchmark report.
  const devnet = await startDevnetProcess({ label: 'bench-trace', log: (line) => line.startsWith('issued ') || log(`  devnet: ${line}`) });
  const client = connectAs(devnet.descriptor, MANUFACTURER);
  try {
    log(`devnet ready in ${seconds(t0).toFixed(1)} s`);
    const gtin = gtin14('0950600013435');
    // Registering the product is also the warm-up: the peers dial the chaincode on first use.
    await client.contract.submitTransaction('trace:registerProduct', JSON.stringify(productRequest(gtin)));
    log(`product ${gtin} registered by ${MANUFACTURER.user}@${MANUFACTURER.mspId}`);
    const bulk = { gtin, lot: 'BENCH-LOT-1', expiry: '2030-12-31', range: { prefix: 'BN', start: 1, count: serials } };
    const cpuBefore = { ...(await devnet.cpu()), clientMs: cpuMs() };
    const run = await commissionBulk(client.contract, bulk, { batchSize, concurrency, log });
    const cpuAfter = { ...(await devnet.cpu()), clientMs: cpuMs() };
    const sample = `BN${String(1 + Math.floor(serials / 2)).padStart(String(serials).length, '0')}`;
    log('verifying…');
    const { counted } = await verifyCommissioning(client.contract, bulk, run.total, sample);
    console.log(`pack ${gtin}/${sample}: authentic, active, owned by ${MANUFACTURER.mspId}; lot ${bulk.lot}: ${counted} packs`);
    console.table([
      {
        serials: run.total,
        transactions: run.batches.length,
        blocks: run.blocks,
        'in flight': Math.min(concurrency, run.batches.length),
        'elapsed s': run.elapsed.toFixed(2),
        'serials/s': (run.total / run.elapsed).toFixed(0),
        // The machine's 1-minute load average: a figure taken under load reads differently.
        'load 1m': os.loadavg()[0].toFixed(1),
      },
    ]);
    const used = (k) => (cpuAfter[k] === undefined ? 'n/a' : `${((cpuAfter[k] - cpuBefore[k]) / 1000).toFixed(2)} s`);
    console.log(`CPU time while commissioning: devnet ${used('devnetMs')}, chaincode ${used('chaincodeMs')}, client ${used('clientMs')} (${os.cpus().length} CPUs, shared)`);
    console.log(`commissioning ${run.total} serials end to end: ${run.elapsed.toFixed(2)} s (target ≤ 5 s on 2 cores)`);
  } finally {
    client.close();
    await devnet.stop();
  }
}

module.exports = { startDevnetProcess, forkRole, stopRequested, answerCpuRequests, cpuMs, connectAs, gtin14, productRequest, MANUFACTURER };

if (require.main === module) {
  const entry = options().role === 'devnet' ? serveDevnet : main;
  // Exit explicitly: a child keeps its IPC channel open, and nothing else is left to finish.
  entry().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
