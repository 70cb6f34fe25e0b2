'use strict';
/*
 * Jest global setup (runs once, before the workers): the crypto material of the default
 * consortium, issued once into .healthledger/e2e/.template. Each end-to-end suite keeps its own
 * material directory (test/e2e/network.ts); a suite whose directory is absent starts from a copy
 * of this one instead of issuing ~50 keys and certificates itself. The devnet still checks the
 * copy and issues whatever is missing or stale (generateMaterial is idempotent), so a template
 * from an older build only costs the time it would have saved.
 *
 * Uses the built packages (`npm test` builds first); without them it does nothing and every suite
 * issues its own material as before.
 */
const path = require('node:path');

const TEMPLATE = path.resolve(__dirname, '..', '.healthledger', 'e2e', '.template', 'organizations');

module.exports = async function issueTemplateMaterial() {
  let network;
  let fabricCore;
  try {
    network = require('@healthledger/network');
    fabricCore = require('@healthledger/fabric-core');
  } catch {
    return;
  }
  await fabricCore.generateMaterial(network.loadConsortium(), TEMPLATE);
};
