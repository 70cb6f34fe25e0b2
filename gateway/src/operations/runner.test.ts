import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { problem } from '../errors/problem';
import type { FabricUser, Wallet } from '../fabric/wallet';
import { testWallet } from '../testing/test-app';
import type { OperationNotice, OperationRecord } from './model';
import { Operations, type OperationKind } from './runner';
import { OperationStore } from './store';

const silent = { info: () => undefined } as unknown as FastifyBaseLogger;

/** A kind that commits `input.items` one "transaction" each, waiting on `gate` before each. */
function countingKind(log: string[], gate: () => Promise<void>, failAt = -1): OperationKind<{ items: number }> {
  return {
    unit: 'items',
    durable: true,
    run: async (op) => {
      for (let i = op.record.batches.length; i < op.input.items; i++) {
        if (op.stopped()) return { complete: false, remaining: [{ from: i }] };
        await gate();
        const slot = op.journal().slot({ fn: 'c:item', args: [String(i)] });
        if (slot.attempts.length === 0) slot.record({ nonce: '00', txId: `tx${i}` });
        if (i === failAt) throw new Error('refused');
        log.push(`tx${i}`);
        op.batch({ txId: `tx${i}`, offset: i, count: 1 });
        op.progress(i + 1);
      }
      return { complete: true, result: { items: op.input.items } };
    },
  };
}

let dir: string;
let wallet: Wallet;
let user: FabricUser;
beforeAll(async () => {
  wallet = await testWallet();
  user = wallet.get('Hospital1MSP', 'clinician1')!;
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hl-operations-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const operationsIn = (options = {}) => new Operations(new OperationStore(dir), wallet, () => problem('PACK_NOT_FOUND', 'x'), options);
const completion = (operations: Operations) => new Promise<OperationNotice>((resolve) => operations.subscribe((n) => n.type === 'operation.completed' && resolve(n)));
const immediately = () => Promise.resolve();

describe('operations', () => {
  it('run to success with monotone progress, announce themselves, and are their owner\'s only', async () => {
    const operations = operationsIn({ progressIntervalMs: 0 });
    operations.define('count', countingKind([], immediately));
    const notices: OperationNotice[] = [];
    operations.subscribe((n) => notices.push(n));
    const done = completion(operations);
    const started = operations.start(user, 'count', { items: 3 }, 3);
    expect(started.status).toBe('accepted');
    await done;
    const view = operations.get(started.id, 'Hospital1MSP/clinician1');
    expect(view).toMatchObject({ status: 'succeeded', progress: { done: 3, total: 3, unit: 'items' }, result: { items: 3 }, errors: [] });
    expect(view).not.toHaveProperty('journal');
    expect(operations.get(started.id, 'Hospital2MSP/clinician2')).toBeUndefined();
    expect(operations.list('Hospital2MSP/clinician2')).toEqual([]);
    const progress = notices.filter((n) => n.type === 'operation.progress').map((n) => n.operation.progress.done);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(notices.at(-1)).toMatchObject({ type: 'operation.completed', operation: { status: 'succeeded' } });
  });

  it('a failure ends it failed with the problem and what committed', async () => {
    const operations = operationsIn();
    operations.define('count', countingKind([], immediately, 1));
    const done = completion(operations);
    const { id } = operations.start(user, 'count', { items: 3 }, 3);
    expect((await done).operation).toMatchObject({ id, status: 'failed', errors: [{ code: 'PACK_NOT_FOUND' }], batches: [{ txId: 'tx0' }] });
    expect(() => operations.cancel(id, 'Hospital1MSP/clinician1')).toThrow(expect.objectContaining({ problem: expect.objectContaining({ code: 'OPERATION_FINISHED' }) }));
  });

  it('cancel: nothing new starts, it ends cancelled with what is left', async () => {
    const operations = operationsIn();
    let release: () => void = () => undefined;
    const log: string[] = [];
    operations.define('count', countingKind(log, () => new Promise<void>((resolve) => (release = resolve))));
    const done = completion(operations);
    const { id } = operations.start(user, 'count', { items: 5 }, 5);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(() => operations.cancel(id, 'Hospital2MSP/clinician2')).toThrow(expect.objectContaining({ problem: expect.objectContaining({ code: 'OPERATION_NOT_FOUND' }) }));
    operations.cancel(id, 'Hospital1MSP/clinician1');
    release();
    expect((await done).operation).toMatchObject({ status: 'cancelled', remaining: [{ from: 1 }], batches: [{ txId: 'tx0' }] });
    expect(log).toEqual(['tx0']);
  });

  it('a durable operation stopped with the gateway resumes at the next start from its record and journal', async () => {
    const first = operationsIn();
    let release: () => void = () => undefined;
    const log: string[] = [];
    first.define('count', countingKind(log, () => new Promise<void>((resolve) => (release = resolve))));
    const { id } = first.start(user, 'count', { items: 3 }, 3);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const stopped = first.stop();
    release();
    await stopped;
    const onDisk = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8')) as OperationRecord;
    expect(onDisk).toMatchObject({ status: 'running', progress: { done: 1 }, journal: { [Object.keys(onDisk.journal)[0]!]: [{ txId: 'tx0' }] } });

    const second = operationsIn();
    second.define('count', countingKind(log, immediately));
    const done = completion(second);
    second.resumeInterrupted(silent);
    expect((await done).operation).toMatchObject({ id, status: 'succeeded', progress: { done: 3 } });
    expect(log).toEqual(['tx0', 'tx1', 'tx2']);
    // Finished: the journal and the stored input are gone.
    expect(readdirSync(dir)).toEqual([`${id}.json`]);
  });

  it('an operation that cannot resume (its kind is gone) fails OPERATION_INTERRUPTED, keeping what committed', async () => {
    const first = operationsIn();
    let release: () => void = () => undefined;
    first.define('count', countingKind([], () => new Promise<void>((resolve) => (release = resolve))));
    const { id } = first.start(user, 'count', { items: 3 }, 3);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const stopped = first.stop();
    release();
    await stopped;
    const second = operationsIn();
    second.resumeInterrupted(silent);
    expect(second.get(id, 'Hospital1MSP/clinician1')).toMatchObject({ status: 'failed', errors: [{ code: 'OPERATION_INTERRUPTED' }], batches: [{ txId: 'tx0' }] });
  });

  it('lists the caller\'s own, newest first, by status', async () => {
    const operations = operationsIn();
    operations.define('count', countingKind([], immediately));
    const done = completion(operations);
    const a = operations.start(user, 'count', { items: 1 }, 1);
    await done;
    expect(operations.list('Hospital1MSP/clinician1', 'succeeded').map((o) => o.id)).toEqual([a.id]);
    expect(operations.list('Hospital1MSP/clinician1', 'running')).toEqual([]);
  });
});
