#!/usr/bin/env node
/**
 * The multi-host proof on one Linux machine: every peer, the orderer(s), the chaincode server and
 * each organisation's REST gateway run in a network namespace of their own, with their own IPv4
 * address on a bridge, so that nothing can reach another over loopback.
 *
 *   node scripts/test-fabric-hosts.js [--orderers N]      (as root; after npm run build, or it builds)
 *
 * namespaces (scripts/netns-hosts.sh create) → up --hosts FILE --netns → deploy → every
 * organisation's gateway started in its namespace (network.sh gateway start) → check that every
 * process listens on its own address only → the e2e journeys through those gateways by URL
 * (HEALTHLEDGER_E2E_GATEWAYS; event resume stops and starts Hospital 1's gateway process in its
 * namespace) → each gateway's log shows it served them → upgrade → the journeys again → down →
 * namespaces destroyed.
 *
 * Opt-in like test:fabric: needs FABRIC_BIN (without it, says it was skipped and succeeds) and
 * root (ip netns). `npm test` never runs this. On failure the processes are stopped and the
 * namespaces removed, but the work directory stays, because the failure messages point at its logs.
 * Work directory: HEALTHLEDGER_FABRIC_DIR, default <tmp>/healthledger-fabric-hosts; hosts file
 * beside it (<work dir>.hosts).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { JOURNEYS } = require('./lib/journeys');

const root = path.resolve(__dirname, '..');
const network = path.join(root, 'scripts', 'network.sh');
const netnsHosts = path.join(root, 'scripts', 'netns-hosts.sh');
const workDir = path.resolve(process.env.HEALTHLEDGER_FABRIC_DIR || path.join(os.tmpdir(), 'healthledger-fabric-hosts'));
const hostsFile = `${workDir}.hosts`;
const gatewaysFile = path.join(workDir, 'e2e-gateways.json');
/** Must match PREFIX in scripts/netns-hosts.sh and NETNS_NAME_PREFIX in scripts/network.sh. */
const NETNS_PREFIX = 'hl-';

const { values: options } = parseArgs({ options: { orderers: { type: 'string', default: '1' } } });
const ordererFlags = ['--orderers', options.orderers];

if (!process.env.FABRIC_BIN) {
  console.log('test-fabric-hosts skipped: FABRIC_BIN is not set, so there are no Fabric 2.5 binaries to run a real network.');
  console.log('Set FABRIC_BIN to the bin/ directory of a Fabric 2.5 release (and FABRIC_CFG_PATH to its config/) to run it.');
  process.exit(0);
}
if (process.getuid?.() !== 0) {
  console.log('test-fabric-hosts FAILED: network namespaces need root (ip netns). Run it as root, e.g. sudo -E node scripts/test-fabric-hosts.js');
  process.exit(1);
}
if (existsSync(path.join(workDir, 'network.env'))) {
  console.log(`test-fabric-hosts FAILED: a previous run's network is still in ${workDir}.`);
  console.log(`Look at its logs in ${path.join(workDir, 'logs')}, then remove it with: HEALTHLEDGER_FABRIC_DIR=${workDir} bash scripts/network.sh down`);
  if (existsSync(hostsFile)) console.log(`and its namespaces with: bash scripts/netns-hosts.sh destroy --file ${hostsFile}`);
  process.exit(1);
}
if (existsSync(hostsFile)) {
  console.log(`test-fabric-hosts FAILED: ${hostsFile} exists, so its namespaces may too (an earlier run, or someone else's).`);
  console.log(`Remove them with: bash scripts/netns-hosts.sh destroy --file ${hostsFile}`);
  process.exit(1);
}

// A Ctrl-C reaches the running step too, which fails; handling it here (instead of dying at once)
// lets the clean-up below stop the processes and remove the namespaces.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);

const started = Date.now();
const env = { ...process.env, HEALTHLEDGER_FABRIC_DIR: workDir };

/**
 * Runs one step with its output inherited; says how it went and how long it took.
 * @param {string} what
 * @param {string} command
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} [extraEnv]  added to the environment
 * @returns {boolean} whether it succeeded
 */
function run(what, command, args, extraEnv = {}) {
  const t0 = Date.now();
  console.log(`\n=== ${what}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
  console.log(`=== ${what}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

/**
 * KEY=value lines of an env file `up` wrote.
 * @param {string} file
 * @returns {Record<string, string>}
 */
function envFile(file) {
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line) => {
        const [, key, value] = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim()) ?? [];
        return key !== undefined && value !== undefined ? [/** @type {const} */ ([key, value])] : [];
      }),
  );
}

/**
 * Host name → IPv4 address, from the hosts file netns-hosts.sh wrote.
 * @param {string} file
 * @returns {{ ip: string, host: string }[]}
 */
function hostsOf(file) {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim().split(/\s+/))
    .flatMap(([ip, host]) => (ip !== undefined && host !== undefined ? [{ ip, host }] : []));
}

/**
 * The environment the gateways get beyond their env files: the HS256 secret every gateway verifies
 * (the journeys issue their tokens with it, as one identity provider would), a rate limit the
 * journeys never hit.
 */
const gatewayEnv = { HEALTHLEDGER_JWT_SECRET: randomBytes(32).toString('base64url'), HEALTHLEDGER_RATE_LIMIT: '1000000' };

/** The gateways file of test/e2e/external.ts: each organisation's gateway URL, from its env file. */
function writeGatewaysFile() {
  const gatewayDir = path.join(workDir, 'gateway');
  /** @type {Record<string, string>} */
  const gateways = {};
  for (const file of readdirSync(gatewayDir).filter((f) => f.endsWith('.env'))) {
    const vars = envFile(path.join(gatewayDir, file));
    if (!vars.HOST || !vars.PORT) throw new Error(`${file} names no HOST/PORT: was the network brought up with --hosts?`);
    gateways[path.basename(file, '.env')] = `http://${vars.HOST}:${vars.PORT}`;
  }
  writeFileSync(gatewaysFile, JSON.stringify({ gateways, env: gatewayEnv, control: ['bash', network, 'gateway'] }, null, 2), { mode: 0o600 });
  for (const [msp, url] of Object.entries(gateways)) console.log(`  ${msp.padEnd(18)} ${url}`);
  return true;
}

/**
 * Every TCP socket listening in every namespace is bound to that namespace's own address: no
 * wildcard, no loopback. A process that kept a loopback default would show here even if nothing
 * happened to dial it.
 */
function checkListeners() {
  let ok = true;
  for (const { ip, host } of hostsOf(hostsFile)) {
    const result = spawnSync('ip', ['netns', 'exec', `${NETNS_PREFIX}${host}`, 'ss', '-Hltn'], { encoding: 'utf8' });
    if (result.status !== 0) {
      console.log(`  ${host}: ss failed: ${result.stderr.trim()}`);
      ok = false;
      continue;
    }
    const locals = result.stdout
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.trim().split(/\s+/)[3] ?? '');
    const foreign = locals.filter((a) => !a.startsWith(`${ip}:`));
    console.log(`  ${host.padEnd(36)} ${ip.padEnd(12)} listens on ${locals.join(', ') || '(nothing)'}${foreign.length ? '  <-- not its own address' : ''}`);
    if (locals.length === 0 || foreign.length > 0) ok = false;
  }
  return ok;
}

/**
 * The journeys reached the gateways in the namespaces, not gateways of their own: each gateway's
 * log (network.sh gateway start, info level) records the requests it completed.
 */
function checkGatewaysServed() {
  let ok = true;
  for (const { host } of hostsOf(hostsFile).filter((h) => h.host.startsWith('gateway.'))) {
    const log = path.join(workDir, 'logs', `${host}.log`);
    const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n') : [];
    const served = lines.filter((l) => l.includes('"request completed"')).length;
    // Hospital 1's was stopped and started again by the event-resume journey: twice.
    const starts = lines.filter((l) => l.includes('Server listening at')).length;
    console.log(`  ${host.padEnd(36)} ${served} requests completed, started ${starts} time(s)`);
    if (served === 0) ok = false;
  }
  return ok;
}

/**
 * Runs one check in this process; says how it went and how long it took.
 * @param {string} what
 * @param {() => boolean} fn
 * @returns {boolean} whether it passed
 */
function step(what, fn) {
  const t0 = Date.now();
  console.log(`\n=== ${what}`);
  let ok = false;
  try {
    ok = fn();
  } catch (err) {
    console.log(err instanceof Error ? err.message : err);
  }
  console.log(`=== ${what}: ${ok ? 'ok' : 'FAILED'} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return ok;
}

// The same journeys as scripts/test-fabric.js (scripts/lib/journeys.js), through the gateways running in their namespaces.

/** @param {string} label */
function journeys(label) {
  return run(`e2e journeys through the gateways' own hosts (${label})`, 'npx', ['jest', '--runInBand', ...JOURNEYS], {
    HEALTHLEDGER_E2E_TARGET: 'fabric',
    HEALTHLEDGER_E2E_GATEWAYS: gatewaysFile,
  });
}

let ok = false;
let namespaces = false;
try {
  ok = run('build', 'npm', ['run', 'build', '--silent']);
  namespaces = ok;
  ok = ok && run('network namespaces, one per host', 'bash', [netnsHosts, 'create', '--file', hostsFile, ...ordererFlags]);
  ok = ok && run('network up, each node in its namespace', 'bash', [network, 'up', '--hosts', hostsFile, '--netns', ...ordererFlags]);
  ok = ok && run('deploy chaincode (server in its namespace)', 'bash', [network, 'deploy']);
  ok = ok && run("start each organisation's gateway in its namespace", 'bash', [network, 'gateway', 'start'], gatewayEnv);
  ok = ok && step('gateways file for the journeys', writeGatewaysFile);
  ok = ok && step('every process listens on its own address only', checkListeners);
  ok = ok && journeys('after deploy');
  ok = ok && step("the journeys went through every organisation's gateway", checkGatewaysServed);
  ok = ok && run('upgrade chaincode', 'bash', [network, 'upgrade', '--version', '1.1']);
  ok = ok && journeys('after upgrade');
  ok = ok && run('stop the gateways', 'bash', [network, 'gateway', 'stop']);
} finally {
  if (ok) {
    ok = run('network down', 'bash', [network, 'down']);
  } else {
    run('stopping the network and gateways (work directory kept)', 'bash', [network, 'stop']);
  }
  if (namespaces && existsSync(hostsFile)) {
    const destroyed = run('remove the network namespaces', 'bash', [netnsHosts, 'destroy', '--file', hostsFile]);
    if (!destroyed) console.log(`Remove them once nothing runs in them: bash scripts/netns-hosts.sh destroy --file ${hostsFile}`);
    ok = ok && destroyed;
  }
  if (!ok) {
    console.log(`\ntest-fabric-hosts FAILED after ${((Date.now() - started) / 1000).toFixed(0)} s. Logs of every node, gateway and step: ${path.join(workDir, 'logs')}`);
    if (existsSync(path.join(workDir, 'network.env'))) {
      console.log(`Remove the network with: HEALTHLEDGER_FABRIC_DIR=${workDir} bash scripts/network.sh down`);
    }
  } else {
    console.log(`\ntest-fabric-hosts passed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  }
}
process.exit(ok ? 0 : 1);
