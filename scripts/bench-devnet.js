#!/usr/bin/env node
// Devnet benchmark: committed submits per second and evaluate latency (p50/p99) at
// concurrency 1, 10 and 100 through the real @hyperledger/fabric-gateway client, and start-up
// time with existing crypto material. Prints a table; asserts nothing.
//
// The devnet runs in a child process, the clients in this one. Runs on the built packages (`npm run bench` builds first) with the probe chaincode fixture as
// a real chaincode service, and an endorsement policy that one org satisfies.
//
// Usage: node scripts/bench-devnet.js [--quick] [--js-signer]
'use strict';

const { spawn } = require('node:child_process');
const { createPrivateKey, randomBytes } = require('node:crypto');
const { mkdtempSync, readFileSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { CHANNEL, CHAINCODE, POLICY, PROBE_DIR, SHIM_CLI, probeConsortium } = require('./lib/probe-consortium');
const grpc = require('@grpc/grpc-js');
const { connect, hash, signers } = require('@hyperledger/fabric-gateway');
const { parseConsortium } = require('@healthledger/network');
const { Devnet } = require('@healthledger/network/devnet');
const { signLowS } = require('@healthledger/fabric-core');
const { parseJson, readJson } = require('./lib/json');
const { freePort, loadAverage } = require('./lib/machine');
const { percentile } = require('./lib/measure');

/** @typedef {import('@healthledger/network/devnet').DevnetDescriptor} DevnetDescriptor */
/** @typedef {import('@healthledger/network/devnet').DevnetOptions} DevnetOptions */
/** @typedef {{ latencies: number[], seconds: number }} Load  latencies (ms, sorted) and wall time of a load run */
/** @typedef {Record<string, () => number>} CpuClocks  CPU seconds so far, per process */

const QUICK = process.argv.includes('--quick');
// fabric-gateway's default private-key signer is pure JavaScript (about 1 ms a signature); a
// production client may sign natively (OpenSSL, or an HSM). Native signing keeps the client from
// being the bottleneck of what is measured here; --js-signer uses the library's own.
const JS_SIGNER = process.argv.includes('--js-signer');
const CONCURRENCY = [1, 10, 100];

const CONSORTIUM = probeConsortium(500);

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
    /** CPU seconds the chaincode process used so far. */
    cpuSeconds: () => processCpuSeconds(child.pid),
    /** @type {() => Promise<void>} */
    stop: () => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGKILL')))),
  };
}

/**
 * CPU seconds (user + system) a child process used so far (Linux /proc; NaN elsewhere).
 * @param {number | undefined} pid
 * @returns {number}
 */
function processCpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 10 ms
  } catch {
    return NaN;
  }
}

/** CPU seconds this process used so far. */
function ownCpuSeconds() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * Runs `phase` and returns its result with the CPU milliseconds per operation each process spent
 * meanwhile: on 2 shared cores, throughput is bounded by the sum of these, whatever the load.
 * @param {CpuClocks} processes
 * @param {number} operations
 * @param {() => Promise<Load>} phase
 * @returns {Promise<Load & { cpuMsPerOp: Record<string, number> }>}
 */
async function withCpu(processes, operations, phase) {
  const before = Object.fromEntries(Object.entries(processes).map(([name, cpu]) => [name, cpu()]));
  const result = await phase();
  const cpuMsPerOp = Object.fromEntries(Object.entries(processes).map(([name, cpu]) => [name, ((cpu() - (before[name] ?? NaN)) * 1000) / operations]));
  return { ...result, cpuMsPerOp };
}

/**
 * Runs `total` calls of `fn` with `concurrency` workers; returns latencies (ms) and wall time.
 * @param {number} total
 * @param {number} concurrency
 * @param {(i: number) => Promise<unknown>} fn
 * @returns {Promise<Load>}
 */
async function load(total, concurrency, fn) {
  /** @type {number[]} */
  const latencies = [];
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t0 = process.hrtime.bigint();
        await fn(i);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { latencies: latencies.sort((a, b) => a - b), seconds };
}

/**
 * A fabric-gateway connection as the first user of an organisation.
 * @param {DevnetDescriptor} descriptor
 * @param {string} mspId
 */
function gatewayFor(descriptor, mspId) {
  const org = descriptor.orgs.find((o) => o.mspId === mspId);
  const user = org?.users[0];
  if (!org || !user) throw new Error(`devnet.json has no user in ${mspId}`);
  const client = new grpc.Client(org.peerEndpoint, grpc.credentials.createInsecure());
  const privateKey = createPrivateKey(readFileSync(user.key));
  const signing = JS_SIGNER
    ? { signer: signers.newPrivateKeySigner(privateKey) }
    : { hash: hash.none, signer: /** @param {Uint8Array} message */ (message) => Promise.resolve(signLowS(privateKey, message)) };
  const gateway = connect({ client, identity: { mspId, credentials: readFileSync(user.cert) }, ...signing });
  return { gateway, close: () => (gateway.close(), client.close()) };
}

/**
 * Child mode (`--serve <options json>`): runs the devnet in its own process so that the client's
 * signing does not share an event loop with the peers; prints `READY <ms> <descriptor>`.
 * @param {string} optionsJson  {@link DevnetOptions} without the consortium
 */
async function serve(optionsJson) {
  /** @type {DevnetOptions} */
  const options = parseJson(optionsJson);
  options.consortium = parseConsortium(CONSORTIUM, 'bench');
  const t0 = Date.now();
  const devnet = await Devnet.start(options);
  process.stdout.write(`READY ${Date.now() - t0} ${devnet.descriptorPath}\n`);
  process.once('SIGTERM', () =>
    void devnet.stop().then(() => {
      const { user, system } = process.cpuUsage();
      process.stdout.write(`CPU ${user + system}\n`);
      process.exit(0);
    }),
  );
}

/**
 * The devnet child, once it is ready.
 * @typedef {object} DevnetProcess
 * @property {number} startupMs
 * @property {DevnetDescriptor} descriptor
 * @property {() => number} cpuSeconds  CPU seconds the devnet process used so far
 * @property {() => Promise<number>} stop  stops the devnet; resolves with its CPU time in seconds
 */

/**
 * Starts the devnet child; resolves with its start-up time and descriptor once it is ready.
 * @param {DevnetOptions} options
 * @returns {Promise<DevnetProcess>}
 */
function startDevnetProcess(options) {
  return new Promise((resolve, reject) => {
    // BENCH_DEVNET_PROFILE=<dir> writes a CPU profile of the devnet process there.
    const profile = process.env.BENCH_DEVNET_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_DEVNET_PROFILE}`] : [];
    const child = spawn(process.execPath, [...profile, __filename, '--serve', JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (/** @type {Buffer} */ d) => {
      out += d.toString();
      const match = /READY (\d+) (.+)\n/.exec(out);
      if (match) {
        /** @type {DevnetDescriptor} */
        const descriptor = readJson(/** @type {string} */ (match[2]));
        resolve({
          startupMs: Number(match[1]),
          descriptor,
          cpuSeconds: () => processCpuSeconds(child.pid),
          stop: () =>
            new Promise((done) => {
              child.once('exit', () => done(Number((/CPU (\d+)/.exec(out) ?? [])[1] ?? NaN) / 1e6));
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => reject(new Error(`devnet process exited with ${code}`)));
  });
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-bench-'));
  const probe = await startProbe();
  /** @type {DevnetOptions} */
  const options = {
    dataDir,
    randomPorts: true,
    chaincodes: [{ name: CHAINCODE, version: '1.0', sequence: 1, endorsementPolicy: POLICY, packageId: probe.packageId, address: probe.address }],
  };
  /** @type {Record<string, string | number>[]} */
  const rows = [];
  /** @type {Record<string, string | number>[]} */
  const evalRows = [];
  const loadBefore = loadAverage();
  let devnetCpuSeconds = NaN;
  const benchCpu = process.cpuUsage();
  try {
    // First start generates the material; the second measures start-up with existing material.
    await (await startDevnetProcess(options)).stop();
    const devnet = await startDevnetProcess(options);
    const { startupMs } = devnet;
    const { gateway, close } = gatewayFor(devnet.descriptor, 'Org1MSP');
    const contract = gateway.getNetwork(CHANNEL).getContract(CHAINCODE);
    try {
      await contract.submitTransaction('put', 'warm', 'up'); // dial the chaincode
      // Warm-up, not measured: without it the first rows (concurrency 1) also pay for the JIT
      // compiling every process's hot paths, which inflated their CPU per operation.
      const warmUp = QUICK ? 20 : 300;
      await load(warmUp, 10, () => contract.evaluateTransaction('get', 'warm'));
      await load(warmUp, 10, (i) => contract.submitTransaction('put', `warm-${i}`, 'v'));
      const processes = { devnet: devnet.cpuSeconds, chaincode: probe.cpuSeconds, client: ownCpuSeconds };
      // The ceiling is what the machine's cores could sustain if these three processes had them to
      // themselves: it does not move with the neighbours' load the way the measured rate does.
      /**
       * @param {{ cpuMsPerOp: Record<string, number> }} phase
       * @returns {[string, string][]}
       */
      const cpuColumns = (phase) => [
        ...Object.entries(phase.cpuMsPerOp).map(([name, ms]) => /** @type {[string, string]} */ ([`${name} ms CPU/op`, ms.toFixed(2)])),
        [`${os.cpus().length}-core ceiling/s`, ((os.cpus().length * 1000) / Object.values(phase.cpuMsPerOp).reduce((a, b) => a + b, 0)).toFixed(0)],
      ];
      for (const concurrency of CONCURRENCY) {
        const evalTotal = QUICK ? concurrency * 5 : Math.max(400, concurrency * 20);
        const evaluate = await withCpu(processes, evalTotal, () => load(evalTotal, concurrency, () => contract.evaluateTransaction('get', 'warm')));
        const submitTotal = QUICK ? concurrency * 2 : Math.max(200, concurrency * 20);
        const submit = await withCpu(processes, submitTotal, () => load(submitTotal, concurrency, (i) => contract.submitTransaction('put', `k-${concurrency}-${i}`, 'v')));
        rows.push({
          concurrency,
          'submits/s': (submitTotal / submit.seconds).toFixed(0),
          'submit p50 ms': percentile(submit.latencies, 50).toFixed(1),
          'submit p99 ms': percentile(submit.latencies, 99).toFixed(1),
          ...Object.fromEntries(cpuColumns(submit)),
          load: loadAverage().toFixed(1),
        });
        evalRows.push({
          concurrency,
          'evals/s': (evalTotal / evaluate.seconds).toFixed(0),
          'eval p50 ms': percentile(evaluate.latencies, 50).toFixed(2),
          'eval p99 ms': percentile(evaluate.latencies, 99).toFixed(2),
          ...Object.fromEntries(cpuColumns(evaluate)),
          load: loadAverage().toFixed(1),
        });
      }
    } finally {
      close();
      devnetCpuSeconds = await devnet.stop();
    }
    console.log(`devnet benchmark (${os.cpus().length} CPUs, 1-min load average ${loadBefore.toFixed(1)} before, ${loadAverage().toFixed(1)} after; single-org endorsement, probe chaincode, ${JS_SIGNER ? 'JS' : 'native'} client signer)`);
    console.log(`start-up to ready with existing material: ${startupMs} ms`);
    const clientCpu = process.cpuUsage(benchCpu);
    console.log(`CPU used: devnet ${devnetCpuSeconds.toFixed(1)} s, chaincode ${probe.cpuSeconds().toFixed(1)} s, clients ${((clientCpu.user + clientCpu.system) / 1e6).toFixed(1)} s`);
    console.log('committed submits (submitTransaction: endorse, submit, commit status):');
    console.table(rows);
    console.log('evaluates:');
    console.table(evalRows);
  } finally {
    await probe.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const serveIndex = process.argv.indexOf('--serve');
(serveIndex >= 0 ? serve(process.argv[serveIndex + 1] ?? '') : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
