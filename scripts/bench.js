#!/usr/bin/env node
// `npm run bench`: runs every benchmark in turn (devnet first; others append theirs here).
'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const BENCHES = ['bench-devnet.js', 'bench-trace.js', 'bench-rest.js', 'bench-records.js', 'bench-ledger-growth.js'];

let failed = false;
for (const bench of BENCHES) {
  console.log(`\n== ${bench}`);
  const result = spawnSync(process.execPath, [path.join(__dirname, bench), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
