/**
 * scripts/lib/ascii-comments.js: `npm start`'s bundles are written in ASCII so that V8 holds each
 * thread's source at one byte a character. Characters beyond ASCII in comments become escapes;
 * the code is unchanged; a text where one sits in code whose meaning an escape would change is
 * left as it was.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import * as esbuild from 'esbuild';

const ROOT = join(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script of the repository, typed by its JSDoc
const { asciiComments } = require(join(ROOT, 'scripts', 'lib', 'ascii-comments.js')) as {
  asciiComments(text: string, build: typeof esbuild): Promise<{ text: string; escaped: number; kept?: string }>;
};

const beyondAscii = (text: string) => /[^\x00-\x7f]/u.test(text);
/** What a CommonJS text leaves in `module.exports`. */
const exportsOf = (text: string): unknown => {
  const module = { exports: {} as unknown };
  vm.runInNewContext(text, { module });
  return module.exports;
};

test('characters beyond ASCII in comments become escapes, one per code point; the code is the same', async () => {
  const text = ['/** a range 64–71 → the next block (𝑊 bits) */', "module.exports = { value: 'plain' }; // ‖ salt", ''].join('\n');
  const result = await asciiComments(text, esbuild);
  expect(result).toMatchObject({ escaped: 4 });
  expect(result.kept).toBeUndefined();
  expect(beyondAscii(result.text)).toBe(false);
  expect(result.text).toContain('64\\u{2013}71 \\u{2192} the next block (\\u{1d44a} bits)');
  expect(exportsOf(result.text)).toEqual(exportsOf(text));
});

test('in a plain string an escape means the same character, so it is escaped too', async () => {
  const text = "module.exports = ['a — b'];";
  const result = await asciiComments(text, esbuild);
  expect(result.escaped).toBe(1);
  expect(exportsOf(result.text)).toEqual(['a — b']);
});

test.each([
  ['a regular expression', 'module.exports = /—/.test("—");'],
  ["a template literal's raw text", 'module.exports = String.raw`—`;'],
])('a character beyond ASCII in %s leaves the text as it was', async (_where, text) => {
  const result = await asciiComments(text, esbuild);
  expect(result).toEqual({ text, escaped: 0, kept: 'a character beyond ASCII outside a comment' });
});

test('a text in ASCII is returned as it is', async () => {
  const text = 'module.exports = 1; // plain\n';
  expect(await asciiComments(text, esbuild)).toEqual({ text, escaped: 0 });
});

test("npm start's two bundles, as npm run build wrote them, are in ASCII", () => {
  for (const bundle of ['gateway/dist/server.bundle.js', 'network/dist/devnet/thread/worker.bundle.js']) {
    expect([bundle, beyondAscii(readFileSync(join(ROOT, bundle), 'utf8'))]).toEqual([bundle, false]);
  }
});
