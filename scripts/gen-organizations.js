#!/usr/bin/env node
// Regenerates chaincode/contract-api/src/organizations.ts from network/consortium.yaml.
//
// The chaincode cannot read files at run time (determinism, and a chaincode package carries no
// network configuration), so the organisation kinds are compiled in. Run this after changing the
// organisations in the consortium definition; chaincode/src/shared/organizations.test.ts fails
// until the table agrees with the yaml.
//
// Usage: node scripts/gen-organizations.js [--check]
//   --check  exit 1 (without writing) when the file on disk is out of date.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const root = path.resolve(__dirname, '..');
const consortiumFile = path.join(root, 'network', 'consortium.yaml');
const tableFile = path.join(root, 'chaincode', 'contract-api', 'src', 'organizations.ts');
const KINDS = /** @type {const} */ (['provider', 'payer', 'manufacturer', 'distributor', 'regulator', 'research']);

/** @typedef {typeof KINDS[number]} OrgKind */
/** @typedef {{ mspId: string, kind: OrgKind }} Organization */

/**
 * @param {unknown} value
 * @returns {value is Record<string, unknown>}
 */
function isRecord(value) {
  return typeof value === 'object' && value !== null;
}

/**
 * @param {unknown} value
 * @returns {value is OrgKind}
 */
function isKind(value) {
  return KINDS.some((kind) => kind === value);
}

/**
 * The organisations (mspId, kind) of a consortium definition, in file order.
 * @param {string} text  the consortium definition (YAML)
 * @returns {Organization[]}
 */
function organizationsOf(text) {
  /** @type {unknown} */
  const doc = YAML.parse(text);
  /** @type {unknown[]} */
  const orgs = isRecord(doc) && Array.isArray(doc.organizations) ? doc.organizations : [];
  if (orgs.length === 0) throw new Error('consortium.yaml: /organizations must list at least one organisation');
  return orgs.map((org, i) => {
    if (!isRecord(org) || typeof org.mspId !== 'string') throw new Error(`consortium.yaml: /organizations/${i}/mspId is missing`);
    if (!isKind(org.kind)) throw new Error(`consortium.yaml: /organizations/${i}/kind must be one of: ${KINDS.join(', ')}`);
    return { mspId: org.mspId, kind: org.kind };
  });
}

/**
 * The TypeScript source of the organisation table.
 * @param {Organization[]} orgs
 * @returns {string}
 */
function render(orgs) {
  const rows = orgs.map((o) => `  ${o.mspId}: '${o.kind}',`).join('\n');
  return `// Generated from network/consortium.yaml by \`node scripts/gen-organizations.js\`; do not edit.
// The chaincode cannot read files, so the consortium's organisation kinds are compiled in; a test
// fails when this table and the consortium definition disagree. Adding an organisation is a
// chaincode upgrade (new sequence), as changing the endorsement policy already is.

export type OrgKind = ${KINDS.map((k) => `'${k}'`).join(' | ')};

export const ORGANIZATION_KINDS: Readonly<Record<string, OrgKind>> = {
${rows}
};
`;
}

function main() {
  const source = render(organizationsOf(fs.readFileSync(consortiumFile, 'utf8')));
  const current = fs.existsSync(tableFile) ? fs.readFileSync(tableFile, 'utf8') : '';
  if (process.argv.includes('--check')) {
    if (current !== source) {
      console.error(`${path.relative(root, tableFile)} is out of date: run node scripts/gen-organizations.js`);
      process.exit(1);
    }
    return;
  }
  if (current !== source) fs.writeFileSync(tableFile, source);
  console.log(`${path.relative(root, tableFile)}: ${current === source ? 'up to date' : 'written'}`);
}

module.exports = { organizationsOf, render };

if (require.main === module) main();
