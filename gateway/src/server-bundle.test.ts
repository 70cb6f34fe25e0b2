/**
 * server-bundle.ts on a small stand-in bundle: it runs as a CommonJS file of its own directory,
 * its code cache is written after a start and used by the next, a cache V8 refuses is only
 * slower, and a bundle older than a file it was made from is not used. (`npm start` running the
 * real bundle is what the end-to-end suites that start it cover.)
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadServer } from './server-bundle';

let dir: string;
let bundle: string;
const input = () => path.join(dir, 'built', 'input.js');
const cacheDir = () => path.join(dir, '.code-cache');

/** Stands in for the server: answers where it ran and requires relative to itself. */
const BUNDLE_SOURCE = `
const helper = require('./built/input.js');
exports.startGateway = () => ({ from: 'bundle', dirname: __dirname, filename: __filename, helper: helper.name });
`;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hl-bundle-'));
  bundle = path.join(dir, 'server.bundle.js');
  mkdirSync(path.join(dir, 'built'));
  writeFileSync(input(), "exports.name = 'input';");
  writeFileSync(path.join(dir, 'server.bundle.inputs.json'), JSON.stringify(['built/input.js', '../node_modules/some-package/index.js']));
  writeFileSync(bundle, BUNDLE_SOURCE);
  // The input is older than the bundle, as after a build.
  const past = new Date(Date.now() - 60_000);
  utimesSync(input(), past, past);
});

afterEach(() => {
  jest.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

const startOf = (loaded: Awaited<ReturnType<typeof loadServer>>) => (loaded.server.startGateway as unknown as () => Record<string, string>)();

test('the bundle runs as a CommonJS file of its own directory; a start writes its code cache and the next start uses it', async () => {
  jest.useFakeTimers();
  const first = await loadServer(bundle);
  expect(first.source).toBe('bundle, no cache');
  expect(startOf(first)).toEqual({ from: 'bundle', dirname: dir, filename: bundle, helper: 'input' });
  first.saveCodeCacheSoon();
  expect(readdirSync(dir)).not.toContain('.code-cache');
  jest.runOnlyPendingTimers();
  expect(readdirSync(cacheDir())).toHaveLength(1);

  const second = await loadServer(bundle);
  expect(second.source).toBe('bundle, cache used');
  expect(startOf(second)).toMatchObject({ from: 'bundle' });
});

test('a cache V8 refuses (made for another build of the bundle, or damaged) costs only a compile, and is made anew', async () => {
  jest.useFakeTimers();
  const first = await loadServer(bundle);
  first.saveCodeCacheSoon();
  jest.runOnlyPendingTimers();
  // A rebuilt bundle (other source: V8 refuses the cache, and its own in-process cache cannot answer).
  writeFileSync(bundle, `${BUNDLE_SOURCE}// rebuilt\n`);
  const rebuilt = await loadServer(bundle);
  expect(rebuilt.source).toBe('bundle, cache refused');
  expect(startOf(rebuilt)).toMatchObject({ from: 'bundle' });

  const [file] = readdirSync(cacheDir());
  writeFileSync(path.join(cacheDir(), file ?? ''), 'not a V8 code cache');
  writeFileSync(bundle, `${BUNDLE_SOURCE}// rebuilt again\n`);
  const refused = await loadServer(bundle);
  expect(refused.source).toBe('bundle, cache refused');
  expect(startOf(refused)).toMatchObject({ from: 'bundle' });
  refused.saveCodeCacheSoon();
  jest.runOnlyPendingTimers();
  expect((await loadServer(bundle)).source).toBe('bundle, cache used');
});

test('a bundle older than a built file it was made from is not used: the server module is', async () => {
  utimesSync(input(), new Date(), new Date(Date.now() + 60_000));
  const loaded = await loadServer(bundle);
  expect(loaded.source).toBe('modules');
  expect(loaded.server.startGateway).toBe((await import('./server')).startGateway);
});
