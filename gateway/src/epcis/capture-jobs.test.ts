import { problem } from '../errors/problem';
import { CaptureJobs } from './capture-jobs';

const failOn = (bad: number) => (index: number) => (index === bad ? Promise.reject(new Error('refused')) : Promise.resolve({ operation: 'recordObservation', txId: `tx${index}` }));
const jobs = (limit?: number) => new CaptureJobs(() => problem('PACK_NOT_FOUND', 'x'), limit);

describe('capture jobs', () => {
  it('rollback: stops at the first failing event and says what committed', async () => {
    const store = jobs();
    const job = store.start('M/u1', 'rollback', ['e0', undefined, 'e2'], failOn(1));
    await store.settled();
    expect(store.get(job.captureID, 'M/u1')).toMatchObject({
      running: false, success: false,
      errors: [{ code: 'PACK_NOT_FOUND', instance: '#/epcisBody/eventList/1' }],
      'hl:events': [{ index: 0, eventID: 'e0', status: 'committed', txId: 'tx0' }, { index: 1, status: 'failed' }, { index: 2, eventID: 'e2', status: 'not_attempted' }],
    });
  });

  it('proceed: attempts every event', async () => {
    const store = jobs();
    const job = store.start('M/u1', 'proceed', [undefined, undefined, undefined], failOn(0));
    await store.settled();
    expect(job['hl:events'].map((e) => e.status)).toEqual(['failed', 'committed', 'committed']);
    expect(job.success).toBe(false);
  });

  it('is readable by its starter only, and old finished jobs are forgotten', async () => {
    const store = jobs(2);
    const first = store.start('M/u1', 'rollback', [undefined], failOn(-1));
    await store.settled();
    expect(store.get(first.captureID, 'D/u2')).toBeUndefined();
    expect(store.get(first.captureID, 'M/u1')).toMatchObject({ success: true, running: false });
    store.start('M/u1', 'rollback', [undefined], failOn(-1));
    store.start('M/u1', 'rollback', [undefined], failOn(-1));
    await store.settled();
    expect(store.get(first.captureID, 'M/u1')).toBeUndefined();
  });
});
