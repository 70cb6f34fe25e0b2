#!/usr/bin/env node
// Traceability benchmark: commissions 10,000 serials end to end on the devnet (or, with
// --target fabric, on the real network scripts/network.sh runs: scripts/lib/target.js) through
// the real @hyperledger/fabric-gateway client, as the manufacturer identity, with the real
// chaincode (chaincode/dist) served as chaincode-as-a-service exactly as `npm run devnet` starts
// it. The bulk request is split by the trace contract's own batch planner and the batches are
// submitted concurrently (they write disjoint keys, so they cannot conflict). Prints progress and
// the elapsed time (targets on 2 cores: 3 s on the devnet, 10 s on real Fabric); asserts only correctness: one pack verifies
// and the lot counts every serial. Runs in a fresh temporary data directory, removed at the end.
//
// The devnet (and its chaincode server) runs in a child process of this script, the client in
// this one, as in bench-devnet.js. BENCH_TRACE_PROFILE=<dir> writes a CPU profile of the devnet
// process there.
//
// Usage: node scripts/bench-trace.js [--target devnet|fabric] [--serials N] [--batch N] [--concurrency N] [--quick] [--json FILE]
//   --target       devnet (default: a fresh one) or fabric (an existing network; a new product each run)
//   --serials      serials to commission (default 10000, the bulk maximum)
//   --batch        serials per transaction (default 250: smaller transactions pipeline better)
//   --concurrency  batches in flight at once (default: all of them)
//   --quick        1,000 serials (smoke run)
//   --json         also writes the run's figures to FILE (bench-fabric.js sums up from it)
//
// The devnet child, the client connection and the product data are in scripts/lib/, which
// bench-rest.js and bench-records.js share.
'use strict';

const { writeFileSync } = require('node:fs');
const os = require('node:os');
const { parseArgs } = require('node:util');

const { planCommissionBatches } = require('@healthledger/contract-api');
const { MAX_COMMISSION_PER_TX } = require('@healthledger/contract-api');
const { connectAs, untilChaincodeServes } = require('./lib/client');
const { parseJson } = require('./lib/json');
const { loadAverage } = require('./lib/machine');
const { MANUFACTURER, gtin14, productRequest } = require('./lib/products');
const { cpuMs } = require('./lib/roles');
const { openTarget, targetKind } = require('./lib/target');

/** @typedef {import('@hyperledger/fabric-gateway').Contract} Contract */
/** @typedef {import('@healthledger/contract-api').CommissionBulkRequest} CommissionBulkRequest */
/** @typedef {import('@healthledger/chaincode/trace/verification').Verification} Verification */
/** @typedef {{ holders: import('@healthledger/chaincode/trace/recall').LotHolder[] }} LotHolders  part of trace:recallHolders' answer */

/** Serials per transaction: measured faster than the contract's 2,000 maximum (more transactions in flight). */
const DEFAULT_BATCH = 250;

/**
 * JSON result of a transaction.
 * @template T  what the transaction returns
 * @param {Uint8Array} bytes
 * @returns {T}
 */
function json(bytes) {
  return parseJson(Buffer.from(bytes).toString('utf8'));
}

/**
 * Seconds since a `process.hrtime.bigint()` reading.
 * @param {bigint} sinceNs
 */
function seconds(sinceNs) {
  return Number(process.hrtime.bigint() - sinceNs) / 1e9;
}

/**
 * Plans and submits the bulk request, at most `concurrency` batches in flight, reporting each
 * commit. Resolves with the batches, their block numbers and the elapsed time.
 * @param {Contract} contract
 * @param {CommissionBulkRequest} bulk
 * @param {{ batchSize: number, concurrency: number, log: (line: string) => void }} options
 */
async function commissionBulk(contract, bulk, { batchSize, concurrency, log }) {
  const started = process.hrtime.bigint();
  const batches = planCommissionBatches(bulk, batchSize);
  const total = batches[batches.length - 1]?.total ?? 0;
  /** @type {Set<bigint>} */
  const blocks = new Set();
  let committed = 0;
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = /** @type {import('@healthledger/contract-api').CommissionBatch} */ (batches[next++]);
      const submitted = await contract.submitAsync('trace:commission', { arguments: [JSON.stringify(batch.request)] });
      const status = await submitted.getStatus();
      if (!status.successful) throw new Error(`commission batch at offset ${batch.offset}: transaction ${status.transactionId} invalid (code ${status.code})`);
      /** @type {{ count: number }} */
      const result = json(submitted.getResult());
      if (result.count !== batch.count) throw new Error(`commission batch at offset ${batch.offset}: committed ${result.count} of ${batch.count}`);
      blocks.add(status.blockNumber);
      committed += batch.count;
      log(`  committed ${String(committed).padStart(6)}/${total} serials (block ${status.blockNumber}, ${seconds(started).toFixed(2)} s)`);
    }
  };
  // A heartbeat: with every batch in flight, the first commit may take a while on a busy machine.
  const heartbeat = setInterval(() => log(`  … ${seconds(started).toFixed(0)} s: ${committed}/${total} serials committed`), 2000);
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
  } finally {
    clearInterval(heartbeat);
  }
  return { batches, total, blocks: blocks.size, elapsed: seconds(started) };
}

/**
 * Checks one pack and the lot's count; throws on any disagreement.
 * @param {Contract} contract
 * @param {CommissionBulkRequest} bulk
 * @param {number} total
 * @param {string} sample
 */
async function verifyCommissioning(contract, bulk, total, sample) {
  /** @type {Verification} */
  const verification = json(await contract.evaluateTransaction('trace:verify', JSON.stringify({ gtin: bulk.gtin, serial: sample, lot: bulk.lot, expiry: bulk.expiry })));
  if (!verification.authentic || verification.suspect || verification.owner !== MANUFACTURER.mspId || verification.status !== 'active') {
    throw new Error(`pack ${sample} does not verify: ${JSON.stringify(verification)}`);
  }
  /** @type {LotHolders} */
  const holders = json(await contract.evaluateTransaction('trace:recallHolders', JSON.stringify({ gtin: bulk.gtin, lot: bulk.lot })));
  const counted = holders.holders.reduce((sum, h) => sum + h.packs, 0);
  const owners = holders.holders.map((h) => h.owner).join(', ');
  if (counted !== total || owners !== MANUFACTURER.mspId) {
    throw new Error(`lot ${bulk.lot} counts ${counted} packs held by [${owners}], expected ${total} held by ${MANUFACTURER.mspId}`);
  }
  return { verification, counted };
}

/** The command line (see Usage above). */
function options() {
  const { values } = parseArgs({
    options: {
      serials: { type: 'string' },
      batch: { type: 'string' },
      concurrency: { type: 'string' },
      quick: { type: 'boolean', default: false },
      target: { type: 'string' },
      json: { type: 'string' },
    },
  });
  /**
   * @param {'serials' | 'batch' | 'concurrency'} name
   * @param {number} fallback
   */
  const int = (name, fallback) => {
    const value = values[name] === undefined ? fallback : Number(values[name]);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: a positive integer, got ${values[name]}`);
    return value;
  };
  const serials = int('serials', values.quick ? 1000 : 10_000);
  const batchSize = int('batch', Math.min(DEFAULT_BATCH, MAX_COMMISSION_PER_TX));
  return { serials, batchSize, concurrency: int('concurrency', Math.ceil(serials / batchSize)), target: targetKind(values.target), json: values.json };
}

async function main() {
  const { serials, batchSize, concurrency, target: kind, json: jsonFile } = options();
  /** @param {string} line */
  const log = (line) => console.log(line);
  console.log(`trace benchmark on the ${kind}: commission ${serials} serials, ${batchSize} per transaction, ${concurrency} in flight (${os.cpus().length} CPUs, load ${loadAverage().toFixed(1)})`);
  const t0 = process.hrtime.bigint();
  // Certificate issuance is one line per identity: progress, but noise in a benchmark report.
  const target = await openTarget(kind, { label: 'bench-trace', log: (line) => line.startsWith('issued ') || log(`  ${kind}: ${line}`) });
  const client = connectAs(target.descriptor, MANUFACTURER);
  try {
    log(`${kind} ready in ${seconds(t0).toFixed(1)} s`);
    // A real network keeps its state between runs: a product of its own per run there.
    const gtin = gtin14(kind === 'fabric' ? `09506${String(Date.now() % 1e8).padStart(8, '0')}` : '0950600013435');
    // Registering the product is also the warm-up: the peers dial the chaincode on first use.
    await untilChaincodeServes(async () => void (await client.contract.submitTransaction('trace:registerProduct', JSON.stringify(productRequest(gtin)))));
    log(`product ${gtin} registered by ${MANUFACTURER.user}@${MANUFACTURER.mspId}`);
    const bulk = { gtin, lot: 'BENCH-LOT-1', expiry: '2030-12-31', range: { prefix: 'BN', start: 1, count: serials } };
    /** @type {Record<string, number | undefined>} */
    const cpuBefore = { ...(await target.cpu()), client: cpuMs() };
    const run = await commissionBulk(client.contract, bulk, { batchSize, concurrency, log });
    /** @type {Record<string, number | undefined>} */
    const cpuAfter = { ...(await target.cpu()), client: cpuMs() };
    const sample = `BN${String(1 + Math.floor(serials / 2)).padStart(String(serials).length, '0')}`;
    log('verifying…');
    const { counted } = await verifyCommissioning(client.contract, bulk, run.total, sample);
    console.log(`pack ${gtin}/${sample}: authentic, active, owned by ${MANUFACTURER.mspId}; lot ${bulk.lot}: ${counted} packs`);
    console.table([
      {
        serials: run.total,
        transactions: run.batches.length,
        blocks: run.blocks,
        'in flight': Math.min(concurrency, run.batches.length),
        'elapsed s': run.elapsed.toFixed(2),
        'serials/s': (run.total / run.elapsed).toFixed(0),
        // The machine's 1-minute load average: a figure taken under load reads differently.
        'load 1m': loadAverage().toFixed(1),
      },
    ]);
    /** @param {string} k */
    const used = (k) => {
      const [before, after] = [cpuBefore[k], cpuAfter[k]];
      return after === undefined || before === undefined ? 'n/a' : `${((after - before) / 1000).toFixed(2)} s`;
    };
    const components = Object.keys(cpuAfter).map((k) => `${k} ${used(k)}`).join(', ');
    console.log(`CPU time while commissioning: ${components} (${os.cpus().length} CPUs, shared)`);
    const goal = kind === 'fabric' ? 10 : 3;
    console.log(`commissioning ${run.total} serials end to end on the ${kind}: ${run.elapsed.toFixed(2)} s (target ≤ ${goal} s on 2 cores)`);
    if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ target: kind, serials: run.total, batch: batchSize, inFlight: Math.min(concurrency, run.batches.length), elapsedS: run.elapsed, goalS: goal, load: loadAverage() }, null, 2));
  } finally {
    client.close();
    await target.stop();
  }
}

if (require.main === module) {
  options(); // rejects unknown flags before anything starts
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
