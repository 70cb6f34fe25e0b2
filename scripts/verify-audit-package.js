#!/usr/bin/env node
// Verifies an audit package offline (the console's Integrity → Export, or POST /ledger/audit-package):
//   node scripts/verify-audit-package.js audit-package.json [--head HEX]
// Re-checks the block header hash chain up to the stated head, each packaged block's data hash, and
// that each selected transaction is in its block as described. With --head, the head must also be
// the hash given (take it from GET /ledger at another organisation's gateway). Exit 0 when valid,
// 1 when not, 2 on a usage or file error. Needs only this repository's build (npm run build).
'use strict';

const { verifyAuditPackage } = require('@healthledger/gateway/audit/package');
const { readJson } = require('./lib/json');

/** @param {string[]} argv */
function main(argv) {
  const file = argv.find((a) => !a.startsWith('--'));
  const headIndex = argv.indexOf('--head');
  const expectedHead = headIndex >= 0 ? argv[headIndex + 1] : undefined;
  if (!file || (headIndex >= 0 && !expectedHead)) {
    console.error('usage: node scripts/verify-audit-package.js FILE [--head HEX]');
    return 2;
  }
  /** @type {import('@healthledger/gateway/audit/package').AuditPackage} */
  let pkg;
  try {
    pkg = readJson(file);
  } catch (err) {
    console.error(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }
  let verdict;
  try {
    verdict = verifyAuditPackage(pkg);
  } catch (err) {
    // Missing fields, hashes that are not hex, envelopes that do not decode: not a package this tool wrote.
    console.log(`INVALID: malformed package (${err instanceof Error ? err.message : String(err)})`);
    return 1;
  }
  if (expectedHead !== undefined && verdict.head !== expectedHead.toLowerCase()) {
    verdict.failures.push({ where: 'head', reason: 'NOT_THE_EXPECTED_HEAD' });
    verdict.valid = false;
  }
  console.log(JSON.stringify(verdict, null, 2));
  console.log(verdict.valid ? `VALID: ${verdict.transactions} transaction(s) in a chain of ${verdict.headers} block header(s) ending at ${verdict.head}` : `INVALID: ${verdict.failures.length} problem(s)`);
  return verdict.valid ? 0 : 1;
}

process.exit(main(process.argv.slice(2)));
