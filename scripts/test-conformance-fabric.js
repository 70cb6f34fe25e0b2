#!/usr/bin/env node
/**
 * `npm run test:conformance:fabric`: the conformance suite (test/conformance) against a REAL
 * Fabric 2.5 network, with the same expectations as on the devnet.
 *
 * up (scripts/network.sh, for test/conformance/consortium.yaml, in a work directory of its own)
 * → deploy the probe chaincode as a chaincode service → jest test/conformance with
 * HEALTHLEDGER_CONFORMANCE_TARGET=fabric → pass/skip/fail counts → down.
 *
 * Needs FABRIC_BIN (the Fabric binaries); without it, says it was skipped and why, and succeeds.
 * `npm test` never runs this. On failure the processes are stopped but the work directory stays
 * (node logs, ledgers, the jest results), and the script says where.
 *
 * Also a module: `runConformanceOnFabric()` returns { outcome: 'skipped' | 'passed' | 'failed',
 * counts?, workDir }, for scripts/test-fabric.js. It uses the network's default ports (one real
 * network at a time per machine: `up` refuses to start when they are taken).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { readJson } = require('./lib/json');

const root = path.resolve(__dirname, '..');
const network = path.join(root, 'scripts', 'network.sh');
const consortiumFile = path.join(root, 'test', 'conformance', 'consortium.yaml');
const probeChaincodeDir = path.join(root, 'network', 'devnet', 'test', 'fixtures', 'probe-chaincode');

/** The work directory: HEALTHLEDGER_CONFORMANCE_FABRIC_DIR, else <tmp>/healthledger-conformance-fabric. */
function defaultWorkDir() {
  return process.env.HEALTHLEDGER_CONFORMANCE_FABRIC_DIR || path.join(os.tmpdir(), 'healthledger-conformance-fabric');
}

/**
 * Pass/skip/fail counts of the suite's tests; `failedSuites`: test files that failed to run.
 * @typedef {{ passed: number, skipped: number, failed: number, failedSuites?: number }} Counts
 */

/**
 * What {@link runConformanceOnFabric} reports.
 * @typedef {{ outcome: 'skipped' | 'passed' | 'failed', counts?: Counts, workDir: string }} ConformanceResult
 */

/**
 * The part of jest's `--json` results this script reads.
 * @typedef {object} JestResults
 * @property {number} numPassedTests
 * @property {number} numPendingTests
 * @property {number} numTodoTests
 * @property {number} numFailedTests
 * @property {number} numRuntimeErrorTestSuites
 */

/**
 * up → deploy the probe chaincode → the conformance suite → down (see above).
 * @param {{ workDir?: string }} [options]
 * @returns {ConformanceResult}
 */
function runConformanceOnFabric({ workDir = defaultWorkDir() } = {}) {
  if (!process.env.FABRIC_BIN) {
    console.log('conformance on Fabric skipped: FABRIC_BIN is not set, so there are no Fabric 2.5 binaries to run a real network.');
    console.log('Set FABRIC_BIN to the bin/ directory of a Fabric 2.5 release (and FABRIC_CFG_PATH to its config/) to run it.');
    return { outcome: 'skipped', workDir };
  }
  const env = {
    ...process.env,
    HEALTHLEDGER_FABRIC_DIR: workDir,
    HEALTHLEDGER_CONSORTIUM: consortiumFile,
    // deploy serves this module as the chaincode service instead of the healthledger chaincode.
    HEALTHLEDGER_CHAINCODE_DIR: probeChaincodeDir,
  };
  if (existsSync(path.join(workDir, 'network.env'))) {
    console.log(`conformance on Fabric FAILED: a previous run's network is still in ${workDir}.`);
    console.log(`Look at its logs in ${path.join(workDir, 'logs')}, then remove it with: HEALTHLEDGER_FABRIC_DIR=${workDir} bash scripts/network.sh down`);
    return { outcome: 'failed', workDir };
  }

  /**
   * Runs one step with its output inherited; says how it went and how long it took.
   * @param {string} what
   * @param {string} command
   * @param {string[]} args
   * @param {NodeJS.ProcessEnv} [extraEnv]
   */
  const run = (what, command, args, extraEnv = {}) => {
    const started = Date.now();
    console.log(`\n=== ${what}`);
    const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
    console.log(`=== ${what}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return result.status === 0;
  };

  const started = Date.now();
  const resultsFile = path.join(workDir, 'conformance-results.json');
  let ok = false;
  /** @type {Counts | undefined} */
  let counts;
  try {
    ok = run('network up (conformance consortium)', 'bash', [network, 'up']);
    ok = ok && run('deploy the probe chaincode as a service', 'bash', [network, 'deploy']);
    if (ok) {
      // One network for every test file: in band, so that one file's paused orderer or proposal
      // counts never meet another's transactions.
      ok = run('conformance suite on Fabric', 'npx', ['jest', '--runInBand', '--json', `--outputFile=${resultsFile}`, 'test/conformance'], {
        HEALTHLEDGER_CONFORMANCE_TARGET: 'fabric',
      });
      if (existsSync(resultsFile)) {
        /** @type {JestResults} */
        const results = readJson(resultsFile);
        counts = { passed: results.numPassedTests, skipped: results.numPendingTests + results.numTodoTests, failed: results.numFailedTests };
        // A suite that failed to load has no failed tests, only a failed suite.
        if (results.numRuntimeErrorTestSuites > 0) counts.failedSuites = results.numRuntimeErrorTestSuites;
      }
    }
  } finally {
    if (ok) {
      run('network down', 'bash', [network, 'down']);
    } else {
      run('stopping the network (work directory kept)', 'bash', [network, 'stop']);
    }
  }
  if (counts) {
    const suites = counts.failedSuites ? `, ${counts.failedSuites} suite(s) failed to run` : '';
    console.log(`\nconformance on Fabric: ${counts.passed} passed, ${counts.skipped} skipped, ${counts.failed} failed${suites} (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
  }
  if (!ok) {
    console.log(`\nconformance on Fabric FAILED. Logs of every node and step: ${path.join(workDir, 'logs')}${counts ? `; jest results: ${resultsFile}` : ''}`);
    console.log(`Remove the network with: HEALTHLEDGER_FABRIC_DIR=${workDir} bash scripts/network.sh down`);
  }
  return { outcome: ok ? 'passed' : 'failed', counts, workDir };
}

module.exports = { runConformanceOnFabric };

if (require.main === module) {
  process.exit(runConformanceOnFabric().outcome === 'failed' ? 1 : 0);
}
