import { peer } from '@hyperledger/fabric-protos';
import { committedTransaction, findInBlock } from './committed';
import { block } from '../testing/blocks';

const VALID = peer.TxValidationCode.VALID;
const MVCC = peer.TxValidationCode.MVCC_READ_CONFLICT;
const DUP = peer.TxValidationCode.DUPLICATE_TXID;

test('finds the first copy of a transaction in its block: block number, validation code, chaincode result', () => {
  const b = block(7, [
    ['other', '"x"', VALID],
    ['tx-1', '{"version":2}', VALID],
    ['tx-1', '{"version":3}', DUP],
  ]);
  const found = findInBlock(b, 'tx-1');
  expect(found?.status).toEqual({ blockNumber: 7n, code: VALID, successful: true, transactionId: 'tx-1' });
  expect(Buffer.from(found?.result ?? []).toString()).toBe('{"version":2}');
  expect(findInBlock(b, 'absent')).toBeUndefined();
});

test('an invalid transaction is reported with its code, unsuccessful', () => {
  expect(findInBlock(block(3, [['tx-2', '{}', MVCC]]), 'tx-2')?.status).toEqual({ blockNumber: 3n, code: MVCC, successful: false, transactionId: 'tx-2' });
});

test("qscc's 'no such transaction ID' means not committed; any other failure is thrown", async () => {
  const notFound = Object.assign(new Error('10 ABORTED: evaluate call to endorser returned error'), {
    details: [{ message: 'Failed to get block for txID tx-3, error no such transaction ID [tx-3] in index' }],
  });
  await expect(committedTransaction(() => Promise.reject(notFound), 'tx-3')).resolves.toBeUndefined();
  await expect(committedTransaction(() => Promise.reject(new Error('14 UNAVAILABLE')), 'tx-3')).rejects.toThrow(/UNAVAILABLE/);
  const found = await committedTransaction(() => Promise.resolve(block(9, [['tx-3', 'null', VALID]]).serializeBinary()), 'tx-3');
  expect(found?.status.blockNumber).toBe(9n);
});
