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
 */
const { readFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** Copied by test/e2e/material.ts. */
const E2E_TEMPLATE = path.resolve(__dirname, '..', '.healthledger', 'e2e', '.template', 'organizations');
/** Copied by test/conformance/harness.ts (MATERIAL_DIR of test/conformance/consortium.ts). */
const CONFORMANCE_TEMPLATE = path.join(os.tmpdir(), 'healthledger-conformance', '.template', 'organizations');

module.exports = async function issueTemplateMaterial() {
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
};
