import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventLog, PAGE_SIZE, type LoggedEvent } from './log';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hl-event-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const record = (n: number): Omit<LoggedEvent, 'seq'> => ({ blockNumber: String(n), txId: `t${n}`, changes: [{ type: 'record', id: `rec-${n}`, action: 'created' }] });
const consent = (id: string, action: string, grantee = 'Hospital2MSP') => ({ type: 'consent', id, action, patientRef: 'pt-1', grantee });

async function all(log: EventLog, after = 0): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for await (const event of log.since(after)) events.push(event);
  return events;
}

test('reopens at its head with events, txIds and consents where they were written', async () => {
  const first = await EventLog.open(dir);
  expect(first.head).toBe(0);
  await first.append(record(1));
  await first.append({ blockNumber: '2', txId: 't2', changes: [consent('con-1', 'granted'), consent('con-2', 'granted', 'Hospital3MSP')] });
  await first.append({ blockNumber: '3', txId: 't3', changes: [consent('con-1', 'revoked')] });
  await first.close();

  const log = await EventLog.open(dir);
  expect(log.head).toBe(3);
  expect(log.get(2)?.changes.map((c) => c.id)).toEqual(['con-1', 'con-2']);
  expect(log.get(4)).toBeUndefined();
  expect(log.has('t2', 2n)).toBe(true);
  expect(log.has('t2', 3n)).toBe(false);
  expect(log.has('t9', 0n)).toBe(false);
  expect(log.consents.covers('pt-1', 'Hospital2MSP')).toBe(false);
  expect(log.consents.covers('pt-1', 'Hospital3MSP')).toBe(true);
  expect((await log.append(record(4))).seq).toBe(4);
  await log.close();
});

test('a grant and its revocation in one event leave no consent', async () => {
  const log = await EventLog.open(dir);
  await log.append({ blockNumber: '1', txId: 't1', changes: [consent('con-1', 'granted'), consent('con-1', 'revoked')] });
  expect(log.consents.covers('pt-1', 'Hospital2MSP')).toBe(false);
  await log.close();
});

test('appendAll logs a batch in order, each event seeing the consent changes of those before it', async () => {
  const log = await EventLog.open(dir);
  await log.append(record(1));
  const entries = await log.appendAll([
    { blockNumber: '2', txId: 't2', changes: [consent('con-1', 'granted'), consent('con-2', 'granted', 'Hospital3MSP')] },
    { blockNumber: '2', txId: 't3', changes: [consent('con-1', 'revoked')] },
    record(4),
  ]);
  expect(entries.map((e) => [e.seq, e.txId])).toEqual([
    [2, 't2'],
    [3, 't3'],
    [4, 't4'],
  ]);
  expect(await log.appendAll([])).toEqual([]);
  await log.close();

  const reopened = await EventLog.open(dir);
  expect(reopened.head).toBe(4);
  expect((await all(reopened)).map((e) => e.txId)).toEqual(['t1', 't2', 't3', 't4']);
  expect(reopened.has('t3', 2n)).toBe(true);
  expect(reopened.consents.covers('pt-1', 'Hospital2MSP')).toBe(false);
  expect(reopened.consents.covers('pt-1', 'Hospital3MSP')).toBe(true);
  await reopened.close();
});

test('since reads every later event in order, across pages', async () => {
  const log = await EventLog.open(dir);
  const count = PAGE_SIZE * 2 + 3;
  for (let n = 1; n <= count; n++) await log.append(record(n));
  expect((await log.page(0)).length).toBe(PAGE_SIZE);
  const events = await all(log, 5);
  expect(events.map((e) => e.seq)).toEqual(Array.from({ length: count - 5 }, (_, i) => i + 6));
  expect(await all(log, count)).toEqual([]);
  await log.close();
});

test('an earlier version’s log.jsonl is imported once, up to a torn line, and kept as .imported', async () => {
  const legacy = [
    { seq: 1, ...record(1) },
    { seq: 2, blockNumber: '2', txId: 't2', changes: [consent('con-1', 'granted')] },
    ...Array.from({ length: 2500 }, (_, i) => ({ seq: i + 3, ...record(i + 3) })),
  ];
  const file = join(dir, 'log.jsonl');
  writeFileSync(file, `${legacy.map((e) => JSON.stringify(e)).join('\n')}\n{"seq":2503,"blockNu`);

  const log = await EventLog.open(dir);
  expect(log.head).toBe(2502);
  expect(log.get(2)).toEqual(legacy[1]);
  expect((await all(log)).map((e) => e.seq)).toEqual(legacy.map((e) => e.seq));
  expect(log.consents.covers('pt-1', 'Hospital2MSP')).toBe(true);
  expect(log.has('t2502', 2502n)).toBe(true);
  expect(existsSync(file)).toBe(false);
  expect(readFileSync(`${file}.imported`, 'utf8')).toContain('"txId":"t2502"');
  await log.append(record(2503));
  await log.close();

  const again = await EventLog.open(dir);
  expect(again.head).toBe(2503);
  await again.close();
});
