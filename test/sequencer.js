'use strict';
/*
 * The order in which jest starts the test files (`testSequencer` in jest.config.js): the longest
 * first, so that no core is left with one long suite at the end while the other has nothing to do.
 *
 * Jest's own sequencer orders by the durations of the previous run, kept in its cache; without
 * them (a fresh clone, a new path: what CI runs) it orders by file size, which put the
 * authorization matrix (~40 s) and the crash suites (~15–20 s) anywhere in the queue, and one
 * that started late ran on alone at the end. Here a suite's duration is jest's cached one when
 * there is one, else its hint in LONG_SUITES; the suites with neither follow in jest's own order
 * (file size). Failed suites still go first, as in jest's.
 */
const fs = require('node:fs');
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

const ROOT = path.resolve(__dirname, '..');

/**
 * The suites that take longest in a whole run, with about how many seconds each took
 * (`npx jest --json`, endTime - startTime, 2026-12-06, 2-core machine). Only their order
 * matters; a suite renamed or removed must be renamed or removed here (the sequencer fails the
 * run otherwise, so the list cannot silently stop applying).
 * @type {Readonly<Record<string, number>>}
 */
const LONG_SUITES = {
  'test/e2e/authorization-matrix.test.ts': 40,
  'test/e2e/crash-idempotency.test.ts': 20,
  'test/e2e/operations-crash.test.ts': 14,
  'test/e2e/crash-load.test.ts': 13,
  'test/e2e/console-browser.test.ts': 13,
  'test/e2e/operations.test.ts': 12,
  'network/fabric/scripts.test.ts': 11,
};

/**
 * The hints as absolute paths, after checking that each names a file.
 * @param {Readonly<Record<string, number>>} hints seconds by path relative to the repository
 * @returns {Map<string, number>} milliseconds by absolute path
 */
function resolveHints(hints) {
  /** @type {Map<string, number>} */
  const byPath = new Map();
  for (const [relative, seconds] of Object.entries(hints)) {
    const absolute = path.join(ROOT, relative);
    if (!fs.existsSync(absolute)) throw new Error(`test/sequencer.js names ${relative} among the long suites, but there is no such file: rename or remove it there`);
    byPath.set(absolute, seconds * 1000);
  }
  return byPath;
}

class LongestFirstSequencer extends Sequencer {
  /** @param {readonly import('@jest/test-result').Test[]} tests */
  sort(tests) {
    const hints = resolveHints(LONG_SUITES);
    // Jest's order (failed first, then by cached duration, else by file size); it also sets
    // each test's `duration` from the cache.
    const jestOrder = super.sort([...tests]);
    const position = new Map(jestOrder.map((test, index) => [test, index]));
    /** @param {import('@jest/test-result').Test} test */
    const estimate = (test) => test.duration ?? hints.get(test.path);
    return [...jestOrder].sort((a, b) => {
      const failedA = this.hasFailed(a);
      if (failedA !== this.hasFailed(b)) return failedA ? -1 : 1;
      const ea = estimate(a);
      const eb = estimate(b);
      if (ea !== undefined && eb !== undefined && ea !== eb) return eb - ea;
      if ((ea === undefined) !== (eb === undefined)) return ea === undefined ? 1 : -1;
      return (position.get(a) ?? 0) - (position.get(b) ?? 0);
    });
  }
}

module.exports = LongestFirstSequencer;
module.exports.LONG_SUITES = LONG_SUITES;
