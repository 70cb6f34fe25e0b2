#!/usr/bin/env node
/**
 * `npm run bench -- --target fabric`: the benchmarks' workloads against a REAL Fabric 2.5 network,
 * in one run: up → deploy → ledger (registerProduct / getProduct at 1, 10, 100 in flight) → bulk
 * commissioning (10,000 serials) → REST vs direct → whole-chain verification → upgrade to the probe chaincode under the same
 * definition (same endorsement policy, same peers) → trivial put → the project's cost relative to
 * it → down. Each step is a benchmark script with `--target fabric` (scripts/lib/target.js reads the
 * env and pid files `up` writes). Only one real network can run on a machine at a time (fixed
 * ports). Needs FABRIC_BIN (without it, says so and
 * succeeds, as test:fabric does). The work directory is HEALTHLEDGER_FABRIC_DIR, default
 * <tmp>/healthledger-bench-fabric; it is removed at the end.
 *
 * Usage: node scripts/bench-fabric.js [--quick]   (--quick: fewer calls and 1,000 serials)
 */
'use strict';
const { spawnSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { readJson } = require('./lib/json');
const { loadAverage } = require('./lib/machine');

const root = path.resolve(__dirname, '..');
const network = path.join(root, 'scripts', 'network.sh');
const probeChaincodeDir = path.join(root, 'network', 'devnet', 'test', 'fixtures', 'probe-chaincode');

/** @typedef {{ workload: string, op: string, 'in flight': number, '/s': string }} LedgerRow  part of a bench-ledger.js --json row */

/**
 * Runs one step with its output inherited; false when it failed.
 * @param {string} what
 * @param {string} command
 * @param {string[]} args
 * @param {NodeJS.ProcessEnv} env
 */
function run(what, command, args, env) {
  const started = Date.now();
  console.log(`\n=== ${what} (load ${loadAverage().toFixed(1)})`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`=== ${what}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return result.status === 0;
}

/**
 * The project's submits and evaluates per second relative to the trivial put's, row by row.
 * @param {LedgerRow[]} product
 * @param {LedgerRow[]} put
 */
function compare(product, put) {
  const rows = product.map((p) => {
    const q = put.find((r) => r.op === p.op && r['in flight'] === p['in flight']);
    const ratio = q ? Number(p['/s']) / Number(q['/s']) : NaN;
    return { op: p.op, 'in flight': p['in flight'], 'healthledger /s': p['/s'], 'trivial put /s': q?.['/s'] ?? 'n/a', ratio: ratio.toFixed(2), target: p.op === 'submit' ? `≥ 0.8: ${ratio >= 0.8 ? 'met' : 'not met'}` : '' };
  });
  console.log('\nThe project (trace:registerProduct / trace:getProduct) relative to a trivial put (probe:put / probe:get),');
  console.log('same network, same chaincode definition and endorsement policy, same client:');
  console.table(rows);
}

/** @typedef {{ serials: number, batch: number, inFlight: number, elapsedS: number, goalS: number, load: number }} BulkRun  bench-trace.js --json */

/**
 * The bulk commissioning figure, repeated after the ratio table so the run ends with both.
 * @param {BulkRun} bulk
 */
function summariseBulk(bulk) {
  const met = bulk.elapsedS <= bulk.goalS ? 'met' : 'not met';
  console.log(`\nBulk commissioning on real Fabric: ${bulk.serials} SGTINs in ${bulk.elapsedS.toFixed(2)} s (${Math.ceil(bulk.serials / bulk.batch)} transactions of ${bulk.batch}, ${bulk.inFlight} in flight; target ≤ ${bulk.goalS} s: ${met}; load ${bulk.load.toFixed(1)})`);
}

function main() {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, target: { type: 'string' } } });
  if (!process.env.FABRIC_BIN) {
    console.log('bench --target fabric skipped: FABRIC_BIN is not set, so there are no Fabric 2.5 binaries to run a real network.');
    return 0;
  }
  const workDir = process.env.HEALTHLEDGER_FABRIC_DIR || path.join(os.tmpdir(), 'healthledger-bench-fabric');
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'healthledger-bench-fabric-results-'));
  const env = { HEALTHLEDGER_FABRIC_DIR: workDir };
  const quick = values.quick ? ['--quick'] : [];
  const node = process.execPath;
  const bench = (/** @type {string} */ script) => path.join(root, 'scripts', script);
  const productJson = path.join(scratch, 'product.json');
  const putJson = path.join(scratch, 'put.json');
  const bulkJson = path.join(scratch, 'bulk.json');
  console.log(`benchmarks on real Fabric (${os.cpus().length} CPUs, load ${loadAverage().toFixed(1)}), work directory ${workDir}`);
  let ok = false;
  try {
    ok = run('network up', 'bash', [network, 'up'], env) && run('deploy chaincode', 'bash', [network, 'deploy'], env);
    ok = ok && run('ledger: registerProduct / getProduct', node, [bench('bench-ledger.js'), '--target', 'fabric', '--workload', 'product', '--json', productJson, ...quick], env);
    ok = ok && run('bulk commissioning', node, [bench('bench-trace.js'), '--target', 'fabric', '--json', bulkJson, ...quick], env);
    ok = ok && run('REST vs direct', node, [bench('bench-rest.js'), '--target', 'fabric', ...quick], env);
    // The chain is a few thousand blocks long by now: the whole of it, over one Deliver stream.
    ok = ok && run('whole-chain verification', node, [bench('bench-verify.js'), '--target', 'fabric', '--qscc', '200'], env);
    ok = ok && run('upgrade to the probe chaincode (trivial put)', 'bash', [network, 'upgrade', '--version', 'probe'], { ...env, HEALTHLEDGER_CHAINCODE_DIR: probeChaincodeDir });
    ok = ok && run('ledger: trivial put / get', node, [bench('bench-ledger.js'), '--target', 'fabric', '--workload', 'put', '--json', putJson, ...quick], env);
    if (ok) compare(readJson(productJson), readJson(putJson));
    if (ok) summariseBulk(readJson(bulkJson));
  } finally {
    run('network down', 'bash', [network, 'down'], env);
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`\nbench --target fabric: ${ok ? 'done' : 'FAILED'} (load ${loadAverage().toFixed(1)})`);
  return ok ? 0 : 1;
}

process.exit(main());
