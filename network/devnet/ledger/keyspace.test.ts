import { Keyspace } from './keyspace';

const keys = <V>(space: Keyspace<V>, start = '', end = ''): string[] => [...space.range(start, end)].map(([k]) => k);

describe('Keyspace', () => {
  it('orders by UTF-8 bytes: characters above U+FFFF sort after U+E000–U+FFFF', () => {
    const space = new Keyspace<number>();
    const above = '\u{10000}'; // F0 90 80 80, UTF-16 D800 DC00
    const privateUse = '\uE000'; // EE 80 80
    const last = '\uFFFF'; // EF BF BF
    const max = '\u{10FFFF}';
    for (const k of [max, above, 'a', privateUse, last, '\u0000x', 'z']) space.set(k, 1);
    expect(keys(space)).toEqual(['\u0000x', 'a', 'z', privateUse, last, above, max]);
    // JavaScript's own order would differ: the check above is not vacuous.
    expect([above, privateUse].sort()).toEqual([above, privateUse]);
  });

  it('scans [start, end) and to the end when end is empty; composite-key style prefix scans', () => {
    const space = new Keyspace<string>();
    for (const k of ['\u0000t\u0000a\u0000', '\u0000t\u0000b\u0000', '\u0000u\u0000a\u0000', 'k1', 'k2', 'k3']) space.set(k, k);
    expect(keys(space, 'k1', 'k3')).toEqual(['k1', 'k2']);
    expect(keys(space, 'k2', '')).toEqual(['k2', 'k3']);
    expect(keys(space, '\u0000t\u0000', '\u0000t\u0000\u{10FFFF}')).toEqual(['\u0000t\u0000a\u0000', '\u0000t\u0000b\u0000']);
    expect(keys(space, 'x', '')).toEqual([]);
  });

  it('replaces values in place and deletes from both the map and the order', () => {
    const space = new Keyspace<number>();
    space.set('a', 1);
    space.set('a', 2);
    space.set('b', 3);
    expect(space.get('a')).toBe(2);
    expect(space.size).toBe(2);
    expect(space.delete('a')).toBe(true);
    expect(space.delete('a')).toBe(false);
    expect([...space.range('', '')]).toEqual([['b', 3]]);
  });

  it('keeps a paused scan correct while keys are inserted and deleted', () => {
    const space = new Keyspace<number>();
    for (const k of ['a', 'c', 'e', 'g']) space.set(k, 0);
    const scan = space.range('', '');
    expect(scan.next().value).toEqual(['a', 0]);
    expect(scan.next().value).toEqual(['c', 0]);
    space.delete('c'); // the cursor's own node goes
    space.delete('e');
    space.set('b', 1); // behind the cursor: not seen
    space.set('d', 1); // ahead: seen
    expect([...scan].map(([k]) => k)).toEqual(['d', 'g']);
  });

  it('keeps 100,000 random inserts in key order through a full scan', () => {
    const space = new Keyspace<number>();
    for (let i = 0; i < 100_000; i++) space.set(`key${(i * 7919) % 100_003}`, i);
    const all = keys(space);
    expect(all).toHaveLength(100_000);
    const sorted = all.map((k) => Buffer.from(k)).sort(Buffer.compare).map((b) => b.toString());
    expect(all).toEqual(sorted);
  });
});
