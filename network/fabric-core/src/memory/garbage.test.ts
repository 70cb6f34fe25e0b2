import { collectBeforeLongRead, exposedGc, GarbageMeter, LARGE_BODY_BYTES, type CollectGarbage } from './garbage';

/** A stand-in for V8's `gc` that records what it was asked for. */
function recordingGc(): { collect: CollectGarbage; calls: Parameters<CollectGarbage>[0][] } {
  const calls: Parameters<CollectGarbage>[0][] = [];
  return { collect: (options) => void calls.push(options), calls };
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
  expect(calls).toEqual([{ type: 'major' }]);
  expect(collectBeforeLongRead(null)).toBe(false);
});
