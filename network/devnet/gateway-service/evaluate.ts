/**
 * `gateway.Gateway/Evaluate`: run the proposal on one peer — the gateway's org first,
 * or the targeted orgs, or only the gateway's org when transient data must be protected — trying
 * the next candidate on retryable failures, and return the chaincode's response.
 */
import * as grpc from '@grpc/grpc-js';
import { gateway, peer } from '@hyperledger/fabric-protos';
import { ProposalRejectedError } from '../endorser';
import type { PeerRuntime } from '../peer';
import type { UnpackedProposal } from '@healthledger/fabric-core/protos';
import { GatewayServiceError, errorDetail } from './errors';
import { callPeer, detailOf } from './peer-outcome';
import { isSystemChaincode, unpackForGateway } from './proposal-check';
import type { GatewayServiceSupport, SystemChaincode } from './support';

/** Peers of `orgs`, in the order the orgs are listed. */
export function peersOfOrgs(peers: readonly PeerRuntime[], orgs: readonly string[]): PeerRuntime[] {
  return orgs.flatMap((org) => peers.filter((p) => p.mspId === org));
}

/** Every peer, the gateway's org first and the gateway peer first within it. */
function gatewayOrgFirst({ gatewayPeer, peers }: Pick<GatewayServiceSupport, 'gatewayPeer' | 'peers'>): PeerRuntime[] {
  const local = [gatewayPeer, ...peers.filter((p) => p.mspId === gatewayPeer.mspId && p !== gatewayPeer)];
  return [...local, ...peers.filter((p) => p.mspId !== gatewayPeer.mspId)];
}

function candidates(support: GatewayServiceSupport, req: gateway.EvaluateRequest, p: UnpackedProposal): PeerRuntime[] {
  const { gatewayPeer, peers } = support;
  const targets = req.getTargetOrganizationsList();
  if (isSystemChaincode(p.specChaincodeName)) {
    return targets.length === 0 || targets.includes(gatewayPeer.mspId) ? [gatewayPeer] : peersOfOrgs(peers, targets).slice(0, 1);
  }
  if (!support.chaincodes.has(p.specChaincodeName)) return [];
  if (targets.length > 0) return peersOfOrgs(peers, targets);
  if (p.transientMap.size > 0) {
    const local = gatewayOrgFirst(support).filter((c) => c.mspId === gatewayPeer.mspId);
    if (local.length === 0) {
      throw new GatewayServiceError(
        grpc.status.FAILED_PRECONDITION,
        "no endorsers found in the gateway's organization; retry specifying target organization(s) to protect transient data",
      );
    }
    return local;
  }
  return gatewayOrgFirst(support);
}

/** qscc/cscc/`_lifecycle`: answered by the peer itself after the endorser's own checks (no chaincode process). */
function evaluateSystem(support: GatewayServiceSupport, target: PeerRuntime, p: UnpackedProposal): peer.Response | gateway.ErrorDetail {
  try {
    support.checkProposal(p);
  } catch (err) {
    if (err instanceof ProposalRejectedError) return errorDetail(target.endpoint, target.mspId, err.message);
    throw err;
  }
  const args = p.input?.getArgsList_asU8() ?? [];
  return support.invokeSystem(p.specChaincodeName as SystemChaincode, args, p.signedProposal);
}

/** The chaincode's Response, with its payload as carried in the proposal response payload. */
function resultOf(response: peer.ProposalResponse): peer.Response {
  const result = response.getResponse() ?? new peer.Response();
  const prp = peer.ProposalResponsePayload.deserializeBinary(response.getPayload_asU8());
  const action = peer.ChaincodeAction.deserializeBinary(prp.getExtension_asU8());
  const inner = action.getResponse();
  if (inner) result.setPayload(inner.getPayload_asU8());
  return result;
}

function systemResult(target: PeerRuntime, outcome: peer.Response | gateway.ErrorDetail): gateway.EvaluateResponse {
  if (outcome instanceof gateway.ErrorDetail) {
    throw new GatewayServiceError(grpc.status.FAILED_PRECONDITION, `evaluate call to endorser returned error: ${outcome.getMessage()}`, [outcome]);
  }
  if (outcome.getStatus() < 200 || outcome.getStatus() >= 400) {
    const message = `chaincode response ${outcome.getStatus()}, ${outcome.getMessage()}`;
    throw new GatewayServiceError(grpc.status.UNKNOWN, `evaluate call to endorser returned error: ${message}`, [
      errorDetail(target.endpoint, target.mspId, message),
    ]);
  }
  const response = new gateway.EvaluateResponse();
  response.setResult(outcome);
  return response;
}

/** Evaluates `req` through `gatewayPeer`; throws GatewayServiceError with Fabric's codes and texts. */
export async function evaluate(support: GatewayServiceSupport, req: gateway.EvaluateRequest): Promise<gateway.EvaluateResponse> {
  const p = unpackForGateway(req.getProposedTransaction());
  if (p.channelId !== support.config.channelId) {
    throw new GatewayServiceError(grpc.status.UNAVAILABLE, `failed to get config for channel [${p.channelId}]: could not get last config for channel ${p.channelId}`);
  }
  const plan = candidates(support, req, p);
  if (plan.length === 0) {
    throw new GatewayServiceError(grpc.status.FAILED_PRECONDITION, `no peers available to evaluate chaincode ${p.specChaincodeName} in channel ${p.channelId}`);
  }
  if (isSystemChaincode(p.specChaincodeName)) {
    const target = plan[0] as PeerRuntime;
    return systemResult(target, evaluateSystem(support, target, p));
  }
  const details: gateway.ErrorDetail[] = [];
  let lastCode = grpc.status.UNAVAILABLE;
  for (const target of plan) {
    const outcome = await callPeer(support, target, p.signedProposal);
    if (outcome.ok) {
      const response = new gateway.EvaluateResponse();
      response.setResult(resultOf(outcome.response));
      return response;
    }
    details.push(detailOf(outcome));
    lastCode = outcome.code;
    if (!outcome.retry) {
      throw new GatewayServiceError(outcome.code, `evaluate call to endorser returned error: ${outcome.message}`, details);
    }
  }
  throw new GatewayServiceError(lastCode, 'failed to evaluate transaction, see attached details for more info', details);
}
