import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../config';
import { ApiKeys } from './api-keys';

let dir: string;
beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'hl-keys-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('a missing file is no keys', () => {
  expect(new ApiKeys(path.join(dir, 'api-keys.json')).size).toBe(0);
});

test('a created key is found, stored only as its hash, and read back by a new instance', () => {
  const file = path.join(dir, 'api-keys.json');
  const key = new ApiKeys(file).create({ name: 'billing1', mspId: 'Hospital1MSP' }, 'EHR');
  expect(key).toMatch(/^hlk_[\w-]{43}$/);
  const reread = new ApiKeys(file);
  expect(reread.size).toBe(1);
  expect(reread.lookup(key)).toEqual({ name: 'billing1', mspId: 'Hospital1MSP' });
  expect(reread.lookup(`${key}x`)).toBeUndefined();
});

test.each([
  ['not JSON', '{', /is not valid JSON/],
  ['not an array', '{"keyHash":"00"}', /is not a JSON array/],
  ['a bad hash', '[{"keyHash":"hlk_plain-key","user":"billing1","mspId":"Hospital1MSP"}]', /entry 0: keyHash/],
  ['no user', `[{"keyHash":"${'a'.repeat(64)}","mspId":"Hospital1MSP"}]`, /entry 0: user and mspId/],
])('a hand-written file that is %s is refused naming HEALTHLEDGER_API_KEYS', (_label, text, reason) => {
  const file = path.join(dir, 'api-keys.json');
  writeFileSync(file, text);
  expect(() => new ApiKeys(file)).toThrow(ConfigError);
  expect(() => new ApiKeys(file)).toThrow(/^HEALTHLEDGER_API_KEYS: /);
  expect(() => new ApiKeys(file)).toThrow(reason);
});
