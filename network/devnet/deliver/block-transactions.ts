/**
 * Reading a committed block's transactions for event delivery: txid, header type, validation code
 * and the (at most one) chaincode event of each endorser transaction.
 */
import { common, peer } from '@hyperledger/fabric-protos';
import { decodeWire } from '@healthledger/fabric-core/protos';

/** One envelope of a committed block, as the event services see it. */
export interface BlockTransaction {
  index: number;
  txId: string;
  type: number;
  code: number;
  /** The transaction's chaincode event, if its action carries one. */
  event?: peer.ChaincodeEvent;
}

/** The TRANSACTIONS_FILTER bytes of a committed block. */
export function transactionsFilter(block: common.Block): Uint8Array {
  return block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array(0);
}

/** Decodes every envelope leniently: what cannot be read is reported without an event. */
export function blockTransactions(block: common.Block): BlockTransaction[] {
  const filter = transactionsFilter(block);
  return (block.getData()?.getDataList_asU8() ?? []).map((bytes, index) => {
    const code = filter[index] ?? peer.TxValidationCode.NOT_VALIDATED;
    try {
      // Every transaction, valid or not, is read here: each layer walked by the wire check first, as
      // an invalid one may be garbled anywhere past what the committer read before refusing it.
      const payload = decodeWire('Payload', decodeWire('Envelope', bytes).getPayload_asU8());
      const channelHeader = decodeWire('ChannelHeader', payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(0));
      const type = channelHeader.getType();
      const tx: BlockTransaction = { index, txId: channelHeader.getTxId(), type, code };
      if (type === common.HeaderType.ENDORSER_TRANSACTION) {
        const event = chaincodeEvent(payload.getData_asU8());
        if (event) tx.event = event;
      }
      return tx;
    } catch {
      return { index, txId: '', type: -1, code };
    }
  });
}

/** ChaincodeAction.events of the transaction's first (only) action, if present. */
function chaincodeEvent(transactionBytes: Uint8Array): peer.ChaincodeEvent | undefined {
  const action = decodeWire('Transaction', transactionBytes).getActionsList()[0];
  if (!action) return undefined;
  const actionPayload = decodeWire('ChaincodeActionPayload', action.getPayload_asU8());
  const prp = actionPayload.getAction()?.getProposalResponsePayload_asU8();
  if (!prp) return undefined;
  const ccAction = decodeWire('ChaincodeAction', decodeWire('ProposalResponsePayload', prp).getExtension_asU8());
  const eventBytes = ccAction.getEvents_asU8();
  if (eventBytes.length === 0) return undefined;
  return decodeWire('ChaincodeEvent', eventBytes);
}
