#!/usr/bin/env node
// Ledger growth benchmark: grows a persistent devnet ledger in steps with simple committed
// submits (the probe chaincode's `put`, 256-byte values, concurrency 100) and, at each step, stops
// the devnet, starts it again on the same data directory and prints the restart time to ready, the
// devnet process's RSS after the restart, the disk used by the ledger, and the highest RSS seen
// while submitting (RSS under load). Then, on the same ledger, it restarts `npm start`'s whole
// system (gateway/src/local.ts: devnet thread and REST gateway in one process) and times it until
// the gateway's /health/ready first answers 200: what a user of `npm start` waits for. Prints a
// table; asserts nothing.
//
// The probe chaincode emits no `healthledger.changes` events, so before each system restart the
// gateway's event log (gateway/src/events/log.ts, under <dataDir>/events) is filled with one
// synthetic record event per committed transaction, through its import of an earlier version's
// log.jsonl (untimed); the "gateway events" column is the log's head as the restarted gateway
// left it: start-up should not grow with it.
//
// The devnet runs in a child process (the clients in this one), in a worker thread with the heap
// bounds `npm start` gives it (HEALTHLEDGER_DEVNET_OLD_SPACE_MB / _YOUNG_SPACE_MB override them, as
// there), with the probe chaincode as a chaincode service; the consortium comes from a file named
// by HEALTHLEDGER_CONSORTIUM, read by the devnet's thread as under `npm start`. Runs on the built
// packages (`npm run bench` builds first). RSS is the devnet process's (its main thread idles).
// The system restart runs with `npm start`'s node flags and environment (package.json's `start`),
// without `npm` itself and without our chaincode server (the probe serves the chaincode).
//
// Usage: node scripts/bench-ledger-growth.js [--quick] [--steps 1000,10000,...]
//   default steps 1k, 10k, 30k, 100k committed transactions; --quick: 1k, 5k
'use strict';

const { spawn } = require('node:child_process');
const { createPrivateKey, randomBytes } = require('node:crypto');
const { appendFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { CHANNEL, CHAINCODE, POLICY, PROBE_DIR, SHIM_CLI, probeConsortium } = require('./lib/probe-consortium');
const { devnetHeapLimits } = require('@healthledger/network/devnet/thread');
const { parseJson, readJson } = require('./lib/json');
const { freePort, loadAverage, rssMb } = require('./lib/machine');
const { EventLog } = require('@healthledger/gateway/events/log');

const QUICK = process.argv.includes('--quick');
const stepsIndex = process.argv.indexOf('--steps');
const STEPS = stepsIndex >= 0 ? (process.argv[stepsIndex + 1] ?? '').split(',').map(Number) : QUICK ? [1000, 5000] : [1000, 10000, 30000, 100000];
const CONCURRENCY = 100;
const VALUE = 'v'.repeat(256);

const CONSORTIUM = probeConsortium(500);

/**
 * Bytes of every file under `dir`.
 * @param {string} dir
 * @returns {number}
 */
function diskBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}

/** The probe chaincode as a chaincode service, in a process of its own. */
async function startProbe() {
  const address = `127.0.0.1:${await freePort()}`;
  const packageId = `probe_1.0:${randomBytes(32).toString('hex')}`;
  const child = spawn(process.execPath, [SHIM_CLI, 'server', '--chaincode-address', address, '--chaincode-id', packageId, '--module-path', PROBE_DIR], {
    cwd: PROBE_DIR,
    stdio: 'ignore',
    env: { ...process.env, CORE_CHAINCODE_LOGGING_LEVEL: 'error' },
  });
  return {
    address,
    packageId,
    /** @type {() => Promise<void>} */
    stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGKILL')))),
  };
}

/** A thread that dies (its heap bound reached) ends the child with its reason, and the benchmark with it. */
const onFailure = (/** @type {Error} */ err) => {
  console.error(`devnet process: ${err.message}`);
  process.exit(1);
};

/**
 * Child mode (`--serve <options json>`): the devnet in its own process, in a worker thread with
 * the heap bounds `npm start` gives it (network/devnet/thread/limits.ts; the same environment
 * overrides); prints `READY <ms> <thread CPU ms> <descriptor>`.
 * @param {string} optionsJson
 */
async function serve(optionsJson) {
  /** @type {import('@healthledger/network/devnet/thread').DevnetThreadSettings} */
  const options = parseJson(optionsJson);
  const t0 = Date.now();
  const { DevnetThread } = require('@healthledger/network/devnet/thread');
  const devnet = await DevnetThread.start({ ...options, onFailure });
  const ms = Date.now() - t0;
  // The thread's own CPU time to ready reads the same on a loaded machine, where wall time does not.
  const cpuMs = (await devnet.cpuMs()) ?? NaN;
  process.stdout.write(`READY ${ms} ${cpuMs} ${devnet.descriptorPath}\n`);
  process.once('SIGTERM', () => void devnet.stop().then(() => process.exit(0)));
}

/**
 * Child mode (`--system <options json>`): `npm start`'s system (startLocal: the devnet thread, then
 * the gateway, on a free port) with the probe chaincode's definition; prints `READY <ms> <url>` once
 * the gateway listens (its /health/ready is the parent's to call).
 * @param {string} optionsJson
 */
async function serveSystem(optionsJson) {
  /** @type {import('@healthledger/network/devnet/thread').DevnetThreadSettings & { dataDir: string }} */
  const { dataDir, ...devnet } = parseJson(optionsJson);
  const t0 = Date.now();
  const { startLocal } = require('@healthledger/gateway/local');
  const env = { ...process.env, PORT: '0', LOG_LEVEL: 'warn' };
  const system = await startLocal({ dataDir, env, devnet: { ...devnet, chaincodeServer: false }, onDevnetFailure: onFailure });
  process.stdout.write(`READY ${Date.now() - t0} ${system.gateway.url}\n`);
  process.once('SIGTERM', () => void system.stop().then(() => process.exit(0)));
}

/**
 * The devnet child, once it is ready.
 * @typedef {object} DevnetChild
 * @property {number} readyMs  wall time from spawning the process until every peer serves
 * @property {number} startMs  `DevnetThread.start` alone (worker start-up and `Devnet.start`), as the child measured it
 * @property {number} threadCpuMs  CPU time the devnet's thread used until ready (its module loading and `Devnet.start`)
 * @property {import('@healthledger/network/devnet').DevnetDescriptor} descriptor
 * @property {() => number} rss  the child's resident set size now, in MB
 * @property {() => Promise<void>} stop
 */

/**
 * Starts the devnet child; resolves once it is ready.
 * @param {import('@healthledger/network/devnet/thread').DevnetThreadSettings} options
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<DevnetChild>}
 */
function startDevnetProcess(options, env) {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [__filename, '--serve', JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'], env });
    let out = '';
    child.stdout.on('data', (/** @type {Buffer} */ d) => {
      out += d.toString();
      const match = /READY (\d+) (\S+) (.+)\n/.exec(out);
      if (!match) return;
      resolve({
        readyMs: Number(process.hrtime.bigint() - t0) / 1e6,
        startMs: Number(match[1]),
        threadCpuMs: Number(match[2]),
        descriptor: readJson(/** @type {string} */ (match[3])),
        rss: () => rssMb(child.pid),
        stop: () => new Promise((done) => (child.once('exit', () => done()), child.kill('SIGTERM'))),
      });
    });
    child.once('exit', (code) => reject(new Error(`devnet process exited with ${code}`)));
  });
}

/**
 * `npm start`'s system restarted on the ledger: the time from spawning its process (with the node
 * flags and environment of package.json's `start` script) until the gateway's /health/ready first
 * answers 200 (a ledger round trip through the devnet), then stopped.
 * @param {import('@healthledger/network/devnet/thread').DevnetThreadSettings} options
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<number>} ms
 */
async function systemRestartMs(options, env) {
  // Node loads its fetch (undici) on the first call, some 0.1–0.4 s: load it before the clock
  // starts, or the first step's figure includes this process's start-up, not the system's.
  await fetch('data:,');
  const t0 = process.hrtime.bigint();
  // Through scripts/gateway-node.sh, as `npm start` runs node: its node flags and malloc settings.
  const child = spawn('bash', [path.join(__dirname, 'gateway-node.sh'), __filename, '--system', JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...env, HEALTHLEDGER_JWT_SECRET: randomBytes(32).toString('hex') },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    /** @type {string} */
    const url = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (/** @type {Buffer} */ d) => {
        out += d.toString();
        const match = /READY \d+ (\S+)\n/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      void exited.then((code) => reject(new Error(`system process exited with ${code}`)));
    });
    for (;;) {
      const response = await fetch(`${url}/health/ready`).catch(() => undefined);
      if (response?.status === 200) return Number(process.hrtime.bigint() - t0) / 1e6;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}

/**
 * A fabric-gateway connection as Org1's first user, signing natively.
 * @param {import('@healthledger/network/devnet').DevnetDescriptor} descriptor
 */
function gatewayFor(descriptor) {
  const org = descriptor.orgs.find((o) => o.mspId === 'Org1MSP');
  const user = org?.users[0];
  if (!org || !user) throw new Error('devnet.json has no Org1MSP user');
  // Required here, in the client process only: the devnet process's RSS is the devnet's.
  const grpc = require('@grpc/grpc-js');
  const { connect, hash } = require('@hyperledger/fabric-gateway');
  const { signLowS } = require('@healthledger/fabric-core');
  const client = new grpc.Client(org.peerEndpoint, grpc.credentials.createInsecure());
  const privateKey = createPrivateKey(readFileSync(user.key));
  const signer = /** @param {Uint8Array} message */ (message) => Promise.resolve(signLowS(privateKey, message));
  const gateway = connect({ client, identity: { mspId: 'Org1MSP', credentials: readFileSync(user.cert) }, hash: hash.none, signer });
  return { contract: gateway.getNetwork(CHANNEL).getContract(CHAINCODE), close: () => (gateway.close(), client.close()) };
}

/**
 * Submits `put` for keys [from, to) with {@link CONCURRENCY} workers, sampling `rss()` meanwhile.
 * @param {import('@hyperledger/fabric-gateway').Contract} contract
 * @param {number} from
 * @param {number} to
 * @param {() => number} rss
 */
async function grow(contract, from, to, rss) {
  let next = from;
  let peak = rss();
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), 250);
  const t0 = process.hrtime.bigint();
  try {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < to) await contract.submitTransaction('put', `g-${next++}`, VALUE);
      }),
    );
  } finally {
    clearInterval(sampler);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { perSecond: (to - from) / seconds, peakRss: Math.max(peak, rss()) };
}

/**
 * Fills the gateway's event log under `dataDir` to `count` synthetic events (imported as an
 * earlier version's log.jsonl would be).
 * @param {string} dataDir
 * @param {number} count
 */
async function seedGatewayEvents(dataDir, count) {
  const dir = path.join(dataDir, 'events');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'log.jsonl');
  writeFileSync(file, '');
  for (let from = 1; from <= count; from += 10_000) {
    const lines = [];
    for (let seq = from; seq < Math.min(from + 10_000, count + 1); seq++) {
      lines.push(JSON.stringify({ seq, blockNumber: String(seq), txId: `bench-${seq}`, changes: [{ type: 'record', id: `rec-${seq}`, action: 'created', custodian: 'Org1MSP' }] }));
    }
    appendFileSync(file, `${lines.join('\n')}\n`);
  }
  await gatewayEventCount(dataDir);
}

/**
 * The head of the gateway's event log under `dataDir`.
 * @param {string} dataDir
 * @returns {Promise<number>}
 */
async function gatewayEventCount(dataDir) {
  const log = await EventLog.open(path.join(dataDir, 'events'));
  const head = log.head;
  await log.close();
  return head;
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-bench-growth-'));
  // The devnet reads its consortium from this file, as under `npm start` (HEALTHLEDGER_CONSORTIUM).
  const consortiumFile = path.join(dataDir, 'consortium.yaml');
  writeFileSync(consortiumFile, CONSORTIUM);
  const env = { ...process.env, HEALTHLEDGER_CONSORTIUM: consortiumFile };
  const probe = await startProbe();
  const options = {
    dataDir,
    randomPorts: true,
    chaincodes: [{ name: CHAINCODE, version: '1.0', sequence: 1, endorsementPolicy: POLICY, packageId: probe.packageId, address: probe.address }],
  };
  /** @type {Record<string, string | number>[]} */
  const rows = [];
  const loadBefore = loadAverage();
  try {
    let devnet = await startDevnetProcess(options, env);
    let height = 0;
    for (const target of STEPS) {
      const { contract, close } = gatewayFor(devnet.descriptor);
      let load;
      try {
        load = await grow(contract, height, target, devnet.rss);
      } finally {
        close();
      }
      height = target;
      await devnet.stop();
      devnet = await startDevnetProcess(options, env);
      const rssAfterRestart = devnet.rss();
      await devnet.stop();
      await seedGatewayEvents(dataDir, target);
      const systemMs = await systemRestartMs(options, env);
      const gatewayEvents = await gatewayEventCount(dataDir);
      devnet = await startDevnetProcess(options, env);
      rows.push({
        'committed tx': target,
        'restart to ready ms': devnet.readyMs.toFixed(0),
        'thread start ms': devnet.startMs,
        'thread CPU to ready ms': devnet.threadCpuMs.toFixed(0),
        'npm start to /health/ready ms': systemMs.toFixed(0),
        'gateway events': gatewayEvents,
        'RSS after restart MB': rssAfterRestart.toFixed(0),
        'RSS under load MB': load.peakRss.toFixed(0),
        'ledger disk MB': (diskBytes(path.join(dataDir, 'ledger')) / 1e6).toFixed(1),
        'submits/s while growing': load.perSecond.toFixed(0),
        load: loadAverage().toFixed(1),
      });
    }
    await devnet.stop();
    console.log(`ledger growth benchmark (${os.cpus().length} CPUs, 1-min load average ${loadBefore.toFixed(1)} before, ${loadAverage().toFixed(1)} after; probe chaincode put, ${VALUE.length}-byte values, concurrency ${CONCURRENCY})`);
    console.log('restart to ready = spawn of the devnet process until every peer serves (process start-up included); thread start = DevnetThread.start alone; thread CPU = CPU time of the devnet thread until ready; RSS of the devnet process');
    console.log("npm start to /health/ready = spawn of npm start's system (devnet thread and gateway, npm itself excluded) until /health/ready answers 200");
    console.log('gateway events = events in the gateway event log at that restart (synthetic: the probe chaincode emits none; one per committed tx)');
    console.log(`devnet thread heap bounds: ${JSON.stringify(devnetHeapLimits())} (MB; none: V8's own sizing)`);
    console.table(rows);
  } finally {
    await probe.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const serveIndex = process.argv.indexOf('--serve');
const systemIndex = process.argv.indexOf('--system');
const run = serveIndex >= 0 ? serve(process.argv[serveIndex + 1] ?? '') : systemIndex >= 0 ? serveSystem(process.argv[systemIndex + 1] ?? '') : main();
run.catch((err) => {
  console.error(err);
  process.exit(1);
});
