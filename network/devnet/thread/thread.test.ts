/**
 * The devnet in a worker thread (what `npm start` runs): it reports progress and readiness, answers
 * CPU-time and heap requests for its own thread, stops when asked, and a start that fails rejects with the
 * devnet's reason. The worker loads the built entry (network/dist), so `npm test` builds first.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DevnetThread } from '.';

jest.setTimeout(60_000);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-devnet-thread-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('starts the devnet in its thread, reports its CPU time, and stops', async () => {
  const lines: string[] = [];
  const thread = await DevnetThread.start({ dataDir: path.join(dir, 'ok'), inMemory: true, randomPorts: true, onProgress: (line) => lines.push(line) });
  try {
    expect(existsSync(thread.descriptorPath)).toBe(true);
    expect(thread.ready.peers.length).toBeGreaterThan(0);
    expect(thread.ready.height).toBe('1');
    expect(lines.length).toBeGreaterThan(0);
    const cpu = await thread.cpuMs();
    if (process.platform === 'linux') expect(cpu).toBeGreaterThan(0);
    const heap = await thread.heap();
    expect(heap?.usedBytes).toBeGreaterThan(0);
    expect(heap?.limitBytes).toBeGreaterThan(heap?.usedBytes ?? Infinity);
    expect(heap?.residentBytes).toBeGreaterThan(0);
    expect(heap?.externalBytes).toBeGreaterThan(0);
  } finally {
    await thread.stop();
  }
  expect(await thread.cpuMs()).toBeUndefined();
  expect(await thread.heap()).toBeUndefined();
});

test('a devnet that cannot start rejects with its reason', async () => {
  const notADirectory = path.join(dir, 'file');
  writeFileSync(notADirectory, '');
  await expect(DevnetThread.start({ dataDir: notADirectory, randomPorts: true })).rejects.toThrow(/^devnet: /);
});

test('a thread that reaches its heap bound fails with a reason naming the bound and the variables to raise', async () => {
  const start = DevnetThread.start({ dataDir: path.join(dir, 'oom'), inMemory: true, randomPorts: true, resourceLimits: { maxOldGenerationSizeMb: 2 } });
  await expect(start).rejects.toThrow(/^devnet thread ran out of heap \(old generation 2 MB, young generation V8's default\); raise HEALTHLEDGER_DEVNET_OLD_SPACE_MB/);
});
