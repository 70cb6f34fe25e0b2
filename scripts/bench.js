#!/usr/bin/env node
// `npm run bench`: runs every benchmark in turn on the devnet (devnet first; others append theirs
// here). `npm run bench -- --target fabric`: the same workloads on a real Fabric network that
// scripts/bench-fabric.js brings up and down (one real network per machine at a time).
'use strict';

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const BENCHES = ['bench-devnet.js', 'bench-ledger.js', 'bench-trace.js', 'bench-rest.js', 'bench-records.js', 'bench-verify.js', 'bench-memory.js', 'bench-ledger-growth.js'];

const args = process.argv.slice(2);
const target = args.indexOf('--target');
if (target >= 0 && args[target + 1] === 'fabric') {
  const rest = args.filter((_, i) => i !== target && i !== target + 1);
  const result = spawnSync(process.execPath, [path.join(__dirname, 'bench-fabric.js'), ...rest], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

let failed = false;
for (const bench of BENCHES) {
  console.log(`\n== ${bench}`);
  const result = spawnSync(process.execPath, [path.join(__dirname, bench), ...args], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
