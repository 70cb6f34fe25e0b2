/**
 * Asynchronous operations end to end (docs/design/operations.md): bulk commissioning of a few
 * thousand SGTINs answered 202 and polled to success with monotone progress, announced to its
 * owner on the event stream and by webhook; a failing batch in the middle reporting the batches
 * that committed and the request that did not; a lot recall carried through several
 * transactions; an export of every page of a list. A real-Fabric journey too
 * (scripts/lib/journeys.js): ids are this run's, so a persistent ledger takes it again.
 */
import { createServer } from 'node:http';
import { gs1CheckDigit } from '@healthledger/contract-api';
import { client, localAddressToward, type Json } from './http';
import { startJourneys, type JourneyNetwork } from './network';

jest.setTimeout(120_000);

let net: JourneyNetwork;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  net = await startJourneys('operations');
  api = client(net);
}, 120_000);
afterAll(async () => net?.stop());

const RUN_NUMBER = Math.floor(Math.random() * 90_000) + 10_000;
const RUN = RUN_NUMBER.toString(36);
const gtinBody = `09507000${String(RUN_NUMBER).padStart(5, '0')}`;
const GTIN = gtinBody + String(gs1CheckDigit(gtinBody));
const ASYNC = { prefer: 'respond-async' };

async function ok(res: Promise<{ status: number; body: Json; headers: Headers }>, status: number): Promise<{ body: Json; headers: Headers }> {
  const reply = await res;
  if (reply.status !== status) throw new Error(`expected ${status}, got ${reply.status}: ${JSON.stringify(reply.body)}`);
  return reply;
}

/** Polls an operation until it has finished; returns every view seen, the last finished. */
async function pollToEnd(user: string, location: string): Promise<Json[]> {
  const seen: Json[] = [];
  for (let polls = 0; polls < 2400; polls++) {
    const { body } = await ok(api.get(user, location), 200);
    seen.push(body);
    if (!['accepted', 'running'].includes(body.status)) return seen;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`operation ${location} still running`);
}

/** `user`'s event stream of operations, from now: the notices of the operation `id()` names, up to its completion. */
async function operationStream(user: string): Promise<{ notices: (id: string) => Promise<{ type: string; operation: Json }[]> }> {
  const res = await fetch(`${net.urlFor(user)}/events?types=operation`, { headers: { authorization: await net.bearer(user) } });
  const reader = res.body!.getReader();
  const frames: { type: string; operation: Json }[] = [];
  let buffer = '';
  return {
    notices: async (id) => {
      for (;;) {
        const mine = frames.filter((f) => f.operation.id === id);
        if (mine.some((f) => f.type === 'operation.completed')) {
          await reader.cancel();
          return mine;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += Buffer.from(value).toString('utf8');
        const parts = buffer.split('\n\n');
        buffer = parts.pop() ?? '';
        for (const frame of parts) {
          const type = /^event: (operation\.\w+)$/m.exec(frame)?.[1];
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (type && data) frames.push({ type, operation: JSON.parse(data) });
        }
      }
    },
  };
}

/** A loopback webhook receiver: the bodies it got. */
async function receiver(): Promise<{ url: string; bodies: Json[]; close: () => Promise<void> }> {
  const bodies: Json[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  const host = await localAddressToward(net.urlFor('manufacturer1'));
  await new Promise<void>((r) => server.listen(0, host, r));
  const { port } = server.address() as { port: number };
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/hook`;
  return { url, bodies, close: () => new Promise<void>((r) => server.close(() => r())) };
}

beforeAll(async () => {
  await ok(api.post('manufacturer1', '/products', { gtin: GTIN, companyPrefixLength: 7, name: 'Amoxicillin 500 mg', strength: '500 mg', dosageForm: 'capsule', packSize: 20, storage: { minCelsius: 15, maxCelsius: 25 } }), 201);
});

test('bulk commissioning of 2,500 SGTINs: 202, polled to success with monotone progress, announced to its owner only', async () => {
  const hook = await receiver();
  const registered = await ok(api.post('manufacturer1', '/webhooks', { url: hook.url, types: ['operation'] }), 201);
  const stream = await operationStream('manufacturer1');
  try {
    // Above 2,000 serials the gateway goes asynchronous on its own: no Preference-Applied then.
    const accepted = await ok(api.post('manufacturer1', '/packs/commission-bulk', { gtin: GTIN, lot: `A${RUN}`, expiry: '2030-06-30', range: { prefix: `A${RUN}-`, start: 1, count: 2500 } }), 202);
    const { id } = accepted.body;
    expect(accepted.body).toMatchObject({ kind: 'commission-bulk', status: 'accepted', progress: { done: 0, total: 2500, unit: 'packs' }, owner: 'ManufacturerMSP/manufacturer1' });
    expect(accepted.headers.get('location')).toBe(`/operations/${id}`);
    expect(Number(accepted.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(accepted.headers.get('preference-applied')).toBeNull();

    const seen = await pollToEnd('manufacturer1', `/operations/${id}`);
    const done = seen.map((view) => view.progress.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    const last = seen.at(-1);
    expect(last).toMatchObject({ status: 'succeeded', progress: { done: 2500, total: 2500 }, errors: [], result: { total: 2500, done: 2500 } });
    expect(last.batches).toHaveLength(10);
    expect(new Set(last.batches.map((b: Json) => b.txId)).size).toBe(10);
    expect(last.batches.map((b: Json) => b.offset).sort((a: number, b: number) => a - b)).toEqual(Array.from({ length: 10 }, (_v, i) => i * 250));

    // Its owner hears of it; nobody else may read it.
    const notices = await stream.notices(id);
    expect(notices.at(-1)).toMatchObject({ type: 'operation.completed', operation: { id, status: 'succeeded' } });
    const announced = notices.map((n) => n.operation.progress.done);
    expect(announced).toEqual([...announced].sort((a, b) => a - b));
    expect((await api.get('distributor1', `/operations/${id}`)).body).toMatchObject({ status: 404, code: 'OPERATION_NOT_FOUND' });
    expect((await api.get('manufacturer1', '/operations?status=succeeded')).body.items.map((o: Json) => o.id)).toContain(id);
    const holders = await ok(api.get('manufacturer1', `/products/${GTIN}/lots/A${RUN}/holders`), 200);
    expect(holders.body.holders).toEqual([expect.objectContaining({ owner: 'ManufacturerMSP', packs: 2500 })]);
    for (let i = 0; i < 600 && !hook.bodies.some((b) => b.type === 'operation.completed' && b.operation.id === id); i++) await new Promise((r) => setTimeout(r, 100));
    expect(hook.bodies.find((b) => b.type === 'operation.completed' && b.operation.id === id)).toMatchObject({ operation: { status: 'succeeded', owner: 'ManufacturerMSP/manufacturer1' } });
  } finally {
    await api.del('manufacturer1', `/webhooks/${registered.body.id}`);
    await hook.close();
  }
});

test('a failing batch in the middle: the operation fails naming the committed batches and the request that did not commit', async () => {
  const lot = `F${RUN}`;
  const serials = Array.from({ length: 1000 }, (_v, i) => `F${RUN}-${i + 1}`);
  // The third batch (serials 501–750) holds a serial commissioned already.
  await ok(api.post('manufacturer1', '/packs/commission', { gtin: GTIN, lot, expiry: '2030-06-30', serials: [serials[599]] }), 201);
  const accepted = await ok(api.post('manufacturer1', '/packs/commission-bulk', { gtin: GTIN, lot, expiry: '2030-06-30', serials }, ASYNC), 202);
  expect(accepted.headers.get('preference-applied')).toBe('respond-async');
  const last = (await pollToEnd('manufacturer1', accepted.headers.get('location') ?? '')).at(-1);
  expect(last).toMatchObject({ status: 'failed', errors: [{ code: 'PACK_EXISTS', status: 409 }] });
  expect(last.batches.map((b: Json) => b.offset).sort((a: number, b: number) => a - b)).toEqual([0, 250, 750]);
  expect(last.progress.done).toBe(750);
  expect(last.remaining).toEqual([{ gtin: GTIN, lot, expiry: '2030-06-30', serials: serials.slice(500, 750) }]);
  expect(last).not.toHaveProperty('result');
});

test('a small bulk request stays synchronous unless asked; a recall of a large lot runs until every pack is flagged', async () => {
  const lot = `R${RUN}`;
  const sync = await ok(api.post('manufacturer1', '/packs/commission-bulk', { gtin: GTIN, lot, expiry: '2030-06-30', range: { prefix: `R${RUN}-`, start: 1, count: 500 } }), 201);
  expect(sync.body).toMatchObject({ total: 500, done: 500 });
  const accepted = await ok(api.post('manufacturer1', '/recalls', { gtin: GTIN, lot, reason: 'contamination', maxPacks: 200 }, ASYNC), 202);
  expect(accepted.body).toMatchObject({ kind: 'recall', progress: { unit: 'packs' } });
  const last = (await pollToEnd('manufacturer1', accepted.headers.get('location') ?? '')).at(-1);
  expect(last).toMatchObject({ status: 'succeeded', progress: { done: 500, total: 500 }, result: { gtin: GTIN, lot, flagged: 500, remaining: 0 } });
  expect(last.batches.map((b: Json) => b.count)).toEqual([200, 200, 100]);
  const verified = await ok(api.post('pharmacist1', '/verifications', { gtin: GTIN, serial: `R${RUN}-499` }), 200);
  expect(verified.body).toMatchObject({ recalled: true });
});

test('an export of every page of a list, for its owner', async () => {
  const accepted = await ok(api.call('manufacturer1', 'GET', `/audit/history/pack/${GTIN}?serial=${encodeURIComponent(`F${RUN}-600`)}`, undefined, ASYNC), 202);
  expect(accepted.body).toMatchObject({ kind: 'export', progress: { unit: 'items' } });
  const last = (await pollToEnd('manufacturer1', accepted.headers.get('location') ?? '')).at(-1);
  expect(last).toMatchObject({ status: 'succeeded', result: { items: [expect.objectContaining({ txId: expect.any(String) })] } });
  expect((await api.del('manufacturer1', `/operations/${last.id}`)).body).toMatchObject({ status: 409, code: 'OPERATION_FINISHED' });
});
