#!/usr/bin/env node
// Whole-chain verification benchmark: blocks per second checked by the gateway's verification
// (gateway/src/audit/chain-verification.ts: every data hash and header hash link) reading the
// chain over one Deliver stream through the gateway's own Fabric connection (FabricConnection.blocks:
// raw DeliverResponse bytes, gateway/src/fabric/deliver.ts), as the `ledger-verification`
// operation does; and, for
// comparison, one qscc GetBlockByNumber per block, as the bounded `POST /ledger/verification`
// reads (over the first --qscc blocks). Prints a table (with the CPU time per block of the
// verifying client and of the devnet, which a loaded machine does not inflate); asserts nothing.
//
// The Deliver pass runs twice: first right after the chain was grown (whatever the devnet still
// does in the background — LevelDB compacting the blocks just indexed, the GC — runs during it),
// then again once the devnet process is at rest (idle for half a second; how long that took and the
// CPU it spent meanwhile are printed). The second read also runs JIT-warm code on both sides.
//
// --target devnet (default): a devnet in a child process (its clients in this one) with the probe
// chaincode and an orderer that cuts one block per transaction, grown to --blocks blocks with
// concurrent `put`s first. --target fabric: the real network scripts/network.sh started
// (scripts/lib/target.js), its chain as it is.
//
// BENCH_VERIFY_PROFILE=<dir>: CPU profiles of the verifying client (the Deliver pass only) and of the
// devnet process, written there.
//
// Usage: node scripts/bench-verify.js [--target devnet|fabric] [--blocks 20000] [--qscc 1000] [--quick]
'use strict';

const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');

const { common } = require('@hyperledger/fabric-protos');
const { parseConsortium } = require('@healthledger/network');
const { Devnet } = require('@healthledger/network/devnet');
const { verifyBlocks, verificationInput } = require('@healthledger/gateway/audit/chain-verification');
const { chainLinkOf, checkLink } = require('@healthledger/gateway/audit/integrity');
const { FabricConnection } = require('@healthledger/gateway/fabric/connection');
const { topologyOf } = require('@healthledger/gateway/fabric/descriptor');
const { connectAs } = require('./lib/client');
const { parseJson, readJson } = require('./lib/json');
const { freePort, loadAverage } = require('./lib/machine');
const { processCpuMs } = require('./lib/roles');
const { openTarget, targetKind } = require('./lib/target');

const root = path.resolve(__dirname, '..');
const { CHAINCODE, POLICY, PROBE_DIR, SHIM_CLI, probeConsortium } = require('./lib/probe-consortium');
const { values: args } = parseArgs({ options: { target: { type: 'string' }, blocks: { type: 'string' }, qscc: { type: 'string' }, serve: { type: 'string' }, quick: { type: 'boolean', default: false } } });
// --quick (as `npm run bench -- --quick` passes to every benchmark): a smoke-sized chain.
const BLOCKS = Number(args.blocks ?? (args.quick ? 2000 : 20000));
const QSCC_BLOCKS = Number(args.qscc ?? (args.quick ? 200 : 1000));
const CONCURRENCY = 32;

// One transaction per block: the chain is as long as the number of transactions.
const CONSORTIUM = probeConsortium(1);

/**
 * Child mode (`--serve <options json>`): the devnet in its own process; prints `READY <descriptor path>`.
 * @param {string} optionsJson
 */
async function serve(optionsJson) {
  const options = /** @type {import('@healthledger/network/devnet').DevnetOptions} */ (parseJson(optionsJson));
  options.consortium = parseConsortium(CONSORTIUM, 'bench-verify');
  const devnet = await Devnet.start(options);
  process.stdout.write(`READY ${devnet.descriptorPath}\n`);
  process.once('SIGTERM', () => void devnet.stop().then(() => process.exit(0)));
}

/**
 * A process of this benchmark's.
 * @typedef {object} Child
 * @property {RegExpExecArray | null} match  what its stdout matched (null when not waited for)
 * @property {number | undefined} pid
 * @property {(signal: NodeJS.Signals) => Promise<void>} stop
 */

/**
 * A process of its own, stopped with SIGTERM (SIGKILL for the chaincode server).
 * @param {string[]} argv
 * @param {string} cwd
 * @param {RegExp | undefined} ready  resolves once stdout matches it
 * @returns {Promise<Child>}
 */
function child(argv, cwd, ready) {
  const proc = spawn(process.execPath, argv, { cwd, stdio: ['ignore', ready ? 'pipe' : 'ignore', 'inherit'], env: { ...process.env, CORE_CHAINCODE_LOGGING_LEVEL: 'error' } });
  /** @type {Child['stop']} */
  const stop = (signal) => new Promise((resolve) => (proc.exitCode !== null ? resolve() : (proc.once('exit', () => resolve()), proc.kill(signal))));
  if (!ready) return Promise.resolve({ match: /** @type {RegExpExecArray | null} */ (null), stop, pid: proc.pid });
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (/** @type {Buffer} */ d) => {
      out += d.toString();
      const match = ready.exec(out);
      if (match) resolve({ match, stop, pid: proc.pid });
    });
    proc.once('exit', (code) => reject(new Error(`${argv[1]} exited with ${code}`)));
  });
}

/** The devnet of this benchmark and the probe chaincode, in processes of their own. */
async function startDevnet() {
  const address = `127.0.0.1:${await freePort()}`;
  const packageId = `probe_1.0:${randomBytes(32).toString('hex')}`;
  const probe = await child([SHIM_CLI, 'server', '--chaincode-address', address, '--chaincode-id', packageId, '--module-path', PROBE_DIR], PROBE_DIR, undefined);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-bench-verify-'));
  const options = { dataDir, randomPorts: true, maxMessageCount: 1, chaincodes: [{ name: CHAINCODE, version: '1.0', sequence: 1, endorsementPolicy: POLICY, packageId, address }] };
  // BENCH_VERIFY_PROFILE=<dir>: a CPU profile of the devnet process, written there when it stops.
  const profile = process.env.BENCH_VERIFY_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_VERIFY_PROFILE}`] : [];
  const devnet = await child([...profile, __filename, '--serve', JSON.stringify(options)], root, /READY (.+)\n/);
  return {
    descriptor: /** @type {import('@healthledger/network/devnet').DevnetDescriptor} */ (readJson(devnet.match?.[1] ?? '')),
    pid: devnet.pid,
    stop: async () => {
      await devnet.stop('SIGTERM');
      await probe.stop('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The chain's height and head over qscc.
 * @param {import('@hyperledger/fabric-gateway').Network} network
 */
async function chainInfo(network) {
  const info = common.BlockchainInfo.deserializeBinary(await network.getContract('qscc').evaluateTransaction('GetChainInfo', network.getName()));
  return { height: BigInt(info.getHeight()), head: Buffer.from(info.getCurrentblockhash_asU8()) };
}

/**
 * Submits `put`s until the chain has `blocks` blocks (one transaction each).
 * @param {import('@hyperledger/fabric-gateway').Network} network
 * @param {number} blocks
 */
async function grow(network, blocks) {
  const contract = network.getContract(CHAINCODE);
  let next = Number((await chainInfo(network)).height);
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < blocks) await contract.submitTransaction('put', `b-${next++}`, 'v');
    }),
  );
}

/**
 * The whole chain over one Deliver stream, checked as the operation checks it: through the
 * gateway's FabricConnection (its gRPC client options, its Deliver reader), as `user`.
 * @param {import('@hyperledger/fabric-gateway').Network} network
 * @param {import('@healthledger/network/devnet').DevnetDescriptor} descriptor
 * @param {{ mspId: string, name: string }} who
 * @param {string} label  names its CPU profile
 */
async function verifyOverDeliver(network, descriptor, who, label) {
  const topology = topologyOf(descriptor, root);
  const user = topology.wallet.get(who.mspId, who.name);
  if (!user) throw new Error(`no identity for ${who.name}`);
  const connection = new FabricConnection(topology, { deadlines: { evaluateMs: 300_000, endorseMs: 300_000, submitMs: 300_000, commitStatusMs: 300_000, readyMs: 300_000 }, maxAttempts: 1 });
  const { height, head } = await chainInfo(network);
  const input = verificationInput(0n, height - 1n, height, head);
  let bytes = 0;
  const profile = await startProfile(label);
  const t0 = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const stream = await connection.blocks(user, 0n);
  const counted = (async function* () {
    for await (const block of stream) {
      bytes += block.length;
      yield block;
    }
  })();
  let result;
  try {
    result = await verifyBlocks(counted, input, () => undefined, () => false);
  } finally {
    stream.close();
    connection.close();
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  await profile.stop();
  if (!result?.valid) throw new Error(`verification failed: ${JSON.stringify(result)}`);
  return { blocks: result.checkedBlocks, seconds, bytes, clientCpuMs: (cpu.user + cpu.system) / 1000 };
}

/**
 * With BENCH_VERIFY_PROFILE set, a CPU profile of this process until `stop` (written to that directory).
 * @param {string} label  in the file's name
 */
async function startProfile(label) {
  const dir = process.env.BENCH_VERIFY_PROFILE;
  if (!dir) return { stop: () => Promise.resolve() };
  const { Session } = require('node:inspector');
  const session = new Session();
  session.connect();
  await new Promise((resolve) => session.post('Profiler.enable', () => session.post('Profiler.start', resolve)));
  return {
    stop: () =>
      new Promise((resolve, reject) =>
        session.post('Profiler.stop', (err, result) => {
          session.disconnect();
          if (err) return reject(err);
          require('node:fs').writeFileSync(path.join(dir, `client-${process.pid}-${label}.cpuprofile`), JSON.stringify(result.profile));
          resolve(undefined);
        }),
      ),
  };
}

/**
 * Waits until the devnet process is at rest: at most one clock tick of CPU (10 ms) in half a
 * second, or 30 s at most. Answers the seconds waited and the CPU the devnet spent meanwhile.
 * @param {number} pid
 */
async function atRest(pid) {
  const started = Date.now();
  const cpu0 = processCpuMs(pid) ?? 0;
  for (;;) {
    const before = processCpuMs(pid) ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = processCpuMs(pid) ?? 0;
    if (after - before <= 10 || Date.now() - started > 30_000) return { seconds: (Date.now() - started) / 1000, cpuMs: after - cpu0, idle: after - before <= 10 };
  }
}

/**
 * One Deliver pass as a table row, with the devnet's CPU time when it runs in a process of ours.
 * @param {string} read
 * @param {number | undefined} pid
 * @param {() => ReturnType<typeof verifyOverDeliver>} pass
 */
async function deliverRow(read, pid, pass) {
  const serverCpu0 = pid === undefined ? undefined : processCpuMs(pid);
  const deliver = await pass();
  const serverCpu1 = pid === undefined ? undefined : processCpuMs(pid);
  const perBlock = (/** @type {number | undefined} */ ms) => (ms === undefined ? 'n/a' : ((ms * 1000) / deliver.blocks).toFixed(0));
  const blocksPerSecond = deliver.blocks / deliver.seconds;
  return {
    blocksPerSecond,
    deliver,
    row: { read, blocks: deliver.blocks, seconds: deliver.seconds.toFixed(2), 'blocks/s': blocksPerSecond.toFixed(0), 'block MB/s': (deliver.bytes / 1e6 / deliver.seconds).toFixed(1), 'client CPU µs/block': perBlock(deliver.clientCpuMs), 'devnet CPU µs/block': perBlock(serverCpu0 === undefined || serverCpu1 === undefined ? undefined : serverCpu1 - serverCpu0) },
  };
}

/**
 * The first `count` blocks, one qscc GetBlockByNumber each (the bounded route's reads).
 * @param {import('@hyperledger/fabric-gateway').Network} network
 * @param {number} count
 */
async function verifyOverQscc(network, count) {
  const qscc = network.getContract('qscc');
  const t0 = process.hrtime.bigint();
  let previous;
  for (let n = 0n; n < BigInt(count); n++) {
    const block = common.Block.deserializeBinary(await qscc.evaluateTransaction('GetBlockByNumber', network.getName(), n.toString()));
    const outcome = checkLink(chainLinkOf(block), n, previous);
    if (!Buffer.isBuffer(outcome)) throw new Error(`block ${n}: ${outcome.reason}`);
    previous = outcome;
  }
  return { blocks: count, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

async function main() {
  const kind = targetKind(args.target);
  const loadBefore = loadAverage();
  const target = kind === 'fabric' ? await openTarget('fabric', { label: 'bench-verify', log: console.log }) : await startDevnet();
  const org = target.descriptor.orgs[0];
  const user = org?.users[0];
  if (!org || !user) throw new Error('the target has no user');
  const client = connectAs(target.descriptor, { mspId: org.mspId, user: user.name });
  try {
    const network = client.gateway.getNetwork(target.descriptor.channel);
    if (kind === 'devnet') await grow(network, BLOCKS);
    const pid = 'pid' in target ? target.pid : undefined;
    const who = { mspId: org.mspId, name: user.name };
    const first = await deliverRow(`Deliver stream, first read${kind === 'devnet' ? ' right after growth' : ''} (ledger-verification operation)`, pid, () => verifyOverDeliver(network, target.descriptor, who, 'first'));
    const rest = pid === undefined ? undefined : await atRest(pid);
    const again = await deliverRow(`Deliver stream again${kind === 'devnet' ? ', devnet at rest' : ''} (second read)`, pid, () => verifyOverDeliver(network, target.descriptor, who, 'at-rest'));
    const qscc = await verifyOverQscc(network, Math.min(QSCC_BLOCKS, first.deliver.blocks));
    console.log(`whole-chain verification on ${kind} (${os.cpus().length} CPUs, 1-min load average ${loadBefore.toFixed(1)} before, ${loadAverage().toFixed(1)} after)`);
    if (rest) console.log(`devnet ${rest.idle ? 'at rest' : 'still busy'} ${rest.seconds.toFixed(1)} s after the first read (${rest.cpuMs.toFixed(0)} ms of its CPU meanwhile: background work such as LevelDB compaction and GC)`);
    console.table([
      first.row,
      again.row,
      { read: 'qscc GetBlockByNumber per block (bounded route)', blocks: qscc.blocks, seconds: qscc.seconds.toFixed(2), 'blocks/s': (qscc.blocks / qscc.seconds).toFixed(0), 'block MB/s': '' },
    ]);
    const met = (/** @type {number} */ rate) => `${rate.toFixed(0)} blocks/s, ${rate >= 20000 ? 'met' : 'not met'}`;
    console.log(`target ≥ 20,000 blocks/s on the devnet: ${kind === 'devnet' ? `first read ${met(first.blocksPerSecond)}; at rest ${met(again.blocksPerSecond)}` : 'n/a (real Fabric: bounded by block fetch)'}`);
  } finally {
    client.close();
    await target.stop();
  }
}

(args.serve !== undefined ? serve(args.serve) : main()).catch((err) => {
  console.error(err);
  process.exit(1);
});
