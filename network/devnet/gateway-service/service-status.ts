/**
 * How a gateway failure travels to the client: a gRPC status whose trailing metadata carries
 * `grpc-status-details-bin` = google.rpc.Status with one `gateway.ErrorDetail` per peer.
 */
import * as grpc from '@grpc/grpc-js';
import { gateway, google } from '@hyperledger/fabric-protos';
import { Any } from 'google-protobuf/google/protobuf/any_pb';
import { GatewayServiceError } from './errors';

const ERROR_DETAIL_TYPE_URL = 'type.googleapis.com/gateway.ErrorDetail';

/**
 * The gRPC error a grpc-js handler passes to its callback (or `emit('error')`) for `err`.
 * Anything that is not a GatewayServiceError is a bug on our side and surfaces as INTERNAL.
 */
export function toServiceError(err: unknown): Partial<grpc.StatusObject> {
  if (err instanceof GatewayServiceError) {
    return serviceStatus(err.code, err.message, err.details);
  }
  const message = err instanceof Error ? err.message : String(err);
  return serviceStatus(grpc.status.INTERNAL, message, []);
}

/** Builds the status object, including the binary details trailer. */
export function serviceStatus(code: grpc.status, message: string, details: gateway.ErrorDetail[]): Partial<grpc.StatusObject> {
  const rpcStatus = new google.rpc.Status();
  rpcStatus.setCode(code);
  rpcStatus.setMessage(message);
  rpcStatus.setDetailsList(
    details.map((detail) => {
      const any = new Any();
      any.setTypeUrl(ERROR_DETAIL_TYPE_URL);
      any.setValue(detail.serializeBinary());
      return any;
    }),
  );
  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(rpcStatus.serializeBinary()));
  return { code, details: wireMessage(message), metadata };
}

/**
 * Fabric's grpc-go sends `grpc-message` unescaped and Node drops a header value with leading or
 * trailing whitespace, so such messages reach a Fabric client empty (docs/design/fabric-conformance.md,
 * "The gRPC whitespace quirk"); grpc-js would percent-encode them, so we blank them ourselves to look the same.
 */
function wireMessage(message: string): string {
  return message.trim() === message ? message : '';
}
