'use strict';
/**
 * The benchmarks' devnet: the project's consortium with our chaincode served as a CaaS server,
 * exactly as `npm run devnet` starts it, in a fresh temporary directory on free ports, run in a
 * child process of the benchmark (this file, `--role devnet`) so that no client shares its event
 * loop. BENCH_TRACE_PROFILE=<dir> writes a CPU profile of the devnet process there.
 */
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { loadConsortium } = require('@healthledger/network');
const { Devnet } = require('@healthledger/network/devnet');
const { readJson } = require('./json');
const { freePort } = require('./machine');
const { answerCpuRequests, forkRole, send, stopRequested } = require('./roles');

/** @typedef {import('@healthledger/network/devnet').DevnetDescriptor} DevnetDescriptor */
/** @typedef {import('./roles').ReadyMessage & { descriptorPath: string }} DevnetReady */

/**
 * The devnet in a child process, once every peer serves.
 * @typedef {object} DevnetProcess
 * @property {string} descriptorPath  its devnet.json
 * @property {DevnetDescriptor} descriptor  the contents of devnet.json
 * @property {() => Promise<{ devnetMs: number, chaincodeMs: number | undefined }>} cpu
 *   the CPU time (ms) used so far by the devnet and by its chaincode server
 * @property {() => Promise<void>} stop
 */

/**
 * Starts the devnet of the project's consortium in a fresh temporary directory, on free ports,
 * with our chaincode as a CaaS server. Returns the devnet and a `close()` that stops it and
 * removes the directory.
 * @param {{ log?: (line: string) => void, label?: string }} [options]
 */
async function startBenchDevnet({ log = () => undefined, label = 'bench' } = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `healthledger-${label}-`));
  const consortium = loadConsortium();
  const cc = consortium.chaincode;
  const address = `127.0.0.1:${await freePort()}`;
  /** @type {import('@healthledger/network/devnet').Devnet} */
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

/** Child role `devnet`: {@link startBenchDevnet}, reporting progress and readiness over IPC. */
async function serveDevnet() {
  const bench = await startBenchDevnet({ label: process.env.BENCH_LABEL, log: (line) => send({ type: 'log', line }) });
  answerCpuRequests();
  send({ type: 'ready', descriptorPath: bench.devnet.descriptorPath });
  await stopRequested();
  await bench.close();
}

/**
 * The bench devnet in a child process; resolves with its descriptor once every peer serves.
 * @param {{ label: string, log?: (line: string) => void }} options
 * @returns {Promise<DevnetProcess>}
 */
async function startDevnetProcess({ label, log = () => undefined }) {
  const profileDir = process.env.BENCH_TRACE_PROFILE;
  const execArgv = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  /** @type {import('./roles').RoleChild<DevnetReady>} */
  const child = forkRole(__filename, 'devnet', { env: { BENCH_LABEL: label }, log, execArgv });
  try {
    const { descriptorPath } = await child.ready;
    const cpu = () => child.ask('cpu').then((m) => ({ devnetMs: m.ms, chaincodeMs: m.childrenMs }));
    /** @type {DevnetDescriptor} */
    const descriptor = readJson(descriptorPath);
    return { descriptorPath, descriptor, cpu, stop: child.stop };
  } catch (err) {
    await child.stop();
    throw err;
  }
}

module.exports = { startDevnetProcess };

if (require.main === module) {
  // Exit explicitly: a child keeps its IPC channel open, and nothing else is left to finish.
  serveDevnet().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
