/**
 * The body budget: bodies that do not fit wait, unread, in arrival order and are admitted as
 * earlier requests answer; one that waits too long is 503 BODY_BUDGET_EXHAUSTED with Retry-After
 * and reaches nothing. Over HTTP against the scripted ledger: a request held in the ledger keeps
 * its charge, so the next one must wait for it.
 */
import type { RecordedCall } from '../testing/scripted-ledger';
import { testApp, type HttpResponse, type TestApp } from '../testing/test-app';
import { recordRoutes } from '../routes/contracts/records';
import { ByteBudget } from './body-budget';
import { recordEntry } from '../testing/records';

describe('ByteBudget', () => {
  test('charges what fits at once; the rest waits in order and is admitted as charges come back', async () => {
    const budget = new ByteBudget(100);
    const first = await budget.acquire(60, 60_000);
    const admitted: string[] = [];
    const second = budget.acquire(60, 60_000).then((release) => (admitted.push('second'), release));
    const third = budget.acquire(10, 60_000).then((release) => (admitted.push('third'), release));
    await Promise.resolve();
    // 10 bytes would fit, but the third never overtakes the second.
    expect(budget.waiting).toBe(2);
    expect(admitted).toEqual([]);
    first?.();
    first?.(); // giving back twice counts once
    const [releaseSecond, releaseThird] = await Promise.all([second, third]);
    expect(admitted).toEqual(['second', 'third']);
    expect(budget.inUse).toBe(70);
    releaseSecond?.();
    releaseThird?.();
    expect(budget.inUse).toBe(0);
  });

  test('a body larger than the whole budget runs alone; one that waits too long or is cancelled is charged nothing', async () => {
    const budget = new ByteBudget(100);
    const huge = await budget.acquire(500, 60_000);
    expect(budget.inUse).toBe(100);
    expect(await budget.acquire(1, 1)).toBeUndefined();
    let cancel: (() => void) | undefined;
    const cancelled = budget.acquire(1, 60_000, (c) => (cancel = c));
    cancel?.();
    expect(await cancelled).toBeUndefined();
    expect(budget.waiting).toBe(0);
    huge?.();
    expect(budget.inUse).toBe(0);
  });
});

const record = (recordId: string) => recordEntry(recordId, 'imaging');

describe('the gateway under a body budget', () => {
  const BUDGET = 65_536;
  const BODY = 40_000; // two do not fit in the budget together
  let t: TestApp;
  /** Resolves the ledger call of the first upload, which is held until then. */
  let releaseFirst: () => void = () => undefined;

  async function start(waitMs: number): Promise<void> {
    const held = new Promise<void>((resolve) => (releaseFirst = resolve));
    let staged = 0;
    const handler = async (c: RecordedCall) => {
      if (c.call.fn === 'records:stageContent') {
        if (staged++ === 0) await held;
        return { recordId: JSON.parse(c.call.args?.[0] ?? '{}').recordId, contentHash: 'a'.repeat(64) };
      }
      return record(JSON.parse(c.call.args?.[0] ?? '{}').recordId);
    };
    t = await testApp({ routes: [recordRoutes], handler, env: { HEALTHLEDGER_BODY_BUDGET: String(BUDGET), HEALTHLEDGER_BODY_WAIT_MS: String(waitMs) } });
  }
  afterEach(async () => {
    releaseFirst();
    await t.close();
  });

  async function upload(recordId: string): Promise<HttpResponse> {
    const pdf = Buffer.alloc(BODY, 0x20);
    pdf.write('%PDF-1.7\n', 0, 'latin1');
    const headers = { authorization: await t.bearer('clinician1'), 'content-type': 'application/pdf' };
    return t.inject({ method: 'PUT', url: `/records/${recordId}/content?patientRef=pt-0c5f1a9e&category=imaging`, payload: pdf, headers });
  }

  /** Reads one gauge of /metrics. */
  async function gauge(name: string): Promise<number> {
    const text = (await t.inject({ method: 'GET', url: '/metrics' })).body;
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
  }

  /** Polls until `condition` holds (each poll is a request, so the server's side has progressed). */
  async function until(condition: () => Promise<boolean> | boolean): Promise<void> {
    while (!(await condition())) await new Promise((resolve) => setImmediate(resolve));
  }

  /** The first upload is held in the ledger, charged; the second arrives and waits for it. */
  async function secondWaitsForFirst(): Promise<{ first: Promise<HttpResponse>; second: Promise<HttpResponse> }> {
    const first = upload('rec-1');
    await until(() => t.ledger.calls.length === 1);
    const second = upload('rec-2');
    await until(async () => (await gauge('healthledger_body_budget_waiting_requests')) === 1);
    expect(await gauge('healthledger_body_budget_bytes_in_use')).toBe(BODY);
    return { first, second };
  }

  test('a body that does not fit waits, unread, until the request ahead has answered, then succeeds', async () => {
    await start(600_000);
    const { first, second } = await secondWaitsForFirst();
    expect(t.ledger.calls).toHaveLength(1); // the second has not reached the ledger
    releaseFirst();
    expect((await first).statusCode).toBe(201);
    expect((await second).statusCode).toBe(201);
    const staged = t.ledger.calls.filter((c) => c.call.fn === 'records:stageContent').map((c) => JSON.parse(c.call.args?.[0] ?? '{}').recordId);
    expect(staged).toEqual(['rec-1', 'rec-2']);
    await until(async () => (await gauge('healthledger_body_budget_bytes_in_use')) === 0);
  });

  test('one that waits too long is 503 BODY_BUDGET_EXHAUSTED with Retry-After, and nothing of it reaches the ledger', async () => {
    await start(1); // the first request is held for as long as the test likes: the second's wait always runs out
    const first = upload('rec-1');
    await until(() => t.ledger.calls.length === 1);
    const refused = await upload('rec-2');
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.json()).toMatchObject({ status: 503, code: 'BODY_BUDGET_EXHAUSTED' });
    expect(await gauge('healthledger_body_budget_waiting_requests')).toBe(0);
    releaseFirst();
    expect((await first).statusCode).toBe(201);
    // Only the first upload's transactions: the refused one staged nothing and created nothing.
    expect(t.ledger.calls.map((c) => JSON.parse(c.call.args?.[0] ?? '{}').recordId)).toEqual(['rec-1', 'rec-1']);
  });
});
