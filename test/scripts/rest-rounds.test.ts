/**
 * scripts/lib/rest-rounds.js, bench-rest.js's measurement: the warm-up round is left out, the side
 * that goes first alternates, and the ratios reported are per round, with their median and range.
 * The sides here are stand-ins that report fixed windows (no clock is read), so what is checked is
 * the bookkeeping, never a timing.
 */
import { join } from 'node:path';

interface Run {
  latencies: number[];
  count: number;
  seconds: number;
}
interface Spread {
  median: number;
  min: number;
  max: number;
}
interface Comparison {
  direct: { perSecond: number; cpuUs: Record<string, number>; perCall: Record<string, number> };
  rest: { perSecond: number; cpuUs: Record<string, number>; perCall: Record<string, number> };
  ratios: number[];
  ratio: Spread;
  cpuRatio: Spread;
}
type Alternating = (
  label: string,
  plan: { perWindow: number; rounds: number; readCpu: () => Promise<Record<string, number>>; readCounts?: () => Promise<Record<string, number>> },
  direct: (n: number) => Promise<Run>,
  rest: (n: number) => Promise<Run>,
  log: (line: string) => void,
) => Promise<Comparison>;

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script of the repository, as node runs it
const { alternating, median } = require(join(__dirname, '..', '..', 'scripts', 'lib', 'rest-rounds.js')) as { alternating: Alternating; median: (values: number[]) => number };

/**
 * Stand-in sides: window i of a side takes `seconds[i]` for its `n` calls and costs the `cpu` ms
 * per call given for that side (read by a CPU reader that adds it as the side runs).
 */
function sides(seconds: { direct: number[]; rest: number[] }, cpuMsPerCall: { direct: number; rest: number }) {
  const order: string[] = [];
  let cpu = 0;
  let allocated = 0;
  const side = (name: 'direct' | 'rest') => {
    let window = 0;
    return (n: number): Promise<Run> => {
      order.push(name);
      cpu += n * cpuMsPerCall[name];
      // A counter beside the CPU time: 10 bytes per call on the direct side, 100 on the REST side.
      allocated += n * (name === 'direct' ? 10 : 100);
      return Promise.resolve({ latencies: [1], count: n, seconds: seconds[name][window++] ?? NaN });
    };
  };
  return { order, direct: side('direct'), rest: side('rest'), readCpu: () => Promise.resolve({ client: cpu }), readCounts: () => Promise.resolve({ allocatedBytes: allocated }) };
}

describe('rest-rounds: alternating windows', () => {
  it('leaves the warm-up round out and alternates which side goes first', async () => {
    // Warm-up: REST 100 calls in 10 s (a slow start that must not count); then REST/direct 0.5, 1, 2.
    const s = sides({ rest: [10, 2, 1, 0.5], direct: [1, 1, 1, 1] }, { direct: 2, rest: 3 });
    const result = await alternating('submit', { perWindow: 100, rounds: 3, readCpu: s.readCpu }, s.direct, s.rest, () => undefined);
    expect(s.order).toEqual(['rest', 'direct', 'direct', 'rest', 'rest', 'direct', 'direct', 'rest']);
    expect(result.ratios).toEqual([0.5, 1, 2]);
    expect(result.ratio).toEqual({ median: 1, min: 0.5, max: 2 });
    // Rates over the measured windows only: 300 calls in 3.5 s against 300 in 3 s.
    expect(result.rest.perSecond).toBeCloseTo(300 / 3.5);
    expect(result.direct.perSecond).toBeCloseTo(100);
    // CPU per call direct/REST in every round: 2 ms against 3 ms.
    expect(result.cpuRatio.median).toBeCloseTo(2 / 3);
    expect(result.direct.cpuUs['client']).toBeCloseTo(2000);
    expect(result.rest.cpuUs['client']).toBeCloseTo(3000);
  });

  it('reports each counter per call and side, apart from the CPU time', async () => {
    const s = sides({ rest: [1, 1, 1], direct: [1, 1, 1] }, { direct: 2, rest: 3 });
    const result = await alternating('submit', { perWindow: 50, rounds: 2, readCpu: s.readCpu, readCounts: s.readCounts }, s.direct, s.rest, () => undefined);
    expect(result.direct.perCall).toEqual({ allocatedBytes: 10 });
    expect(result.rest.perCall).toEqual({ allocatedBytes: 100 });
    expect(Object.keys(result.rest.cpuUs)).toEqual(['client']);
  });

  it('takes the middle of an even number of ratios as the mean of the two middle ones', () => {
    expect(median([0.9, 1.1, 0.8, 1.0])).toBeCloseTo(0.95);
    expect(median([3])).toBe(3);
    expect(median([])).toBeNaN();
  });
});
