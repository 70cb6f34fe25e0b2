#!/usr/bin/env node
/**
 * `npm run test:fabric`: the end-to-end journeys against a REAL Fabric 2.5 network.
 * up → deploy → e2e journeys → upgrade → e2e journeys again → down. Needs FABRIC_BIN (the Fabric
 * binaries); without it, says it was skipped and why, and succeeds. `npm test` never runs this.
 * On failure the processes are stopped but the work directory stays, because the failure
 * messages point at its logs.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const network = path.join(root, 'scripts', 'network.sh');
const workDir = process.env.HEALTHLEDGER_FABRIC_DIR || path.join(root, 'network', 'fabric', 'work');

if (!process.env.FABRIC_BIN) {
  console.log('test:fabric skipped: FABRIC_BIN is not set, so there are no Fabric 2.5 binaries to run a real network.');
  console.log('Set FABRIC_BIN to the bin/ directory of a Fabric 2.5 release (and FABRIC_CFG_PATH to its config/) to run it.');
  process.exit(0);
}

function run(what, command, args, env = {}) {
  const started = Date.now();
  console.log(`\n=== ${what}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, HEALTHLEDGER_FABRIC_DIR: workDir, ...env } });
  console.log(`=== ${what}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

/**
 * The user journeys through one gateway per organisation, each configured from the env file `up`
 * wrote (test/e2e/external.ts): care (referral, emergency access, the auditor), supply and claims,
 * offline signing with a patient-held key, event resume across a gateway restart, erasure with
 * purge, idempotency. The other e2e files start a devnet of their own (smoke, authorization
 * matrix, malformed input, per-organisation gateways) or check the devnet's internals.
 */
const JOURNEYS = ['care', 'supply-and-claims', 'offline-signing', 'event-resume', 'erasure', 'idempotency'].map((name) => `test/e2e/${name}`);

function journeys(label) {
  return run(`e2e journeys (${label})`, 'npx', ['jest', '--runInBand', ...JOURNEYS], { HEALTHLEDGER_E2E_TARGET: 'fabric' });
}

let ok = false;
try {
  ok = run('network up', 'bash', [network, 'up']);
  ok = ok && run('deploy chaincode', 'bash', [network, 'deploy']);
  ok = ok && journeys('after deploy');
  ok = ok && run('upgrade chaincode', 'bash', [network, 'upgrade', '--version', '1.1']);
  ok = ok && journeys('after upgrade');
} finally {
  if (ok) {
    run('network down', 'bash', [network, 'down']);
  } else {
    run('stopping the network (work directory kept)', 'bash', [network, 'stop']);
    console.log(`\ntest:fabric FAILED. Logs of every node and step: ${path.join(workDir, 'logs')}`);
    console.log(`Remove the network with: HEALTHLEDGER_FABRIC_DIR=${workDir} bash scripts/network.sh down`);
  }
}
process.exit(ok ? 0 : 1);
