/**
 * What the ledger holds for a transaction id: whether it committed, in which block, with which
 * validation code, and the chaincode's result as endorsed. This is how a submit whose outcome was
 * lost (the gateway crashed, or the client gave up waiting) is answered after the fact exactly as
 * the first attempt would have been: one qscc `GetBlockByTxID` on the user's organisation peer.
 */
import type { Status } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';

/** A committed transaction as the submit path reports one. */
export interface Committed {
  status: Status;
  /** The chaincode response payload the endorsers signed (empty for an invalid transaction without one). */
  result: Uint8Array;
}

/** Runs qscc `GetBlockByTxID` for a transaction id. */
export type BlockByTxId = (txId: string) => Promise<Uint8Array>;

/** The committed transaction with this id, or undefined when the ledger has none. */
export async function committedTransaction(blockByTxId: BlockByTxId, txId: string): Promise<Committed | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await blockByTxId(txId);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  return findInBlock(common.Block.deserializeBinary(bytes), txId);
}

/** The first envelope of `block` carrying `txId` (Fabric indexes a transaction id's first occurrence). */
export function findInBlock(block: common.Block, txId: string): Committed | undefined {
  const blockNumber = BigInt(block.getHeader()?.getNumber() ?? 0);
  const filter = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  for (const [i, bytes] of envelopes.entries()) {
    const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(bytes).getPayload_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
    if (channelHeader.getTxId() !== txId) continue;
    // The filter holds one TxValidationCode per envelope.
    const code = (filter[i] ?? peer.TxValidationCode.INVALID_OTHER_REASON) as Status['code'];
    return {
      status: { blockNumber, code, successful: code === peer.TxValidationCode.VALID, transactionId: txId },
      result: chaincodeResultOf(payload),
    };
  }
  return undefined;
}

/** The chaincode response payload inside an endorser transaction's first action. */
export function chaincodeResultOf(payload: common.Payload): Uint8Array {
  const action = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()[0];
  if (!action) return new Uint8Array();
  const endorsed = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction();
  if (!endorsed) return new Uint8Array();
  const responsePayload = peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8());
  const chaincodeAction = peer.ChaincodeAction.deserializeBinary(responsePayload.getExtension_asU8());
  return chaincodeAction.getResponse()?.getPayload_asU8() ?? new Uint8Array();
}

/** qscc's answer for an unknown transaction id (Fabric's block store: "no such transaction ID"). */
function isNotFound(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const details = (err as { details?: unknown }).details;
  return /no such transaction ID/.test(`${err.message} ${JSON.stringify(details ?? '')}`);
}
