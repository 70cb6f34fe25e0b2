/**
 * `gateway.Gateway/ChaincodeEvents`: chaincode events of valid transactions, block by
 * block, from a start block or after a checkpointed transaction id, then waiting forever.
 */
import * as grpc from '@grpc/grpc-js';
import { common, gateway, orderer, peer } from '@hyperledger/fabric-protos';
import { blockTransactions } from '../deliver';
import { GatewayServiceError } from './errors';
import { ScanSlicer } from './scan-slice';
import { checkReaders, decodeSigned } from './signed-request';
import type { GatewayServiceSupport } from './support';

/** The gateway's ACL resource for this call (channel Readers by default). */
export const CHAINCODE_EVENTS_RESOURCE = 'gateway/ChaincodeEvents';

/** First block to read: the checkpointed transaction's block, else the start position. */
function startBlock(blocks: GatewayServiceSupport['blocks'], request: gateway.ChaincodeEventsRequest): bigint {
  const afterTxId = request.getAfterTransactionId();
  const found = afterTxId ? blocks.txLocation(afterTxId) : undefined;
  if (found) return found.blockNum;
  const position = request.getStartPosition();
  switch (position?.getTypeCase() ?? orderer.SeekPosition.TypeCase.TYPE_NOT_SET) {
    case orderer.SeekPosition.TypeCase.TYPE_NOT_SET:
    case orderer.SeekPosition.TypeCase.NEXT_COMMIT:
      return blocks.height;
    case orderer.SeekPosition.TypeCase.SPECIFIED:
      return BigInt(position?.getSpecified()?.getNumber() ?? 0);
    default:
      throw new GatewayServiceError(grpc.status.INVALID_ARGUMENT, `invalid start position type: ${position?.getTypeCase()}`);
  }
}

/**
 * Streams one response per block that has matching events. Ends only through `signal` (client
 * cancel); an unknown chaincode or an unknown checkpoint txid is a silent stream (observed).
 */
export async function* chaincodeEvents(
  support: Pick<GatewayServiceSupport, 'config' | 'blocks' | 'commits'>,
  signed: gateway.SignedChaincodeEventsRequest,
  signal: AbortSignal,
): AsyncGenerator<gateway.ChaincodeEventsResponse> {
  const requestBytes = signed.getRequest_asU8();
  const request = decodeSigned('ChaincodeEventsRequest', requestBytes);
  checkReaders(support.config, CHAINCODE_EVENTS_RESOURCE, request.getChannelId(), {
    identity: request.getIdentity_asU8(),
    data: requestBytes,
    signature: signed.getSignature_asU8(),
  });
  let skipUntilTxId = request.getAfterTransactionId();
  // Catching up on committed blocks never waits: other calls get their turn between slices.
  const slicer = new ScanSlicer();
  for (let number = startBlock(support.blocks, request); ; number++) {
    await slicer.pause();
    await support.commits.waitForBlock(number, 'events', signal);
    const block = support.blocks.getBlock(number);
    if (!block) throw new GatewayServiceError(grpc.status.ABORTED, `failed to read block ${number}`);
    const events: peer.ChaincodeEvent[] = [];
    for (const tx of blockTransactions(block)) {
      if (tx.code !== peer.TxValidationCode.VALID || tx.type !== common.HeaderType.ENDORSER_TRANSACTION || !tx.event) continue;
      if (skipUntilTxId) {
        if (tx.event.getTxId() === skipUntilTxId) skipUntilTxId = '';
        continue;
      }
      if (tx.event.getChaincodeId() === request.getChaincodeId()) events.push(tx.event);
    }
    if (events.length === 0) continue;
    const response = new gateway.ChaincodeEventsResponse();
    response.setBlockNumber(Number(number));
    response.setEventsList(events);
    yield response;
  }
}
