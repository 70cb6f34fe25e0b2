'use strict';
/*
 * Jest global setup (runs once, before the workers): the crypto material of the default
 * consortium and of the conformance consortium, issued once into a template directory each. Each
 * suite keeps its own material directory (test/e2e/material.ts, test/conformance/harness.ts); a
 * suite whose directory is absent starts from a copy of the template instead of issuing the keys
 * and certificates itself. The devnet still checks the copy and issues whatever is missing or
 * stale (generateMaterial is idempotent), so a template from an older build only costs the time
 * it would have saved.
 *
 * Uses the built packages (`npm test` builds first); without them it does nothing and every suite
 * issues its own material as before.
 *
 * The issuing runs in a worker thread, not in this process: jest runs a lone test file in this
 * very process, and google-protobuf's generated classes register themselves on a global
 * namespace. Loaded here first, fabric-protos' ChaincodeMessage would be the one the suite's own
 * copy re-exports, and grpc-js's serializer (which checks `instanceof` against its copy) would
 * refuse the devnet's first message to the chaincode ("chaincode stream terminated").
 */
const { readFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { Worker, isMainThread } = require('node:worker_threads');

/** Copied by test/e2e/material.ts. */
const E2E_TEMPLATE = path.resolve(__dirname, '..', '.healthledger', 'e2e', '.template', 'organizations');
/** Copied by test/conformance/harness.ts (MATERIAL_DIR of test/conformance/consortium.ts). */
const CONFORMANCE_TEMPLATE = path.join(os.tmpdir(), 'healthledger-conformance', '.template', 'organizations');

/** Issues both templates (in the worker thread). */
async function issueTemplateMaterial() {
  let network;
  let fabricCore;
  try {
    network = require('@healthledger/network');
    fabricCore = require('@healthledger/fabric-core');
  } catch {
    return;
  }
  const conformance = network.parseConsortium(readFileSync(path.join(__dirname, 'conformance', 'consortium.yaml'), 'utf8'), 'conformance');
  await Promise.all([fabricCore.generateMaterial(network.loadConsortium(), E2E_TEMPLATE), fabricCore.generateMaterial(conformance, CONFORMANCE_TEMPLATE)]);
}

if (isMainThread) {
  module.exports = function issueInWorker() {
    return new Promise((resolve, reject) => {
      const worker = new Worker(__filename);
      worker.once('error', reject);
      worker.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`issuing the template material: worker exited with ${code}`))));
    });
  };
} else {
  issueTemplateMaterial().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
