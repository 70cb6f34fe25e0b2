/** FilteredBlock construction: per transaction its id, type, code and payload-less event. */
import { common, peer } from '@hyperledger/fabric-protos';
import { blockTransactions } from './block-transactions';

/** The filtered view of a committed block, as `DeliverFiltered` sends it. */
export function filteredBlock(channelId: string, number: bigint, block: common.Block): peer.FilteredBlock {
  const filtered = new peer.FilteredBlock();
  filtered.setChannelId(channelId);
  filtered.setNumber(Number(number));
  filtered.setFilteredTransactionsList(
    blockTransactions(block).map((tx) => {
      const ftx = new peer.FilteredTransaction();
      ftx.setTxid(tx.txId);
      ftx.setType(tx.type as common.HeaderTypeMap[keyof common.HeaderTypeMap]);
      ftx.setTxValidationCode(tx.code as peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap]);
      if (tx.type === common.HeaderType.ENDORSER_TRANSACTION) {
        const actions = new peer.FilteredTransactionActions();
        if (tx.event && tx.event.getChaincodeId() !== '') {
          const event = new peer.ChaincodeEvent();
          event.setChaincodeId(tx.event.getChaincodeId());
          event.setTxId(tx.event.getTxId());
          event.setEventName(tx.event.getEventName());
          const action = new peer.FilteredChaincodeAction();
          action.setChaincodeEvent(event);
          actions.setChaincodeActionsList([action]);
        }
        ftx.setTransactionActions(actions);
      }
      return ftx;
    }),
  );
  return filtered;
}
