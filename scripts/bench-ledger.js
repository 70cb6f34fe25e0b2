#!/usr/bin/env node
// Ledger benchmark: committed submits and evaluates per second through the direct
// @hyperledger/fabric-gateway client at 1, 10 and 100 calls in flight, on the devnet (fresh, our
// chaincode) or on a real Fabric network (--target fabric, scripts/lib/target.js), with the CPU
// time per call of each component. Workloads:
//   product  the project's transactions: trace:registerProduct (a fresh GTIN per call) and
//            trace:getProduct, as the manufacturer
//   put      a trivial put: probe:put (one key, one value) and probe:get, of the probe chaincode
//            (network/devnet/test/fixtures/probe-chaincode) served under the consortium's
//            definition, so with the same endorsement policy on the same network (fabric only;
//            scripts/bench-fabric.js deploys it as an upgrade)
// Asserts only that every call succeeded. --json FILE also writes the rows (bench-fabric.js
// compares the two workloads).
//
// Usage: node scripts/bench-ledger.js [--target devnet|fabric] [--workload product|put] [--concurrency 1,10,100] [--calls N] [--quick] [--json FILE]
//   --calls  submits per row, at most 50 per call in flight (evaluates: four times as many;
//            default 600); --quick: 100
'use strict';

const { writeFileSync } = require('node:fs');
const os = require('node:os');
const { parseArgs } = require('node:util');

const { connectAs, untilChaincodeServes } = require('./lib/client');
const { loadAverage } = require('./lib/machine');
const { directRun, percentile } = require('./lib/measure');
const { MANUFACTURER, gtin14, productRequest } = require('./lib/products');
const { cpuMs } = require('./lib/roles');
const { openTarget, targetKind } = require('./lib/target');

/** @typedef {import('@hyperledger/fabric-gateway').Contract} Contract */
/** @typedef {(i: number) => Promise<unknown>} Call */
/** @typedef {{ submit: Call, evaluate: Call, prepare: () => Promise<void> }} Workload */

/** The command line (see Usage above). */
function options() {
  const { values } = parseArgs({
    options: {
      target: { type: 'string' },
      workload: { type: 'string', default: 'product' },
      concurrency: { type: 'string', default: '1,10,100' },
      calls: { type: 'string', default: '600' },
      json: { type: 'string' },
      quick: { type: 'boolean', default: false },
    },
  });
  /**
   * @param {string} name
   * @param {string | undefined} text
   */
  const int = (name, text) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name}: a positive integer, got ${text}`);
    return value;
  };
  /** @type {'put' | 'product' | undefined} */
  const workload = values.workload === 'put' || values.workload === 'product' ? values.workload : undefined;
  if (workload === undefined) throw new Error(`--workload: product or put, got ${values.workload}`);
  const target = targetKind(values.target);
  if (workload === 'put' && target !== 'fabric') throw new Error('--workload put needs the probe chaincode deployed: --target fabric (scripts/bench-fabric.js)');
  return { target, workload, concurrencies: String(values.concurrency).split(',').map((c) => int('concurrency', c)), calls: values.quick ? 100 : int('calls', values.calls), json: values.json };
}

/**
 * The workload's calls; every run starts from its own keys (a real network keeps earlier runs' state).
 * @param {'product' | 'put'} name
 * @param {Contract} contract
 * @returns {Workload}
 */
function workloadOf(name, contract) {
  const run = Date.now() % 1e6;
  let n = 0;
  if (name === 'put') {
    const key = `bench-${run}`;
    return {
      prepare: async () => void (await contract.submitTransaction('probe:put', key, 'x')),
      submit: () => contract.submitTransaction('probe:put', `${key}-${n++}`, 'value'),
      evaluate: () => contract.evaluateTransaction('probe:get', key),
    };
  }
  const gtin = () => gtin14(`095${String(run).padStart(6, '0')}${String(n++).padStart(4, '0')}`);
  const readGtin = gtin();
  return {
    prepare: async () => void (await contract.submitTransaction('trace:registerProduct', JSON.stringify(productRequest(readGtin)))),
    submit: () => contract.submitTransaction('trace:registerProduct', JSON.stringify(productRequest(gtin()))),
    evaluate: () => contract.evaluateTransaction('trace:getProduct', JSON.stringify({ gtin: readGtin })),
  };
}

/**
 * `calls` calls at `concurrency`, with rate, latencies and CPU per call (µs) of each component.
 * @param {Call} call
 * @param {number} calls
 * @param {number} concurrency
 * @param {() => Promise<Record<string, number | undefined>>} readCpu
 */
async function measured(call, calls, concurrency, readCpu) {
  const before = await readCpu();
  const run = await directRun(calls, concurrency, call);
  const after = await readCpu();
  const latencies = run.latencies.sort((a, b) => a - b);
  /** @type {Record<string, string>} */
  const cpu = {};
  for (const [k, ms] of Object.entries(after)) cpu[`${k} µs`] = ms === undefined || before[k] === undefined ? 'n/a' : (((ms - (before[k] ?? 0)) / calls) * 1000).toFixed(0);
  return { perSecond: calls / run.seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), cpu, load: loadAverage() };
}

async function main() {
  const { target: kind, workload: name, concurrencies, calls, json } = options();
  console.log(`ledger benchmark on the ${kind}, workload ${name}: ${calls} calls per row, in flight ${concurrencies.join(', ')} (${os.cpus().length} CPUs, load ${loadAverage().toFixed(1)})`);
  const target = await openTarget(kind, { label: 'bench-ledger', log: (line) => line.startsWith('issued ') || console.log(`  ${kind}: ${line}`) });
  const client = connectAs(target.descriptor, MANUFACTURER);
  try {
    const workload = workloadOf(name, client.contract);
    await untilChaincodeServes(workload.prepare); // also the warm-up: the peers dial the chaincode on first use
    const readCpu = async () => ({ ...(await target.cpu()), client: cpuMs() });
    const rows = [];
    for (const c of concurrencies) {
      for (const op of /** @type {const} */ (['submit', 'evaluate'])) {
        // Evaluates are cheap: more of them, so that each row lasts long enough to read.
        // One call in flight waits for each block: fewer of them, so that a row stays short.
        const n = Math.min(calls, 50 * c) * (op === 'evaluate' ? 4 : 1);
        const m = await measured(workload[op], n, c, readCpu);
        rows.push({ workload: name, op, 'in flight': c, '/s': m.perSecond.toFixed(1), 'p50 ms': m.p50.toFixed(1), 'p99 ms': m.p99.toFixed(1), ...m.cpu, 'load 1m': m.load.toFixed(1) });
      }
    }
    console.table(rows);
    console.log('CPU per call by component (µs): client = this process; the rest as the target reports it (devnet: its process and the chaincode server; fabric: all peers, all orderers, the chaincode server).');
    if (json) writeFileSync(json, JSON.stringify(rows, null, 2));
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
