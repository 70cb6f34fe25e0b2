#!/usr/bin/env node
// Memory under the heaviest requests: `npm start`'s system (gateway/src/local.ts: the devnet in a
// worker thread with its default heap bounds, network/devnet/thread/limits.ts; the chaincode
// server; the REST gateway), fresh, in a child process, driven through its REST API and the direct
// client, one phase after another:
//   bulk     POST /packs/commission-bulk: 10,000 SGTINs in one request (the bulk maximum)
//   content  4 MiB documents (the largest record content the API takes): uploads, 4 in flight, and one read back
//   grow     committed submits (trace:registerProduct, direct client, 50 in flight) to lengthen the chain
//   verify   POST /ledger/verification with Prefer: respond-async: the whole chain over one Deliver stream
// Prints, per phase, its time and the process's highest RSS meanwhile (gateway and devnet threads
// together; the chaincode server is a process of its own), what that RSS was made of (V8 heap and
// external memory of each thread, native memory, files; scripts/lib/memory-composition.js), and the devnet thread's highest heap in
// use against its limit (the headroom left before the bound would end the process). Asserts only that every request
// succeeded and that the system still serves at the end: a devnet thread that reached its heap
// bound ends the process (its reason on stderr), and the benchmark with it, non-zero.
//
// HEALTHLEDGER_DEVNET_OLD_SPACE_MB / _YOUNG_SPACE_MB (limits.ts) reach the system as they do
// `npm start`; NODE_OPTIONS reaches both processes.
//
// Usage: node scripts/bench-memory.js [--grow N] [--quick]
//   --grow   submits of the grow phase (default 10000)
//   --quick  1,000 serials, two documents, 1,000 submits (smoke run)
'use strict';

const { randomBytes } = require('node:crypto');
const os = require('node:os');
const { parseArgs } = require('node:util');

const { devnetHeapLimits } = require('@healthledger/network/devnet/thread');
const { issueToken } = require('@healthledger/gateway/auth/tokens');
const { connectAs, untilChaincodeServes } = require('./lib/client');
const { forkSystem } = require('./lib/gateway-process');
const { parseJson, readJson } = require('./lib/json');
const { compositionRow } = require('./lib/memory-composition');
const { loadAverage, rssMb } = require('./lib/machine');
const { directRun } = require('./lib/measure');
const { MANUFACTURER, gtin14, productRequest } = require('./lib/products');

const CLINICIAN = { mspId: 'Hospital1MSP', user: 'clinician1' };
const AUDITOR = { mspId: 'Hospital1MSP', user: 'auditor1' };
const PATIENT_REF = 'pt-0c5f1a9e';
const MIB = 1024 * 1024;

/**
 * Runs one phase while sampling the system's RSS every 100 ms.
 * @param {number | undefined} pid
 * @param {() => Promise<string>} run  resolves with a note on what it did
 */
async function phase(pid, run) {
  let peak = rssMb(pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 100);
  const t0 = process.hrtime.bigint();
  try {
    const note = await run();
    return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, peakRss: Math.max(peak, rssMb(pid)), note };
  } finally {
    clearInterval(sampler);
  }
}

/**
 * A REST client with one bearer token per user.
 * @param {string} url
 * @param {string} secret
 */
function restClient(url, secret) {
  /** @type {Map<string, string>} */
  const tokens = new Map();
  /**
   * @param {{ mspId: string, user: string }} who
   * @param {string} method
   * @param {string} path
   * @param {{ json?: unknown, body?: Buffer, type?: string, headers?: Record<string, string>, expect: number }} options
   */
  return async function call(who, method, path, { json, body, type, headers = {}, expect }) {
    let token = tokens.get(who.user);
    if (!token) tokens.set(who.user, (token = await issueToken(secret, { name: who.user, mspId: who.mspId }, 3600)));
    /** @type {Record<string, string>} */
    const sent = { authorization: `Bearer ${token}`, ...headers };
    if (json !== undefined || type) sent['content-type'] = type ?? 'application/json';
    const res = await fetch(`${url}${path}`, { method, headers: sent, body: json === undefined ? body : JSON.stringify(json) });
    const bytes = Buffer.from(await res.arrayBuffer());
    if (res.status !== expect) throw new Error(`${method} ${path}: ${res.status} (expected ${expect}): ${bytes.toString('utf8', 0, 300)}`);
    return { res, bytes };
  };
}

/**
 * A document of `bytes` random bytes opening with a PDF's signature (the content check wants it).
 * @param {number} bytes
 */
function pdfOf(bytes) {
  const doc = randomBytes(bytes);
  doc.write('%PDF-1.7\n', 0, 'latin1');
  return doc;
}

async function main() {
  const { values } = parseArgs({ options: { grow: { type: 'string' }, quick: { type: 'boolean', default: false } } });
  const quick = Boolean(values.quick);
  const serials = quick ? 1000 : 10_000;
  const documents = quick ? 2 : 8;
  const grow = Number(values.grow ?? (quick ? 1000 : 10_000));
  if (!Number.isInteger(grow) || grow < 0) throw new Error(`--grow: a whole number, got ${values.grow}`);

  const secret = randomBytes(32).toString('hex');
  const system = forkSystem({ env: { HEALTHLEDGER_JWT_SECRET: secret }, log: () => undefined });
  // A system that dies mid-phase fails the phase's requests; say why here too.
  void system.exited.then((code) => code !== 0 && console.error(`npm start's system exited with code ${code}`));
  /** @type {ReturnType<typeof connectAs> | undefined} */
  let client;
  try {
    const { url, descriptorPath } = await system.ready;
    const call = restClient(url, secret);
    /** @typedef {{ id: string, status: string, result?: unknown }} Operation */
    /**
     * Polls an operation until it has ended; resolves with its last view.
     * @param {{ mspId: string, user: string }} who
     * @param {Operation} operation
     * @returns {Promise<Operation>}
     */
    const finished = async (who, operation) => {
      while (operation.status === 'accepted' || operation.status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 200));
        operation = parseJson((await call(who, 'GET', `/operations/${operation.id}`, { expect: 200 })).bytes.toString('utf8'));
      }
      return operation;
    };
    client = connectAs(readJson(descriptorPath), MANUFACTURER);
    const contract = client.contract;
    const gtin = gtin14('0950601000001');
    await untilChaincodeServes(async () => void (await contract.submitTransaction('trace:registerProduct', JSON.stringify(productRequest(gtin)))));
    const started = rssMb(system.pid);

    /** @type {Record<string, string | number>[]} */
    const rows = [];
    /** @type {Record<string, Record<string, number>>} */
    const compositions = {};
    /**
     * @param {string} name
     * @param {() => Promise<string>} run
     */
    const record = async (name, run) => {
      await system.ask('memory'); // starts the system's own sampling of this phase over
      const r = await phase(system.pid, run);
      compositions[name] = compositionRow((await system.ask('memory')).composition);
      rows.push({ phase: name, what: r.note, seconds: r.seconds.toFixed(1), 'highest RSS MB': r.peakRss.toFixed(0), 'load 1m': loadAverage().toFixed(1) });
      console.log(`  ${name}: ${r.seconds.toFixed(1)} s, highest RSS ${r.peakRss.toFixed(0)} MB`);
    };

    await record('bulk', async () => {
      // As an operation (Prefer: respond-async): the gateway answers a bulk this large that way anyway.
      const body = { gtin, lot: 'MEM1', expiry: '2030-06-30', range: { prefix: 'M', start: 1, count: serials } };
      const { bytes } = await call(MANUFACTURER, 'POST', '/packs/commission-bulk', { json: body, headers: { prefer: 'respond-async' }, expect: 202 });
      const done = await finished(MANUFACTURER, parseJson(bytes.toString('utf8')));
      if (done.status !== 'succeeded') throw new Error(`bulk commissioning ended ${JSON.stringify(done).slice(0, 300)}`);
      return `${serials} SGTINs in one POST /packs/commission-bulk (its operation)`;
    });

    await record('content', async () => {
      const ids = Array.from({ length: documents }, (_, i) => `mem-${Date.now().toString(36)}-${i}`);
      let next = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          for (let id = ids[next++]; id !== undefined; id = ids[next++]) {
            const query = `patientRef=${PATIENT_REF}&category=other`;
            await call(CLINICIAN, 'PUT', `/records/${id}/content?${query}`, { body: pdfOf(4 * MIB), type: 'application/pdf', expect: 201 });
          }
        }),
      );
      const first = ids[0] ?? '';
      await call(CLINICIAN, 'POST', `/records/${first}/access`, { json: { purpose: 'TREAT' }, expect: 201 });
      const { bytes } = await call(CLINICIAN, 'GET', `/records/${first}/content`, { expect: 200 });
      if (bytes.length !== 4 * MIB) throw new Error(`read back ${bytes.length} bytes, not ${4 * MIB}`);
      return `${documents} uploads of 4 MiB (4 in flight), one read back`;
    });

    await record('grow', async () => {
      let n = 0;
      const run = await directRun(grow, 50, () => contract.submitTransaction('trace:registerProduct', JSON.stringify(productRequest(gtin14(`0950602${String(n++).padStart(6, '0')}`)))));
      return `${run.count} committed submits, 50 in flight`;
    });

    await record('verify', async () => {
      const { bytes } = await call(AUDITOR, 'POST', '/ledger/verification', { json: {}, headers: { prefer: 'respond-async' }, expect: 202 });
      const operation = /** @type {Operation & { result?: { valid: boolean, checkedBlocks: number } }} */ (await finished(AUDITOR, parseJson(bytes.toString('utf8'))));
      if (operation.status !== 'succeeded' || operation.result?.valid !== true) throw new Error(`verification ended ${JSON.stringify(operation).slice(0, 300)}`);
      return `the whole chain (${operation.result.checkedBlocks} blocks), one Deliver stream`;
    });

    await call(AUDITOR, 'GET', '/health/ready', { expect: 200 });
    const { devnetHeapMb } = await system.ask('components');
    console.log(
      `\nmemory under the heaviest requests (npm start's system; ${os.cpus().length} CPUs; devnet thread heap bounds ${JSON.stringify(devnetHeapLimits())} MB;` +
        ` NODE_OPTIONS ${process.env.NODE_OPTIONS ?? 'unset'}; RSS after start-up ${started.toFixed(0)} MB)`,
    );
    console.table(rows);
    console.log('what the RSS was made of at its highest in each phase (MB; sampled inside the process every 100 ms, scripts/lib/memory-composition.js):');
    console.table(compositions);
    console.log(
      '  file: node and shared libraries; gw/dev heap: V8 heap of the gateway/devnet thread (resident); gw/dev ext: their Buffers and array buffers;\n' +
        "  native: the rest (LevelDB's cache and memtables, gRPC/HTTP/2 buffers, stacks, V8 outside its heaps, memory malloc keeps after free)",
    );
    if (devnetHeapMb) console.log(`devnet thread: highest heap in use ${devnetHeapMb.peak.toFixed(0)} MB of its ${devnetHeapMb.limit.toFixed(0)} MB limit (sampled every 250 ms)`);
    console.log('every request succeeded and the system still serves (target: RSS < 250 MB, the devnet thread never dies)');
  } finally {
    client?.close();
    await system.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
