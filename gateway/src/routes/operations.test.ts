/**
 * The operation routes over HTTP with a scripted ledger: the 202 of bulk commissioning (asked
 * for, or above the threshold), polling to the end, owner-only reads, the caller gate before
 * anything is accepted, cancel, an export, and the owner-only announcements on the event stream.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { EventFeed } from '../events/feed';
import { ScriptedLedger, type RecordedCall } from '../testing/scripted-ledger';
import { testApp, testWallet, type TestApp } from '../testing/test-app';
import { CONTRACT_ROUTES } from './contracts';
import { eventRoutes } from './events';
import { operationRoutes } from './operations';

let t: TestApp;
let feed: EventFeed;
let dir: string;

/** commission answers as the chaincode does (its answer schema is checked); a list answers two pages. */
function answer(c: RecordedCall): unknown {
  const request = JSON.parse(c.call.args?.[0] ?? '{}') as { gtin?: string; lot?: string; range?: { count: number }; serials?: string[]; bookmark?: string };
  if (c.call.fn === 'trace:commission') return { gtin: request.gtin, lot: request.lot, count: request.range?.count ?? request.serials?.length ?? 0 };
  if (c.call.fn === 'trace:listHoldings') return request.bookmark ? { items: [{ n: 2 }] } : { items: [{ n: 1 }], bookmark: 'b1' };
  return null;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hl-operations-routes-'));
  const ledger = new ScriptedLedger(answer);
  feed = new EventFeed({ ledger, user: (await testWallet()).list()[0]!, dataDir: dir });
  await feed.start(pino({ level: 'silent' }));
  t = await testApp({ ledger, routes: [...CONTRACT_ROUTES, operationRoutes, eventRoutes(feed)], dataDir: dir });
});
afterEach(async () => {
  await t.close();
  await feed.stop();
  rmSync(dir, { recursive: true, force: true });
});

const as = async (user: string, extra: Record<string, string> = {}) => ({ authorization: await t.bearer(user), ...extra });
const bulk = (count: number) => ({ gtin: '09506000134352', lot: 'L1', expiry: '2030-06-30', range: { prefix: 'S', start: 1, count } });

async function finished(user: string, location: string): Promise<Record<string, unknown>> {
  for (;;) {
    const res = await t.inject({ method: 'GET', url: location, headers: await as(user) });
    const body = res.json<Record<string, unknown>>();
    if (!['accepted', 'running'].includes(String(body['status']))) return body;
    expect(res.headers['retry-after']).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('a small bulk request is synchronous; asked, it is a 202 with Location, Retry-After and Preference-Applied, polled to success', async () => {
  const sync = await t.inject({ method: 'POST', url: '/packs/commission-bulk', payload: bulk(300), headers: await as('manufacturer1') });
  expect(sync.statusCode).toBe(201);
  const res = await t.inject({ method: 'POST', url: '/packs/commission-bulk', payload: bulk(300), headers: await as('manufacturer1', { prefer: 'wait=5, respond-async' }) });
  expect(res.statusCode).toBe(202);
  const accepted = res.json<{ id: string; status: string }>();
  expect(res.headers).toMatchObject({ location: `/operations/${accepted.id}`, 'retry-after': '1', 'preference-applied': 'respond-async' });
  expect(accepted.status).toBe('accepted');
  const done = await finished('manufacturer1', `/operations/${accepted.id}`);
  expect(done).toMatchObject({ status: 'succeeded', progress: { done: 300, total: 300, unit: 'packs' }, result: { total: 300, done: 300 } });
  expect((done['batches'] as unknown[]).length).toBe(2);
  expect((await t.inject({ method: 'GET', url: `/operations/${accepted.id}`, headers: await as('clinician1') })).json()).toMatchObject({ status: 404, code: 'OPERATION_NOT_FOUND' });
  const mine = await t.inject({ method: 'GET', url: '/operations?status=succeeded', headers: await as('manufacturer1') });
  expect(mine.json<{ items: { id: string }[] }>().items.map((o) => o.id)).toEqual([accepted.id]);
  expect((await t.inject({ method: 'DELETE', url: `/operations/${accepted.id}`, headers: await as('manufacturer1') })).json()).toMatchObject({ status: 409, code: 'OPERATION_FINISHED' });
});

test('above 2,000 serials the server goes asynchronous on its own (no Preference-Applied); the gate is checked before anything is accepted', async () => {
  const res = await t.inject({ method: 'POST', url: '/packs/commission-bulk', payload: bulk(2001), headers: await as('manufacturer1') });
  expect(res.statusCode).toBe(202);
  expect(res.headers['preference-applied']).toBeUndefined();
  await finished('manufacturer1', res.headers['location']!);
  const calls = t.ledger.calls.length;
  const refused = await t.inject({ method: 'POST', url: '/packs/commission-bulk', payload: bulk(10), headers: await as('clinician1', { prefer: 'respond-async' }) });
  expect(refused.json()).toMatchObject({ status: 403, code: 'ROLE_FORBIDDEN' });
  expect(t.ledger.calls.length).toBe(calls);
});

test('an export gathers every page of a list', async () => {
  const res = await t.inject({ method: 'GET', url: '/holdings?owner=ManufacturerMSP', headers: await as('manufacturer1', { prefer: 'respond-async' }) });
  expect(res.statusCode).toBe(202);
  expect(await finished('manufacturer1', res.headers['location']!)).toMatchObject({ kind: 'export', status: 'succeeded', result: { items: [{ n: 1 }, { n: 2 }] } });
});

test("the event stream announces an operation to its owner only", async () => {
  const open = async (user: string, query: string) => {
    const res = await fetch(`${t.baseUrl}/events${query}`, { headers: await as(user) });
    return res.body!.getReader();
  };
  const owner = await open('manufacturer1', '?types=operation');
  const other = await open('clinician1', '');
  const res = await t.inject({ method: 'POST', url: '/packs/commission-bulk', payload: bulk(10), headers: await as('manufacturer1', { prefer: 'respond-async' }) });
  const { id } = res.json<{ id: string }>();
  let text = '';
  while (!text.includes('event: operation.completed')) text += Buffer.from((await owner.read()).value ?? []).toString('utf8');
  expect(text).toContain(`"id":"${id}"`);
  await owner.cancel();
  // A ledger change clinician1 may see, committed after the operation finished: whatever the
  // stream was sent about the operation came before it.
  t.ledger.emit(1n, 'tx-after', { changes: [{ type: 'record', id: 'rec-1', action: 'created', custodian: 'Hospital1MSP' }] });
  let seen = '';
  while (!seen.includes('tx-after')) seen += Buffer.from((await other.read()).value ?? []).toString('utf8');
  expect(seen).not.toContain('operation');
  await other.cancel();
});
