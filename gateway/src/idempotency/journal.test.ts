import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RequestJournal } from './journal';
import { IdempotencyStore } from './store';

const SCOPE = 'a'.repeat(64);
let dir: string;
let store: IdempotencyStore;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hl-journal-'));
  store = new IdempotencyStore(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const call = (fn: string, arg: string) => ({ fn, args: [arg], transient: { content: 'private clinical note' } });
const attempt = (n: number) => ({ nonce: n.toString(16).padStart(48, '0'), txId: n.toString(16).padStart(64, '0') });

test('a replayed request finds each submit’s recorded transactions in the same slot, identical calls by their order', () => {
  const first = new RequestJournal(store, SCOPE, 'fp', undefined);
  first.slot(call('records:stageContent', 'x')).record(attempt(1));
  first.slot(call('records:createRecord', 'x')).record(attempt(2));
  first.slot(call('records:createRecord', 'x')).record(attempt(3));
  first.slot(call('records:createRecord', 'y')).record(attempt(4));

  const replay = new RequestJournal(store, SCOPE, 'fp', store.pending(SCOPE));
  expect(replay.slot(call('records:createRecord', 'y')).attempts).toEqual([attempt(4)]);
  expect(replay.slot(call('records:stageContent', 'x')).attempts).toEqual([attempt(1)]);
  expect(replay.slot(call('records:createRecord', 'x')).attempts).toEqual([attempt(2)]);
  expect(replay.slot(call('records:createRecord', 'x')).attempts).toEqual([attempt(3)]);
  expect(replay.slot(call('records:createRecord', 'x')).attempts).toEqual([]);
});

test('a slot’s transactions accumulate in order and are on disk when record returns', () => {
  const journal = new RequestJournal(store, SCOPE, 'fp', undefined);
  const slot = journal.slot(call('consent:grantConsent', '{}'));
  expect(slot.attempts).toEqual([]);
  slot.record(attempt(1));
  slot.record(attempt(2));
  const reopened = new IdempotencyStore(dir).pending(SCOPE);
  expect(reopened?.fingerprint).toBe('fp');
  expect(Object.values(reopened?.slots ?? {})).toEqual([[attempt(1), attempt(2)]]);
});

test('the record holds no request content: not the arguments, not the transient data', () => {
  new RequestJournal(store, SCOPE, 'fp', undefined).slot(call('records:createRecord', 'patient-name-in-args')).record(attempt(1));
  const text = readFileSync(path.join(dir, `${SCOPE}.pending.json`), 'utf8');
  expect(text).not.toContain('patient-name-in-args');
  expect(text).not.toContain('private clinical note');
});

test('storing the response removes the pending record', () => {
  new RequestJournal(store, SCOPE, 'fp', undefined).slot(call('f', 'a')).record(attempt(1));
  store.complete(SCOPE, { fingerprint: 'fp', statusCode: 201, headers: {}, body: '{}' });
  expect(store.pending(SCOPE)).toBeUndefined();
  expect(readdirSync(dir)).toEqual([`${SCOPE}.json`]);
});

test('a pending record left beside a stored response (a crash between the two steps) is forgotten', () => {
  const journal = new RequestJournal(store, SCOPE, 'fp', undefined);
  journal.slot(call('f', 'a')).record(attempt(1));
  store.complete(SCOPE, { fingerprint: 'fp', statusCode: 201, headers: {}, body: '{}' });
  store.recordPending(SCOPE, { fingerprint: 'fp', slots: {} });
  expect(readdirSync(dir).sort()).toEqual([`${SCOPE}.json`, `${SCOPE}.pending.json`]);
  store.forgetPending(SCOPE);
  expect(readdirSync(dir)).toEqual([`${SCOPE}.json`]);
});

test('a request that never submitted leaves nothing behind', () => {
  new RequestJournal(store, SCOPE, 'fp', undefined);
  expect(readdirSync(dir)).toEqual([]);
});
