#!/usr/bin/env node
// Record writes through the REST gateway on the devnet, as a hospital's clinician:
//   create = POST /records: two ledger transactions (the content staged by the custodian alone,
//            then the public entry endorsed by two organisations without the content)
//   amend  = POST /records/:id/versions: one transaction (custodian-only, content as transient)
// The amend row is the one-transaction reference for the cost of staging. Prints a table;
// asserts only that every call succeeded.
//
// The devnet and the gateway each run in a child process (scripts/lib/devnet-process.js and
// scripts/lib/gateway-process.js, as `npm start` runs the gateway); this process only sends HTTP.
//
// Usage: node scripts/bench-records.js [--calls N] [--concurrency N] [--quick]
//   --quick        a tenth of the calls (smoke run), as the other benchmarks take it from `npm run bench -- --quick`
'use strict';

const { randomBytes } = require('node:crypto');
const os = require('node:os');
const { parseArgs } = require('node:util');

const { issueToken } = require('@healthledger/gateway/auth/tokens');
const { startDevnetProcess } = require('./lib/devnet-process');
const { forkGateway } = require('./lib/gateway-process');
const { directRun, percentile } = require('./lib/measure');
const CLINICIAN = { name: 'clinician1', mspId: 'Hospital1MSP' };
const PATIENT = 'pt-0c5f1a9e';

/** The command line (see Usage above). */
function options() {
  const { values } = parseArgs({
    options: { calls: { type: 'string' }, concurrency: { type: 'string', default: '10' }, quick: { type: 'boolean', default: false } },
  });
  const calls = values.calls === undefined ? (values.quick ? 30 : 300) : Number(values.calls);
  return { calls, concurrency: Number(values.concurrency) };
}

/**
 * A synthetic record body of about 1 KiB (no real data).
 * @param {number} i
 */
function content(i) {
  return { resourceType: 'Observation', status: 'final', code: { text: `bench ${i}` }, note: [{ text: 'x'.repeat(900) }] };
}

/**
 * Runs `call(i)` for i in [0, calls) with `concurrency` in flight; rate per second and latencies in ms.
 * @param {number} calls
 * @param {number} concurrency
 * @param {(i: number) => Promise<void>} call
 */
async function drive(calls, concurrency, call) {
  const { latencies, count, seconds } = await directRun(calls, concurrency, call);
  latencies.sort((a, b) => a - b);
  return { perSecond: count / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

async function main() {
  const { calls, concurrency } = options();
  /** @param {string} line */
  const log = (line) => console.log(line);
  log(`Record writes through the REST gateway (${os.cpus().length} CPUs): ${calls} calls per row, concurrency 1 and ${concurrency}`);
  const secret = randomBytes(32).toString('hex');
  /** @type {(() => Promise<void>)[]} */
  const stops = [];
  try {
    const devnet = await startDevnetProcess({ label: 'bench-records' });
    stops.push(devnet.stop);
    const gateway = forkGateway({ env: { HEALTHLEDGER_DEVNET: devnet.descriptorPath, HEALTHLEDGER_JWT_SECRET: secret } });
    stops.push(gateway.stop);
    const { url } = await gateway.ready;
    const headers = { authorization: `Bearer ${await issueToken(secret, CLINICIAN, 3600)}`, 'content-type': 'application/json' };
    /**
     * @param {string} route
     * @param {unknown} body
     * @param {number} expected  the status that means success
     */
    const post = async (route, body, expected) => {
      const res = await fetch(`${url}${route}`, { method: 'POST', headers, body: JSON.stringify(body) });
      if (res.status !== expected) throw new Error(`POST ${route}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const run = randomBytes(4).toString('hex');
    /** @param {number} i */
    const id = (i) => `bench-${run}-${i}`;
    /** @param {number} i */
    const create = (i) => post('/records', { recordId: id(i), patientRef: PATIENT, category: 'lab-result', content: content(i) }, 201);
    /** @param {number} i */
    const amend = (i) => post(`/records/${id(i)}/versions`, { content: content(i + 1) }, 201);

    // Warm-up, unmeasured: JIT, connections, plan caches.
    await drive(50, concurrency, (i) => create(1_000_000 + i));
    const rows = [];
    let offset = 0;
    for (const inFlight of [1, concurrency]) {
      const base = offset;
      const created = await drive(calls, inFlight, (i) => create(base + i));
      const amended = await drive(calls, inFlight, (i) => amend(base + i));
      rows.push({ inFlight, created, amended });
      offset += calls;
    }
    /** @param {number} n */
    const fmt = (n) => (Number.isFinite(n) ? n.toFixed(1) : '–');
    log('');
    log('| in flight | create (2 tx) /s | create p50 / p99 ms | amend (1 tx) /s | amend p50 / p99 ms |');
    log('|---|---|---|---|---|');
    for (const r of rows) {
      log(`| ${r.inFlight} | ${fmt(r.created.perSecond)} | ${fmt(r.created.p50)} / ${fmt(r.created.p99)} | ${fmt(r.amended.perSecond)} | ${fmt(r.amended.p50)} / ${fmt(r.amended.p99)} |`);
    }
  } finally {
    for (const stop of stops.reverse()) await stop();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
