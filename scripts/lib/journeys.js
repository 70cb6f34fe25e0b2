'use strict';
/**
 * The e2e journeys that apply to a real Fabric network, for scripts/test-fabric.js and
 * scripts/test-fabric-hosts.js: the deployed contract metadata against the catalogue, care
 * (referral, emergency access, the auditor), supply and claims, offline signing with a
 * patient-held key, event resume across a gateway restart, erasure with purge, idempotency, GS1 EPCIS
 * 2.0 example documents captured and queried, and the duplicate-transaction rules crash-safe
 * idempotency relies on (fixed-txid), the FHIR R4 interface (every body checked against the R4
 * schema), clinical research (a trial's consented release, anchored results verified),
 * asynchronous operations (bulk commissioning, recall and an export answered 202 and polled to
 * their end), record content with media types (JSON, text, PDF, PNG; limits; no byte in a
 * block) and the console's ledger reads (block pages, search, audit package). The other e2e files
 * start a devnet of their own (smoke, authorization matrix, malformed input, per-organisation
 * gateways) or check the devnet's internals.
 */
const JOURNEYS = ['contract-metadata', 'care', 'supply-and-claims', 'offline-signing', 'event-resume', 'erasure', 'idempotency', 'epcis-gs1', 'fhir', 'fixed-txid', 'research', 'operations', 'record-media', 'ledger-browse'].map(
  // Exact file names: a prefix would also pick up devnet-only files (operations-crash, erasure-on-disk).
  (name) => `test/e2e/${name}\\.test\\.ts$`,
);

/**
 * Revocation refused by the ledger (test/e2e/revocation.test.ts): run once per network by
 * scripts/test-fabric.js, after the journeys, since it changes the channel config (Hospital 1's
 * CRL) through `scripts/network.sh revoke-crl`, and it needs the gateways in the test's process
 * (it dials the peer as they do), so the several-hosts run leaves it out.
 */
const REVOCATION = 'test/e2e/revocation\\.test\\.ts$';

module.exports = { JOURNEYS, REVOCATION };
