import { spawnSync } from 'node:child_process';
import { collectBeforeLongRead, exposedGc, GarbageMeter, LARGE_BODY_BYTES, type CollectGarbage } from './garbage';

/** A stand-in for V8's `gc` that records what it was asked for. */
function recordingGc(): { collect: CollectGarbage; calls: Parameters<CollectGarbage>[0][] } {
  const calls: Parameters<CollectGarbage>[0][] = [];
  return { collect: (options) => void calls.push(options), calls };
}

/** The one call `use` makes of its collector, as recorded. */
function callOf(use: (collect: CollectGarbage) => unknown): Parameters<CollectGarbage>[0] {
  const { collect, calls } = recordingGc();
  use(collect);
  expect(calls).toHaveLength(1);
  return calls[0];
}

test('collects once the bytes let go of reach the bound, then counts again from zero', () => {
  const { collect, calls } = recordingGc();
  const meter = new GarbageMeter(100, 'minor', collect);
  expect(meter.add(60)).toBe(false);
  expect(calls).toEqual([]);
  expect(meter.add(40)).toBe(true);
  expect(calls).toEqual([{ type: 'minor' }]);
  expect(meter.add(99)).toBe(false);
  expect(meter.add(1)).toBe(true);
  expect(calls).toHaveLength(2);
});

test('a full collection is asked for in a task of its own, off the caller', () => {
  const { collect, calls } = recordingGc();
  const meter = new GarbageMeter(10, 'major', collect);
  meter.add(10);
  expect(calls).toEqual([{ type: 'major', execution: 'async' }]);
});

test('counts only large bodies', () => {
  const { collect, calls } = recordingGc();
  const meter = new GarbageMeter(LARGE_BODY_BYTES, 'minor', collect);
  expect(meter.addIfLarge(LARGE_BODY_BYTES - 1)).toBe(false);
  expect(calls).toEqual([]);
  expect(meter.addIfLarge(LARGE_BODY_BYTES)).toBe(true);
  expect(calls).toEqual([{ type: 'minor' }]);
});

test('without gc exposed the meter does nothing', () => {
  // null, not undefined: an explicit undefined takes the default, the process's own gc, which a
  // test file that ran earlier in the same jest worker may have exposed.
  const meter = new GarbageMeter(1, 'minor', null);
  expect(meter.active).toBe(false);
  expect(meter.add(1_000_000)).toBe(false);
});

test('finds V8 gc only when the process exposes it', () => {
  // On stand-ins for the global object: whether this worker's own global has gc depends on the
  // test files that ran before in it, and V8's own gc cannot be deleted.
  expect(exposedGc({})).toBeUndefined();
  expect(exposedGc({ gc: 'not a function' })).toBeUndefined();
  const gc: CollectGarbage = () => undefined;
  expect(exposedGc({ gc })).toBe(gc);
});

test('before a long read: one full collection, at once (before the first block is in flight); nothing without gc', () => {
  const { collect, calls } = recordingGc();
  expect(collectBeforeLongRead(collect)).toBe(true);
  expect(calls).toEqual([undefined]);
  expect(collectBeforeLongRead(null)).toBe(false);
});

/**
 * What V8's own `gc` does for each call made here, in a node of this version with `--expose-gc`,
 * told by its GC performance entries: the kind of each collection and whether it had ended when
 * the call returned. (Node 20's V8 makes a young-generation collection of `{ type: 'major' }`.)
 */
function whatV8Does(calls: Record<string, Parameters<CollectGarbage>[0]>): Record<string, string> {
  const script = `
    const { PerformanceObserver, constants } = require('node:perf_hooks');
    const kinds = { [constants.NODE_PERFORMANCE_GC_MAJOR]: 'full', [constants.NODE_PERFORMANCE_GC_MINOR]: 'young' };
    const calls = ${JSON.stringify(Object.entries(calls).map(([name, options]) => [name, options ?? null]))};
    const seen = [];
    new PerformanceObserver((list) => seen.push(...list.getEntries())).observe({ entryTypes: ['gc'] });
    const junk = [];
    for (let i = 0; i < 100000; i++) junk.push({ i });
    (async () => {
      const out = {};
      for (const [name, options] of calls) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        seen.length = 0;
        const asked = performance.now();
        options === null ? gc() : gc(options);
        const returned = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 200));
        const entry = seen.find((e) => e.startTime >= asked && kinds[e.detail.kind]);
        out[name] = entry ? kinds[entry.detail.kind] + (entry.startTime + entry.duration <= returned ? ', at once' : ', later') : 'none';
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  const child = spawnSync(process.execPath, ['--expose-gc', '-e', script], { encoding: 'utf8' });
  expect(child.stderr).toBe('');
  return JSON.parse(child.stdout) as Record<string, string>;
}

test("V8's gc does what each caller here means: a full collection at once before a long read, one in a task for large bodies, a young one for streams", () => {
  const seen = whatV8Does({
    beforeLongRead: callOf((collect) => collectBeforeLongRead(collect)),
    largeBodies: callOf((collect) => new GarbageMeter(1, 'major', collect).add(1)),
    streams: callOf((collect) => new GarbageMeter(1, 'minor', collect).add(1)),
  });
  expect(seen).toEqual({ beforeLongRead: 'full, at once', largeBodies: 'full, later', streams: 'young, at once' });
});
