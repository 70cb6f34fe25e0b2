/**
 * Hand-built committed blocks for the gateway's unit tests: endorser transactions whose first
 * action carries a chaincode result, and the validation code of each in the block's filter.
 */
import { common, peer } from '@hyperledger/fabric-protos';

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

export function block(number: number, txs: [string, string, number][]): common.Block {
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
