import type { ServiceError } from '@grpc/grpc-js';
import { CommitError, GatewayError, type Status } from '@hyperledger/fabric-gateway';
import { backoffMs, commitWithRetries, retryUnavailable } from './retry';

const unavailable = () => new GatewayError({ code: 14, details: [], cause: {} as ServiceError, message: '14 UNAVAILABLE: down' });
const status = (code: number, txId: string): Status => ({ code: code as 0, successful: code === 0, blockNumber: 1n, transactionId: txId });

describe('retryUnavailable (same signed message)', () => {
  test('retries UNAVAILABLE up to the bound, then succeeds', async () => {
    let calls = 0;
    const value = await retryUnavailable(3, () => (++calls < 3 ? Promise.reject(unavailable()) : Promise.resolve('ok')));
    expect([value, calls]).toEqual(['ok', 3]);
  });

  test('gives up after maxAttempts with the last error', async () => {
    let calls = 0;
    await expect(retryUnavailable(2, () => (++calls, Promise.reject(unavailable())))).rejects.toBeInstanceOf(GatewayError);
    expect(calls).toBe(2);
  });

  test('never retries other errors (a chaincode rejection is final)', async () => {
    let calls = 0;
    const aborted = new GatewayError({ code: 10, details: [], cause: {} as ServiceError, message: '10 ABORTED' });
    await expect(retryUnavailable(3, () => (++calls, Promise.reject(aborted)))).rejects.toBe(aborted);
    expect(calls).toBe(1);
  });
});

describe('commitWithRetries (new transaction per attempt)', () => {
  test('an MVCC conflict runs a fresh transaction', async () => {
    const txIds: string[] = [];
    const outcome = await commitWithRetries(3, () => {
      const txId = `tx${txIds.length + 1}`;
      txIds.push(txId);
      return Promise.resolve({ status: status(txIds.length < 2 ? 11 : 0, txId) });
    });
    expect(txIds).toEqual(['tx1', 'tx2']);
    expect(outcome.status.transactionId).toBe('tx2');
  });

  test('conflicts beyond the bound surface as CommitError 11', async () => {
    let n = 0;
    const attempt = commitWithRetries(3, () => Promise.resolve({ status: status(11, `tx${++n}`) }));
    await expect(attempt).rejects.toBeInstanceOf(CommitError);
    await expect(attempt).rejects.toMatchObject({ code: 11 });
    expect(n).toBe(3);
  });

  test('an endorsement policy failure is not retried', async () => {
    let n = 0;
    await expect(commitWithRetries(3, () => Promise.resolve({ status: status(10, `tx${++n}`) }))).rejects.toMatchObject({ code: 10 });
    expect(n).toBe(1);
  });
});

test('backoff grows and stays within 1 s', () => {
  expect(backoffMs(1, () => 1)).toBe(50);
  expect(backoffMs(3, () => 1)).toBe(200);
  expect(backoffMs(20, () => 1)).toBe(1000);
});
