'use strict';
/**
 * `npm test` after the build: the static checks (`scripts/check.js`) and jest at the same time,
 * the checks at a lower CPU priority. The checks are one thread for a minute or more; run before
 * jest, they left a core idle that long. Jest's end-to-end suites spend part of their time
 * waiting on sockets and child processes, and the checks take that time instead, with little of
 * jest's: the operating system gives the checks only what jest's workers leave.
 *
 * Jest's output streams as it runs; the checks' report follows jest's. Arguments go to jest
 * (`npm test -- test/e2e/care.test.ts`). Exit status: the checks' when they failed, else jest's.
 */
const { spawn } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
/** Below jest's priority: the checks wait for the CPU jest's workers leave. */
const CHECK_NICENESS = 10;

/**
 * Runs node on a script; its output kept, or passed through.
 * @param {string[]} args
 * @param {boolean} keepOutput
 * @returns {{ child: import('node:child_process').ChildProcess, done: Promise<{ code: number, output: string }> }}
 */
function runNode(args, keepOutput) {
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: keepOutput ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  let output = '';
  child.stdout?.on('data', (/** @type {Buffer} */ chunk) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (/** @type {Buffer} */ chunk) => (output += chunk.toString('utf8')));
  /** @type {Promise<{ code: number, output: string }>} */
  const done = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
  return { child, done };
}

async function main() {
  const check = runNode([path.join(__dirname, 'check.js')], true);
  try {
    if (check.child.pid !== undefined) os.setPriority(check.child.pid, CHECK_NICENESS);
  } catch {
    // Not permitted here: the checks then share the CPU evenly with jest, which is only slower.
  }
  const jest = runNode([require.resolve('jest/bin/jest'), ...process.argv.slice(2)], false);
  const [checked, tested] = await Promise.all([check.done, jest.done]);
  process.stdout.write(checked.output);
  process.stdout.write(checked.code === 0 ? 'Static checks (scripts/check.js): passed.\n' : `Static checks (scripts/check.js): failed (exit ${checked.code}).\n`);
  process.exitCode = checked.code !== 0 ? checked.code : tested.code;
}

main().catch((/** @type {unknown} */ err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 2;
});
