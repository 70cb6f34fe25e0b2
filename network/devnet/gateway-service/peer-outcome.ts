/**
 * One peer's answer to a proposal as the gateway classifies it (Fabric's
 * `responseStatus`): success, or a gRPC code, whether to try another peer, and the ErrorDetail
 * text. The endorser runs in-process, so "remote" is simulated: a non-gateway peer's rejection
 * arrives as a bare gRPC error and its response is lost.
 */
import * as grpc from '@grpc/grpc-js';
import type { gateway, peer } from '@hyperledger/fabric-protos';
import type { PeerRuntime } from '../peer';
import { errorDetail } from './errors';
import type { GatewayServiceSupport } from './support';

/** Fabric's gateway `EndorsementTimeout` for one call to one peer. */
export const PEER_CALL_TIMEOUT_MS = 30_000;

/** A peer's answer, classified. */
export type PeerOutcome =
  | { ok: true; peer: PeerRuntime; response: peer.ProposalResponse }
  | { ok: false; peer: PeerRuntime; code: grpc.status; retry: boolean; message: string };

/** The ErrorDetail for a failed outcome. */
export function detailOf(outcome: Extract<PeerOutcome, { ok: false }>): gateway.ErrorDetail {
  return errorDetail(outcome.peer.endpoint, outcome.peer.mspId, outcome.message);
}

function timeout(ms: number): { promise: Promise<'timeout'>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * Sends the proposal to `target`. The gateway's own peer is called in-process (no gRPC
 * deadline: its chaincode execute timeout applies); any other peer is bounded by the gateway's
 * endorsement timeout like a gRPC call.
 */
export async function callPeer(
  support: Pick<GatewayServiceSupport, 'gatewayPeer' | 'propose'>,
  target: PeerRuntime,
  signed: peer.SignedProposal,
  timeoutMs = PEER_CALL_TIMEOUT_MS,
): Promise<PeerOutcome> {
  const local = target === support.gatewayPeer;
  const call = support.propose(target, signed);
  let outcome;
  if (local) {
    outcome = await call;
  } else {
    const deadline = timeout(timeoutMs);
    const raced = await Promise.race([call, deadline.promise]);
    deadline.cancel();
    if (raced === 'timeout') {
      return { ok: false, peer: target, code: grpc.status.UNAVAILABLE, retry: true, message: 'rpc error: code = DeadlineExceeded desc = context deadline exceeded' };
    }
    outcome = raced;
  }
  if (outcome.rejection !== undefined) {
    return local
      ? { ok: false, peer: target, code: grpc.status.FAILED_PRECONDITION, retry: false, message: outcome.rejection }
      : { ok: false, peer: target, code: grpc.status.UNAVAILABLE, retry: true, message: `rpc error: code = Unknown desc = ${outcome.rejection}` };
  }
  const response = outcome.response;
  const res = response.getResponse();
  const status = res?.getStatus() ?? 0;
  if (status >= 200 && status < 400) return { ok: true, peer: target, response };
  const message = res?.getMessage() ?? '';
  if (status === 500 && response.getPayload_asU8().length === 0) {
    return { ok: false, peer: target, code: grpc.status.ABORTED, retry: true, message };
  }
  return { ok: false, peer: target, code: grpc.status.UNKNOWN, retry: false, message: `chaincode response ${status}, ${message}` };
}
