import { common, peer } from '@hyperledger/fabric-protos';
import { committedTransaction, findInBlock } from './committed';

/** An endorser transaction envelope whose first action carries `result` as the chaincode response. */
function envelope(txId: string, result: string): Uint8Array {
  const response = new peer.Response();
  response.setStatus(200);
  response.setPayload(Buffer.from(result));
  const chaincodeAction = new peer.ChaincodeAction();
  chaincodeAction.setResponse(response);
  const responsePayload = new peer.ProposalResponsePayload();
  responsePayload.setExtension$(chaincodeAction.serializeBinary());
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(responsePayload.serializeBinary());
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setAction(endorsed);
  const action = new peer.TransactionAction();
  action.setPayload(actionPayload.serializeBinary());
  const transaction = new peer.Transaction();
  transaction.setActionsList([action]);
  const channelHeader = new common.ChannelHeader();
  channelHeader.setTxId(txId);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(transaction.serializeBinary());
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  return env.serializeBinary();
}

function block(number: number, txs: [string, string, number][]): common.Block {
  const b = new common.Block();
  const header = new common.BlockHeader();
  header.setNumber(number);
  b.setHeader(header);
  const data = new common.BlockData();
  data.setDataList(txs.map(([txId, result]) => envelope(txId, result)));
  b.setData(data);
  const metadata = new common.BlockMetadata();
  const list: Uint8Array[] = [new Uint8Array(), new Uint8Array(), new Uint8Array()];
  list[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = Uint8Array.from(txs.map(([, , code]) => code));
  metadata.setMetadataList(list);
  b.setMetadata(metadata);
  return b;
}

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
