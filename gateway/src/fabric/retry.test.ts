import type { ServiceError } from '@grpc/grpc-js';
import { CommitError, EndorseError, GatewayError, type Status } from '@hyperledger/fabric-gateway';
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

describe('retryUnavailable follows the mapper: transient failures only', () => {
  const peer = { address: 'peer0.hospital2.example.com:9051', mspId: 'Hospital2MSP' };
  const endorseError = (code: number, message: string, details: string[] = []) =>
    new EndorseError({ code, cause: {} as ServiceError, transactionId: 'tx1', message, details: details.map((m) => ({ ...peer, message: m })) });

  test.each([
    ['chaincode not deployed', endorseError(9, '9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy: No metadata was found for chaincode healthledger in channel healthchannel')],
    ['chaincode not installed', endorseError(9, '9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy: required chaincodes are not installed on sufficient peers')],
    ["no endorser in the gateway's org", endorseError(9, "9 FAILED_PRECONDITION: no endorsers found in the gateway's organization; retry specifying endorsing organization(s) to protect transient data")],
    ['an UNAVAILABLE whose detail is an access denial', endorseError(14, '14 UNAVAILABLE: failed', ['access denied: channel [healthchannel] creator org [Hospital1MSP]'])],
  ])('%s is not retried', async (_label, err) => {
    let calls = 0;
    await expect(retryUnavailable(3, () => (++calls, Promise.reject(err)))).rejects.toBe(err);
    expect(calls).toBe(1);
  });

  test.each([
    [
      'a chaincode server that is down',
      endorseError(10, '10 ABORTED: failed to endorse transaction, see attached details for more info', [
        'error in simulation: failed to execute transaction 0f1e: could not launch chaincode healthledger_1.0:9a8b: connect: connection refused',
      ]),
    ],
    ['too few live peers in gossip', endorseError(9, '9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy: no peer combination can satisfy the endorsement policy')],
  ])('%s is retried with the same signed proposal', async (_label, err) => {
    let calls = 0;
    await expect(retryUnavailable(3, () => (++calls, Promise.reject(err)))).rejects.toBe(err);
    expect(calls).toBe(3);
  });
});

describe('commitWithRetries (new transaction per attempt)', () => {
  const mismatch = () =>
    new EndorseError({
      code: 10,
      cause: {} as ServiceError,
      transactionId: 'tx',
      message: '10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info',
      details: [{ address: 'peer0.hospital2.example.com:9051', mspId: 'Hospital2MSP', message: 'ProposalResponsePayloads do not match' }],
    });

  test('endorsers that disagree: a fresh transaction, which may agree', async () => {
    let n = 0;
    const outcome = await commitWithRetries(3, () => (++n < 2 ? Promise.reject(mismatch()) : Promise.resolve({ status: status(0, `tx${n}`) })));
    expect([n, outcome.status.transactionId]).toEqual([2, 'tx2']);
  });

  test('endorsers that keep disagreeing: the last EndorseError after the bound', async () => {
    let n = 0;
    await expect(commitWithRetries(3, () => (++n, Promise.reject(mismatch())))).rejects.toBeInstanceOf(EndorseError);
    expect(n).toBe(3);
  });

  test('other endorsement failures are not run again', async () => {
    let n = 0;
    const err = new EndorseError({ code: 9, cause: {} as ServiceError, transactionId: 'tx', message: '9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy: policy not found', details: [] });
    await expect(commitWithRetries(3, () => (++n, Promise.reject(err)))).rejects.toBe(err);
    expect(n).toBe(1);
  });

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
