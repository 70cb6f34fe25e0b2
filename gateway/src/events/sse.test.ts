import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ScriptedLedger } from '../testing/scripted-ledger';
import { testApp, testWallet, type TestApp } from '../testing/test-app';
import { EventFeed } from './feed';
import { PAGE_SIZE } from './log';
import { eventRoutes } from '../routes/events';

let t: TestApp;
let feed: EventFeed;
let ledger: ScriptedLedger;
let dir: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hl-sse-'));
  ledger = new ScriptedLedger();
  feed = new EventFeed({ ledger, user: (await testWallet()).list()[0]!, dataDir: dir });
  await feed.start(pino({ level: 'silent' }));
  t = await testApp({ ledger, routes: [eventRoutes(feed)], dataDir: dir });
});
afterEach(async () => {
  await t.close();
  await feed.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Reads SSE frames until `count` events arrived. */
async function readEvents(res: Response, count: number): Promise<{ id: string; data: { txId: string } }[]> {
  const reader = res.body!.getReader();
  const events: { id: string; data: { txId: string } }[] = [];
  let buffer = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += Buffer.from(value).toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (id && data) events.push({ id, data: JSON.parse(data) });
    }
  }
  await reader.cancel();
  return events;
}

test('SSE replays after Last-Event-ID, then streams live events, filtered by type', async () => {
  ledger.emit(1n, 'r1', { txId: 'r1', changes: [{ type: 'record', id: 'r1', action: 'created' }] });
  ledger.emit(2n, 'c1', { txId: 'c1', changes: [{ type: 'claim', id: 'c1', action: 'submitted' }] });
  ledger.emit(3n, 'r2', { txId: 'r2', changes: [{ type: 'record', id: 'r2', action: 'created' }] });
  const deadline = Date.now() + 5000;
  while (feed.log.head < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));

  const res = await fetch(`${t.baseUrl}/events?types=record`, { headers: { authorization: await t.bearer('auditor1'), 'last-event-id': '1' } });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  // The stream writes its own head: the security headers set on every reply still reach it.
  expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  setTimeout(() => ledger.emit(4n, 'r3', { txId: 'r3', changes: [{ type: 'record', id: 'r3', action: 'amended' }] }), 50);
  const events = await readEvents(res, 2);
  expect(events.map((e) => [e.id, e.data.txId])).toEqual([
    ['3', 'r2'],
    ['4', 'r3'],
  ]);
});

test('a replay longer than a page comes in order, once, with events logged while it reads', async () => {
  const count = PAGE_SIZE + 20;
  for (let n = 1; n <= count; n++) ledger.emit(BigInt(n), `r${n}`, { txId: `r${n}`, changes: [{ type: 'record', id: `r${n}`, action: 'created' }] });
  const deadline = Date.now() + 20_000;
  while (feed.log.head < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));

  const res = await fetch(`${t.baseUrl}/events?after=0`, { headers: { authorization: await t.bearer('auditor1') } });
  ledger.emit(BigInt(count + 1), 'live', { txId: 'live', changes: [{ type: 'record', id: 'live', action: 'created' }] });
  const events = await readEvents(res, count + 1);
  expect(events.map((e) => Number(e.id))).toEqual(Array.from({ length: count + 1 }, (_, i) => i + 1));
  expect(events.at(-1)?.data.txId).toBe('live');
}, 30_000);

test('patients may not open the raw stream', async () => {
  const res = await t.inject({ method: 'GET', url: '/events', headers: { authorization: await t.bearer('patient1') } });
  expect(res.statusCode).toBe(403);
});

test("each caller's stream carries only the changes its role and organisation may see", async () => {
  const record = { type: 'record', id: 'rec-1', action: 'created', patientRef: 'pt-0c5f1a9e', custodian: 'Hospital1MSP', version: 1 };
  const claim = { type: 'claim', id: 'clm-1', action: 'submitted', status: 'pended', provider: 'Hospital1MSP', payer: 'InsurerMSP' };
  ledger.emit(1n, 'r1', { txId: 'r1', changes: [record] });
  ledger.emit(2n, 'c1', { txId: 'c1', changes: [claim] });
  ledger.emit(3n, 'm1', { txId: 'm1', changes: [record, claim] });
  const deadline = Date.now() + 5000;
  while (feed.log.head < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));

  const stream = async (user: string) => {
    const res = await fetch(`${t.baseUrl}/events?after=0`, { headers: { authorization: await t.bearer(user) } });
    return (await readEvents(res, 2)) as unknown as { id: string; data: { changes: Record<string, unknown>[] } }[];
  };
  expect((await stream('adjudicator1')).map((e) => [e.id, e.data.changes])).toEqual([
    ['2', [claim]],
    ['3', [claim]],
  ]);
  expect((await stream('clinician1')).map((e) => [e.id, e.data.changes])).toEqual([
    ['1', [record]],
    ['3', [record]],
  ]);
});
