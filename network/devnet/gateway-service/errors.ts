/**
 * The gateway's typed failure: a gRPC status code, Fabric's message and one `gateway.ErrorDetail`
 * per peer that failed. `service-status.ts` turns it into the wire status with the
 * `grpc-status-details-bin` trailer.
 */
import * as grpc from '@grpc/grpc-js';
import { gateway } from '@hyperledger/fabric-protos';

/** A gateway call failed; `code` and `details` reach the client as `GatewayError`. */
export class GatewayServiceError extends Error {
  override readonly name = 'GatewayServiceError';

  constructor(
    readonly code: grpc.status,
    message: string,
    readonly details: gateway.ErrorDetail[] = [],
  ) {
    super(message);
  }
}

/** One peer's failure as the client sees it in `GatewayError.details`. */
export function errorDetail(address: string, mspId: string, message: string): gateway.ErrorDetail {
  const detail = new gateway.ErrorDetail();
  detail.setAddress(address);
  detail.setMspId(mspId);
  detail.setMessage(message);
  return detail;
}
