'use strict';
/**
 * The ledger a benchmark runs against (`--target devnet | fabric`), behind one shape: a
 * devnet.json-style descriptor the clients connect with, and the CPU time of each of its
 * components.
 *
 * - devnet: the bench devnet in a child process (scripts/lib/devnet-process.js), fresh each run.
 * - fabric: a real Fabric 2.5 network that `scripts/network.sh up` and `deploy` started in
 *   HEALTHLEDGER_FABRIC_DIR (default network/fabric/work). Its clients are configured exactly as
 *   the organisations' gateways are, from the `gateway/<MSP>.env` files `up` writes (peer
 *   endpoint, TLS CA, host override, identity directory); CPU time is read from /proc for the
 *   processes `up` and `deploy` recorded in `pids/` (peers, orderers, the chaincode server).
 *   The network is the caller's: a benchmark neither starts nor stops it.
 */
const { existsSync, readdirSync, readFileSync } = require('node:fs');
const path = require('node:path');

const { loadConsortium } = require('@healthledger/network');
const { startDevnetProcess } = require('./devnet-process');
const { processCpuMs } = require('./roles');

/** @typedef {import('@healthledger/network/devnet').DevnetDescriptor} DevnetDescriptor */
/** @typedef {'devnet' | 'fabric'} TargetKind */

/**
 * A ledger to benchmark.
 * @typedef {object} LedgerTarget
 * @property {TargetKind} kind
 * @property {DevnetDescriptor} descriptor  how clients connect (TLS fields set on Fabric)
 * @property {() => Promise<Record<string, number | undefined>>} cpu  CPU time (ms) used so far, by component
 * @property {() => Promise<void>} stop  stops what the target started (nothing on Fabric)
 * @property {Record<string, string>[]} gatewayEnvs  fabric: each organisation's gateway env file, by position of `descriptor.orgs`
 */

/** The real network's work directory, as scripts/network.sh resolves it. */
function fabricWorkDir() {
  return process.env.HEALTHLEDGER_FABRIC_DIR || path.resolve(__dirname, '..', '..', 'network', 'fabric', 'work');
}

/**
 * `KEY=value` lines of an env file.
 * @param {string} file
 * @returns {Record<string, string>}
 */
function readEnvFile(file) {
  /** @type {Record<string, string>} */
  const env = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1]) env[match[1]] = match[2] ?? '';
  }
  return env;
}

/**
 * The first file of a directory (a fabric-samples msp's signcerts/ or keystore/).
 * @param {string} dir
 */
function firstFile(dir) {
  const name = existsSync(dir) ? readdirSync(dir).sort()[0] : undefined;
  if (name === undefined) throw new Error(`no file in ${dir}`);
  return path.join(dir, name);
}

/**
 * The organisations of the consortium as a devnet.json-style descriptor of the real network,
 * from the gateway env files `up` wrote.
 * @param {string} workDir
 * @returns {{ descriptor: DevnetDescriptor, envs: Record<string, string>[] }}
 */
function fabricDescriptor(workDir) {
  const consortium = loadConsortium();
  const envs = consortium.organizations.map((org) => {
    const file = path.join(workDir, 'gateway', `${org.mspId}.env`);
    if (!existsSync(file)) throw new Error(`${file} is missing: bring a network up with scripts/network.sh up (HEALTHLEDGER_FABRIC_DIR=${workDir}) and deploy`);
    return readEnvFile(file);
  });
  const orgs = consortium.organizations.map((org, i) => {
    const env = envs[i] ?? {};
    const identityDir = env.FABRIC_IDENTITY_DIR ?? '';
    const users = org.users.map((u) => {
      const entry = readdirSync(identityDir).find((name) => name === u.name || name.startsWith(`${u.name}@`));
      if (entry === undefined) throw new Error(`no identity for ${u.name} in ${identityDir}`);
      const msp = path.join(identityDir, entry, 'msp');
      return { name: u.name, role: u.role, cert: firstFile(path.join(msp, 'signcerts')), key: firstFile(path.join(msp, 'keystore')) };
    });
    return {
      mspId: org.mspId,
      peerEndpoint: env.FABRIC_PEER_ENDPOINT ?? '',
      ...(env.FABRIC_TLS_CA_CERT ? { tlsCaCert: env.FABRIC_TLS_CA_CERT } : {}),
      ...(env.FABRIC_HOST_OVERRIDE ? { hostOverride: env.FABRIC_HOST_OVERRIDE } : {}),
      users,
    };
  });
  const first = envs[0] ?? {};
  const descriptor = { channel: first.FABRIC_CHANNEL ?? consortium.channel, chaincode: first.FABRIC_CHAINCODE ?? consortium.chaincode.name, orgs };
  return { descriptor: /** @type {DevnetDescriptor} */ (descriptor), envs };
}

/**
 * CPU time (ms) of the real network's processes, summed by kind (peers, orderers, chaincode),
 * from the pid files `up`/`deploy` wrote (`<host name>.pid`, `chaincode.pid`).
 * @param {string} workDir
 */
function fabricCpu(workDir) {
  const dir = path.join(workDir, 'pids');
  /** @type {Record<string, number>} */
  const cpu = { peers: 0, orderers: 0, chaincode: 0 };
  for (const file of existsSync(dir) ? readdirSync(dir) : []) {
    if (!file.endsWith('.pid')) continue;
    const name = file.slice(0, -'.pid'.length);
    const kind = name === 'chaincode' ? 'chaincode' : name.startsWith('orderer') ? 'orderers' : name.startsWith('peer') ? 'peers' : undefined;
    if (!kind) continue;
    const ms = processCpuMs(Number(readFileSync(path.join(dir, file), 'utf8').trim()));
    cpu[kind] = (cpu[kind] ?? 0) + (ms ?? 0);
  }
  return cpu;
}

/**
 * Opens the target a benchmark runs against.
 * @param {TargetKind} kind
 * @param {{ label: string, log?: (line: string) => void }} options
 * @returns {Promise<LedgerTarget>}
 */
async function openTarget(kind, { label, log = () => undefined }) {
  if (kind === 'fabric') {
    const workDir = fabricWorkDir();
    const { descriptor, envs } = fabricDescriptor(workDir);
    log(`real Fabric network in ${workDir}: channel ${descriptor.channel}, chaincode ${descriptor.chaincode}`);
    return { kind, descriptor, gatewayEnvs: envs, cpu: () => Promise.resolve(fabricCpu(workDir)), stop: () => Promise.resolve() };
  }
  const devnet = await startDevnetProcess({ label, log });
  return {
    kind,
    descriptor: devnet.descriptor,
    gatewayEnvs: [],
    cpu: async () => {
      const { devnetMs, chaincodeMs } = await devnet.cpu();
      return { devnet: devnetMs, chaincode: chaincodeMs };
    },
    stop: devnet.stop,
  };
}

/**
 * `--target` of a benchmark's command line.
 * @param {string | undefined} value
 * @returns {TargetKind}
 */
function targetKind(value) {
  if (value === undefined || value === 'devnet') return 'devnet';
  if (value === 'fabric') return 'fabric';
  throw new Error(`--target: devnet or fabric, got ${value}`);
}

module.exports = { openTarget, targetKind, fabricWorkDir };
