import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { ScriptedLedger } from '../testing/scripted-ledger';
import { testWallet } from '../testing/test-app';
import type { FabricUser } from '../fabric/wallet';
import { EventFeed, readyBatches } from './feed';
import { EventLog, type LoggedEvent } from './log';
import { Webhooks } from './webhooks';

const logger = pino({ level: 'silent' });
let dir: string;
let ledger: ScriptedLedger;
let user: FabricUser;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hl-events-'));
  ledger = new ScriptedLedger();
  user = (await testWallet()).list()[0]!;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const change = (id: string) => ({
  txId: id,
  changes: [id.startsWith('c') ? { type: 'claim', id, action: 'submitted', provider: 'Hospital1MSP', payer: 'InsurerMSP' } : { type: 'record', id, action: 'created', custodian: 'Hospital1MSP' }],
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Every logged event, read as the SSE replay reads them. */
async function logged(feed: EventFeed): Promise<LoggedEvent[]> {
  const events: LoggedEvent[] = [];
  for await (const event of feed.log.since(0)) events.push(event);
  return events;
}

async function runFeed(): Promise<EventFeed> {
  const feed = new EventFeed({ ledger, user, dataDir: dir });
  await feed.start(logger);
  return feed;
}

describe('event feed', () => {
  test('logs healthledger.changes events in ledger order and skips other names', async () => {
    ledger.emit(1n, 'r1', change('r1'));
    ledger.emit(1n, 'x', {}, 'other.event');
    ledger.emit(2n, 'r2', change('r2'));
    const feed = await runFeed();
    await until(() => feed.log.head === 2);
    expect((await logged(feed)).map((e) => [e.seq, e.blockNumber, e.txId])).toEqual([
      [1, '1', 'r1'],
      [2, '2', 'r2'],
    ]);
    await feed.stop();
  });

  test('restart resumes from the checkpoint: nothing lost, nothing duplicated', async () => {
    ledger.emit(1n, 'r1', change('r1'));
    ledger.emit(2n, 'r2', change('r2'));
    const first = await runFeed();
    await until(() => first.log.head === 2);
    await first.stop();
    // Committed while the gateway was down, including a second event in a checkpointed block.
    ledger.emit(2n, 'r3', change('r3'));
    ledger.emit(3n, 'r4', change('r4'));
    const second = await runFeed();
    await until(() => second.log.head === 4);
    ledger.emit(4n, 'r5', change('r5'));
    await until(() => second.log.head === 5);
    expect((await logged(second)).map((e) => e.txId)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    await second.stop();
  });

  test('a crash between logging and checkpointing does not duplicate the event', async () => {
    ledger.emit(1n, 'r1', change('r1'));
    const first = await runFeed();
    await until(() => first.log.head === 1);
    await first.stop();
    ledger.emit(2n, 'r2', change('r2'));
    // Simulate: r2 appended to the log, then the process died before the checkpoint moved.
    const log = await EventLog.open(join(dir, 'events'));
    await log.append({ blockNumber: '2', txId: 'r2', changes: change('r2').changes });
    await log.close();
    const second = await runFeed();
    ledger.emit(3n, 'r3', change('r3'));
    await until(() => second.log.head === 3);
    expect((await logged(second)).map((e) => e.txId)).toEqual(['r1', 'r2', 'r3']);
    await second.stop();
  });
});

describe('readyBatches', () => {
  const pause = () => new Promise((resolve) => setTimeout(resolve, 20));

  async function batchesOf<T>(stream: AsyncIterable<T>): Promise<T[][]> {
    const batches: T[][] = [];
    for await (const batch of readyBatches(stream)) batches.push(batch);
    return batches;
  }

  test('gathers what is ready at once, and ends a batch at the first value that is not', async () => {
    async function* stream() {
      yield* [1, 2, 3];
      await pause();
      yield 4;
      await pause();
      yield* [5, 6];
    }
    expect(await batchesOf(stream())).toEqual([[1, 2, 3], [4], [5, 6]]);
  });

  test('a block of more than 500 events comes in batches of 500', async () => {
    const values = Array.from({ length: 1203 }, (_, i) => i);
    const stream = async function* () {
      await Promise.resolve();
      yield* values;
    };
    const batches = await batchesOf(stream());
    expect(batches.map((b) => b.length)).toEqual([500, 500, 203]);
    expect(batches.flat()).toEqual(values);
  });

  test("a stream's failure reaches the reader after the values before it", async () => {
    async function* stream() {
      yield* ['a', 'b'];
      await pause();
      throw new Error('stream failed');
    }
    const seen: string[][] = [];
    await expect(
      (async () => {
        for await (const batch of readyBatches(stream())) seen.push(batch);
      })(),
    ).rejects.toThrow('stream failed');
    expect(seen).toEqual([['a', 'b']]);
  });
});

describe('webhooks', () => {
  let server: Server;
  let url: string;
  const received: { id: string; body: string; signature: string }[] = [];
  let failNext = 0;

  beforeEach(async () => {
    received.length = 0;
    failNext = 0;
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (failNext > 0) {
          failNext--;
          res.writeHead(500).end();
          return;
        }
        received.push({ id: String(req.headers['x-healthledger-event-id']), body, signature: String(req.headers['x-healthledger-signature']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address() as { port: number };
    url = `http://127.0.0.1:${address.port}/hook`;
  });
  afterEach(async () => new Promise<void>((r) => server.close(() => r())));

  test('delivers signed events of the requested types, retrying failures, once each across restarts', async () => {
    const feed = await runFeed();
    const hooks = new Webhooks(dir, feed, logger, { maxBackoffMs: 50 });
    hooks.start();
    const hook = hooks.register({ mspId: 'InsurerMSP', name: 'adjudicator1', role: 'adjudicator' }, url, ['claim']);
    failNext = 2;
    ledger.emit(1n, 'c1', change('c1'));
    ledger.emit(2n, 'r1', change('r1'));
    ledger.emit(3n, 'c2', change('c2'));
    await until(() => received.length === 2);
    expect(received.map((r) => JSON.parse(r.body).txId)).toEqual(['c1', 'c2']);
    for (const r of received) {
      const [t, v1] = r.signature.split(',').map((p) => p.split('=')[1]);
      expect(v1).toBe(createHmac('sha256', hook.secret).update(`${t}.${r.body}`).digest('hex'));
    }
    await hooks.stop();
    await feed.stop();

    ledger.emit(4n, 'c3', change('c3'));
    const feed2 = await runFeed();
    const hooks2 = new Webhooks(dir, feed2, logger, { maxBackoffMs: 50 });
    hooks2.start();
    await until(() => received.length === 3);
    await new Promise((r) => setTimeout(r, 100));
    expect(received.map((r) => JSON.parse(r.body).txId)).toEqual(['c1', 'c2', 'c3']);
    await hooks2.stop();
    await feed2.stop();
  });

  test("deliver what the owner's role and organisation may see; a hook saved without a role gets nothing", async () => {
    const feed = await runFeed();
    const legacy = { id: 'legacy', url, types: [], secret: 'whsec_x', owner: 'Hospital1MSP/admin1', cursor: 0, createdAt: '2026-01-01T00:00:00.000Z' };
    writeFileSync(join(dir, 'events', 'webhooks.json'), JSON.stringify([legacy]));
    const hooks = new Webhooks(dir, feed, logger, { maxBackoffMs: 50 });
    hooks.start();
    hooks.register({ mspId: 'Hospital2MSP', name: 'clinician2', role: 'clinician' }, url, []);
    ledger.emit(1n, 'r1', change('r1')); // custodian Hospital 1: not for Hospital 2
    ledger.emit(2n, 'c1', change('c1')); // Hospital 1 and the insurer's claim: not for a clinician
    ledger.emit(3n, 'e1', { txId: 'e1', changes: [{ type: 'emergency', id: 'em-1', action: 'opened', patientRef: 'pt-1', org: 'Hospital2MSP' }] });
    await until(() => received.length === 1);
    await until(() => hooks.list('Hospital1MSP/admin1')[0]?.cursor === 3);
    expect(received.map((r) => JSON.parse(r.body))).toEqual([
      { id: '3', blockNumber: '3', txId: 'e1', changes: [{ type: 'emergency', id: 'em-1', action: 'opened', patientRef: 'pt-1', org: 'Hospital2MSP' }] },
    ]);
    await hooks.stop();
    await feed.stop();
  });
});
