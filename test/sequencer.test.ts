/**
 * test/sequencer.js, jest's order of the test files: the longest suites first, by jest's cached
 * duration where there is one, else by the committed hint; the rest in jest's own order.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Test } from '@jest/test-result';
import LongestFirstSequencer from './sequencer';

const ROOT = path.resolve(__dirname, '..');
const { LONG_SUITES } = LongestFirstSequencer;

let cacheDirectory: string;
beforeAll(() => {
  cacheDirectory = mkdtempSync(path.join(tmpdir(), 'hl-sequencer-'));
});
afterAll(() => rmSync(cacheDirectory, { recursive: true, force: true }));

/** Test files of one jest project, with the sizes its file map would report. */
function project(id: string, sizes: Record<string, number>): Test[] {
  const context = {
    config: { id, rootDir: ROOT, cache: true, cacheDirectory, haste: {} },
    hasteFS: { getSize: (file: string) => sizes[path.relative(ROOT, file)] ?? null },
  } as unknown as Test['context'];
  return Object.keys(sizes).map((file) => ({ path: path.join(ROOT, file), context, duration: undefined }));
}

const names = (tests: Test[]): string[] => tests.map((test) => path.relative(ROOT, test.path));

describe('the committed list of long suites', () => {
  it('names existing test files, longest first', () => {
    const entries = Object.entries(LONG_SUITES);
    expect(entries.length).toBeGreaterThan(0);
    for (const [file] of entries) {
      expect(file).toMatch(/\.test\.ts$/);
      expect(existsSync(path.join(ROOT, file))).toBe(true);
    }
    const seconds = entries.map(([, s]) => s);
    expect(seconds).toEqual([...seconds].sort((a, b) => b - a));
  });
});

describe('sort', () => {
  const [longest, second] = Object.keys(LONG_SUITES) as [string, string];

  it('without cached durations (a fresh clone), runs the listed suites first, by their hint, then the rest by file size', () => {
    const tests = project('fresh', { 'a.test.ts': 900, [second]: 10, 'b.test.ts': 5000, [longest]: 20 });
    expect(names(new LongestFirstSequencer().sort(tests))).toEqual([longest, second, 'b.test.ts', 'a.test.ts']);
  });

  it("prefers jest's cached durations to the hints, and still runs a suite that failed last time first", () => {
    const tests = project('cached', { 'a.test.ts': 900, [second]: 10, 'b.test.ts': 5000, [longest]: 20 });
    const sequencer = new LongestFirstSequencer();
    const cache = {
      [path.join(ROOT, 'a.test.ts')]: [1, 3_600_000],
      [path.join(ROOT, 'b.test.ts')]: [0, 10],
      [path.join(ROOT, longest)]: [1, 5],
    };
    writeFileSync(sequencer._getCachePath(tests[0]!.context), JSON.stringify(cache));
    // b failed last time; a took an hour; the longest suite took 5 ms here (cached, so believed);
    // the second has no cached duration and keeps its hint, above the longest's 5 ms.
    expect(names(sequencer.sort(tests))).toEqual(['b.test.ts', 'a.test.ts', second, longest]);
  });
});
