#!/usr/bin/env node
/**
 * `npm run test:fabric`: the project against a REAL Fabric 2.5 network. First the conformance
 * suite (test/conformance) on a network of its own (scripts/test-conformance-fabric.js), then
 * up → deploy → e2e journeys → revocation (a new user's certificate refused by the peers once its
 * CRL is in the channel config, via `network.sh revoke-crl`) → upgrade → e2e journeys again →
 * down. Needs FABRIC_BIN (the Fabric binaries); without it, says it was skipped and why, and
 * succeeds. `npm test` never runs this. On failure the processes are stopped but the work directory stays, because the failure
 * messages point at its logs.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { JOURNEYS, REVOCATION } = require('./lib/journeys');
const { runConformanceOnFabric } = require('./test-conformance-fabric');

const root = path.resolve(__dirname, '..');
const network = path.join(root, 'scripts', 'network.sh');
const workDir = process.env.HEALTHLEDGER_FABRIC_DIR || path.join(root, 'network', 'fabric', 'work');

if (!process.env.FABRIC_BIN) {
  console.log('test:fabric skipped: FABRIC_BIN is not set, so there are no Fabric 2.5 binaries to run a real network.');
  console.log('Set FABRIC_BIN to the bin/ directory of a Fabric 2.5 release (and FABRIC_CFG_PATH to its config/) to run it.');
  process.exit(0);
}

/**
 * Runs one step with its output inherited; says how it went and how long it took.
 * @param {string} what
 * @param {string} command
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} [env]  added to the environment
 * @returns {boolean} whether it succeeded
 */
function run(what, command, args, env = {}) {
  const started = Date.now();
  console.log(`\n=== ${what}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, HEALTHLEDGER_FABRIC_DIR: workDir, ...env } });
  console.log(`=== ${what}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

/**
 * The user journeys, through one gateway per organisation configured from the env files `up` wrote.
 * @param {string} label
 */
function journeys(label) {
  return run(`e2e journeys (${label})`, 'npx', ['jest', '--runInBand', ...JOURNEYS], { HEALTHLEDGER_E2E_TARGET: 'fabric' });
}

// The conformance network uses the same ports: it runs, and is down again, before ours starts.
const conformance = runConformanceOnFabric();
let ok = false;
try {
  ok = run('network up', 'bash', [network, 'up']);
  ok = ok && run('deploy chaincode', 'bash', [network, 'deploy']);
  ok = ok && journeys('after deploy');
  ok = ok && run('revocation through the channel config (network.sh revoke-crl)', 'npx', ['jest', '--runInBand', REVOCATION], { HEALTHLEDGER_E2E_TARGET: 'fabric' });
  ok = ok && run('upgrade chaincode', 'bash', [network, 'upgrade', '--version', '1.1']);
  ok = ok && journeys('after upgrade');
} finally {
  if (ok) {
    run('network down', 'bash', [network, 'down']);
  } else {
    run('stopping the network (work directory kept)', 'bash', [network, 'stop']);
    console.log(`\ntest:fabric: the journeys FAILED. Logs of every node and step: ${path.join(workDir, 'logs')}`);
    console.log(`Remove the network with: HEALTHLEDGER_FABRIC_DIR=${workDir} bash scripts/network.sh down`);
  }
}
const counts = conformance.counts ? ` (${conformance.counts.passed} passed, ${conformance.counts.skipped} skipped, ${conformance.counts.failed} failed)` : '';
console.log(`\ntest:fabric: conformance ${conformance.outcome}${counts}; journeys ${ok ? 'passed' : 'failed'}`);
process.exit(ok && conformance.outcome === 'passed' ? 0 : 1);
