/**
 * `gateway.Gateway/Submit`: hand the signed transaction to the orderer and answer as
 * soon as it is accepted — before the block is cut.
 */
import * as grpc from '@grpc/grpc-js';
import { common, gateway } from '@hyperledger/fabric-protos';
import { GatewayServiceError } from './errors';
import type { GatewayServiceSupport } from './support';

/** Fabric's status names (`common.Status`), as the gateway prints them in its error text. */
function statusName(status: number): string {
  const entry = Object.entries(common.Status).find(([, value]) => value === status);
  return entry ? entry[0] : String(status);
}

/** Orders `req.prepared_transaction`; throws GatewayServiceError with Fabric's codes and texts. */
export async function submit(support: Pick<GatewayServiceSupport, 'broadcast'>, req: gateway.SubmitRequest): Promise<gateway.SubmitResponse> {
  const envelope = req.getPreparedTransaction();
  if (!envelope) throw new GatewayServiceError(grpc.status.INVALID_ARGUMENT, 'a prepared transaction is required');
  if (envelope.getSignature_asU8().length === 0) {
    throw new GatewayServiceError(grpc.status.INVALID_ARGUMENT, 'prepared transaction must be signed');
  }
  let result;
  try {
    result = await support.broadcast(envelope);
  } catch {
    throw new GatewayServiceError(grpc.status.UNAVAILABLE, 'no orderers could successfully process transaction');
  }
  if (result.status === common.Status.SERVICE_UNAVAILABLE) {
    throw new GatewayServiceError(grpc.status.UNAVAILABLE, 'no orderers could successfully process transaction');
  }
  if (result.status !== common.Status.SUCCESS) {
    throw new GatewayServiceError(
      grpc.status.ABORTED,
      `received unsuccessful response from orderer: status=${statusName(result.status)}, info=${result.info}`,
    );
  }
  return new gateway.SubmitResponse();
}
