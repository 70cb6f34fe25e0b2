import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { problem } from '../errors/problem';
import { Operations } from '../operations/runner';
import { OperationStore } from '../operations/store';
import { testWallet } from '../testing/test-app';
import type { FabricUser } from '../fabric/wallet';
import { captureJobOf, captureKind, initialCaptureState, type CaptureErrorBehaviour, type CaptureInput } from './capture-jobs';

const failOn = (bad: number) => captureKind((_user, event) => {
  const index = Number(event['hl:index']);
  return index === bad ? Promise.reject(new Error('refused')) : Promise.resolve({ operation: 'recordObservation', txId: `tx${index}` });
});

let dir: string;
let user: FabricUser;
beforeAll(async () => {
  user = (await testWallet()).get('Hospital1MSP', 'clinician1')!;
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hl-capture-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function capture(bad: number, behaviour: CaptureErrorBehaviour, ids: (string | undefined)[]) {
  const wallet = await testWallet();
  const operations = new Operations(new OperationStore(dir), wallet, () => problem('PACK_NOT_FOUND', 'x'));
  operations.define('epcis-capture', failOn(bad));
  const input: CaptureInput = { context: [], behaviour, events: ids.map((eventID, i) => ({ 'hl:index': i, ...(eventID ? { eventID } : {}) })) };
  const record = operations.start(user, 'epcis-capture', input, ids.length, initialCaptureState(input));
  expect(captureJobOf(record)).toMatchObject({ running: true, 'hl:events': ids.map(() => ({ status: 'not_attempted' })) });
  await new Promise((resolve) => operations.subscribe((n) => n.type === 'operation.completed' && resolve(n)));
  return { operations, record };
}

describe('capture jobs (operations of kind epcis-capture)', () => {
  it('rollback: stops at the first failing event and says what committed', async () => {
    const { record } = await capture(1, 'rollback', ['e0', undefined, 'e2']);
    expect(captureJobOf(record)).toMatchObject({
      running: false, success: false,
      errors: [{ code: 'PACK_NOT_FOUND', instance: '#/epcisBody/eventList/1' }],
      'hl:events': [{ index: 0, eventID: 'e0', status: 'committed', txId: 'tx0' }, { index: 1, status: 'failed' }, { index: 2, eventID: 'e2', status: 'not_attempted' }],
    });
    expect(record).toMatchObject({ status: 'failed', batches: [{ txId: 'tx0', offset: 0, count: 1 }] });
  });

  it('proceed: attempts every event', async () => {
    const { record } = await capture(0, 'proceed', [undefined, undefined, undefined]);
    expect(captureJobOf(record)['hl:events'].map((e) => e.status)).toEqual(['failed', 'committed', 'committed']);
    expect(captureJobOf(record).success).toBe(false);
    expect(record.progress).toEqual({ done: 3, total: 3, unit: 'events' });
  });

  it('is readable by its starter only', async () => {
    const { operations, record } = await capture(-1, 'rollback', [undefined]);
    expect(operations.recordOf(record.id, 'Hospital2MSP/clinician2')).toBeUndefined();
    expect(captureJobOf(operations.recordOf(record.id, 'Hospital1MSP/clinician1')!)).toMatchObject({ success: true, running: false });
  });
});
