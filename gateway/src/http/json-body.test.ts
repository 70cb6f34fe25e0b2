import fc from 'fast-check';
import { jsonDepthExceeds, MAX_JSON_DEPTH } from './json-body';

/** Depth of a parsed JSON value, as the scanner counts it (arrays and objects). */
function depthOf(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depthOf));
  if (value !== null && typeof value === 'object') return 1 + Math.max(0, ...Object.values(value).map(depthOf));
  return 0;
}

test('counts nesting of arrays and objects', () => {
  expect(jsonDepthExceeds('1', 0)).toBe(false);
  expect(jsonDepthExceeds('{}', 0)).toBe(true);
  expect(jsonDepthExceeds('{"a":[1,{"b":[]}]}', 4)).toBe(false);
  expect(jsonDepthExceeds('{"a":[1,{"b":[]}]}', 3)).toBe(true);
  expect(jsonDepthExceeds('[[],[],[]]', 2)).toBe(false);
});

test('brackets and escaped quotes inside strings do not count', () => {
  expect(jsonDepthExceeds(JSON.stringify({ a: '[[[[{{{{', b: 'say \\"[[[[" ok' }), 1)).toBe(false);
  expect(jsonDepthExceeds(JSON.stringify(['\\', ['x']]), 1)).toBe(true);
});

test('agrees with the depth of any JSON value', () => {
  fc.assert(
    fc.property(fc.jsonValue({ maxDepth: 8 }), fc.nat(10), (value, max) => {
      expect(jsonDepthExceeds(JSON.stringify(value), max)).toBe(depthOf(value) > max);
    }),
    { numRuns: 500 },
  );
});

test('the limit leaves room for real documents and stops pathological ones', () => {
  const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);
  expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
  expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
  expect(jsonDepthExceeds(nested(100_000), MAX_JSON_DEPTH)).toBe(true);
});
