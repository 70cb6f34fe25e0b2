/** The devnet thread's heap bounds: measured defaults, overridden by the environment, typos refused. */
import { DEFAULT_OLD_SPACE_MB, DEFAULT_YOUNG_SPACE_MB, devnetHeapLimits, outOfMemoryMessage } from './limits';

test('bounds both generations by default', () => {
  expect(devnetHeapLimits({})).toEqual({ maxOldGenerationSizeMb: DEFAULT_OLD_SPACE_MB, maxYoungGenerationSizeMb: DEFAULT_YOUNG_SPACE_MB });
});

test('the environment overrides each bound; 0 leaves that generation to V8', () => {
  expect(devnetHeapLimits({ HEALTHLEDGER_DEVNET_OLD_SPACE_MB: '256', HEALTHLEDGER_DEVNET_YOUNG_SPACE_MB: '0' })).toEqual({ maxOldGenerationSizeMb: 256 });
  expect(devnetHeapLimits({ HEALTHLEDGER_DEVNET_OLD_SPACE_MB: ' 0 ', HEALTHLEDGER_DEVNET_YOUNG_SPACE_MB: '48' })).toEqual({ maxYoungGenerationSizeMb: 48 });
});

test.each(['128MB', '-1', '1.5', 'lots'])('refuses %s rather than running unbounded', (text) => {
  expect(() => devnetHeapLimits({ HEALTHLEDGER_DEVNET_OLD_SPACE_MB: text })).toThrow(/HEALTHLEDGER_DEVNET_OLD_SPACE_MB must be a whole number of MB/);
});

test('the out-of-memory message names both bounds', () => {
  expect(outOfMemoryMessage({ maxOldGenerationSizeMb: 128 })).toBe(
    "devnet thread ran out of heap (old generation 128 MB, young generation V8's default); raise HEALTHLEDGER_DEVNET_OLD_SPACE_MB / HEALTHLEDGER_DEVNET_YOUNG_SPACE_MB (0: no bound)",
  );
});
