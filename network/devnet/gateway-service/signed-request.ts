/**
 * The two signed gateway requests that carry their own identity (CommitStatus, ChaincodeEvents):
 * decoding and the channel-Readers ACL check, with Fabric's texts.
 */
import * as grpc from '@grpc/grpc-js';
import type { ChannelConfig } from '../channelconfig';
import type { SignedData } from '@healthledger/fabric-core/policy';
import { GatewayServiceError } from './errors';
import { decodeWire } from '@healthledger/fabric-core/protos';

/** Used when the channel config names no policy for a resource. */
const DEFAULT_READERS_POLICY = '/Channel/Application/Readers';

/** Fabric's words for a signed request whose bytes it cannot unmarshal (commitstatus.go, chaincodeevents.go). */
const INVALID = { CommitStatusRequest: 'invalid status request', ChaincodeEventsRequest: 'invalid chaincode events request' } as const;

/** Decodes the inner request bytes, walked by the wire check first; malformed → INVALID_ARGUMENT. */
export function decodeSigned<N extends 'CommitStatusRequest' | 'ChaincodeEventsRequest'>(what: N, bytes: Uint8Array): ReturnType<typeof decodeWire<N>> {
  try {
    return decodeWire(what, bytes);
  } catch (err) {
    throw new GatewayServiceError(grpc.status.INVALID_ARGUMENT, `${INVALID[what]}: ${(err as Error).message}`);
  }
}

/**
 * ACL check for `resource` on `channelId`; throws PERMISSION_DENIED. The ACL runs before any
 * ledger lookup, so an unknown channel is a permission failure too (observed).
 */
export function checkReaders(
  config: Pick<ChannelConfig, 'channelId' | 'aclPolicy' | 'evaluatePolicy'>,
  resource: string,
  channelId: string,
  signed: SignedData,
): void {
  if (channelId !== config.channelId) {
    throw new GatewayServiceError(grpc.status.PERMISSION_DENIED, `Failed to get policy manager for channel [${channelId}]`);
  }
  const policy = config.aclPolicy(resource) ?? DEFAULT_READERS_POLICY;
  const result = config.evaluatePolicy(policy, [signed]);
  if (!result.ok) {
    throw new GatewayServiceError(
      grpc.status.PERMISSION_DENIED,
      `Failed evaluating policy on signed data during check policy on channel [${channelId}] with policy [${policy}]: [${result.message}]`,
    );
  }
}
