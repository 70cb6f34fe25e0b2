/**
 * `gateway.Gateway/CommitStatus`: the validation code and block of a transaction,
 * waiting for it to commit if needed.
 */
import * as grpc from '@grpc/grpc-js';
import { gateway, type peer } from '@hyperledger/fabric-protos';
import { GatewayServiceError } from './errors';
import { checkReaders, decodeSigned } from './signed-request';
import type { GatewayServiceSupport } from './support';

type TxValidationCode = peer.TxValidationCodeMap[keyof peer.TxValidationCodeMap];

/** The gateway's ACL resource for this call (channel Readers by default). */
export const COMMIT_STATUS_RESOURCE = 'gateway/CommitStatus';

/** Answers a SignedCommitStatusRequest; `signal` fires on client cancel or deadline. */
export async function commitStatus(
  support: Pick<GatewayServiceSupport, 'config' | 'commits'>,
  signed: gateway.SignedCommitStatusRequest,
  signal: AbortSignal,
): Promise<gateway.CommitStatusResponse> {
  const requestBytes = signed.getRequest_asU8();
  const request = decodeSigned('CommitStatusRequest', requestBytes);
  checkReaders(support.config, COMMIT_STATUS_RESOURCE, request.getChannelId(), {
    identity: request.getIdentity_asU8(),
    data: requestBytes,
    signature: signed.getSignature_asU8(),
  });
  // The notifier subscribes before it looks the txid up, so a commit in between is not missed.
  let status;
  try {
    status = await support.commits.waitForTx(request.getTransactionId(), signal);
  } catch (err) {
    if (signal.aborted) throw new GatewayServiceError(grpc.status.CANCELLED, 'context canceled');
    throw err;
  }
  const response = new gateway.CommitStatusResponse();
  response.setResult(status.code as TxValidationCode);
  response.setBlockNumber(Number(status.blockNum));
  return response;
}
