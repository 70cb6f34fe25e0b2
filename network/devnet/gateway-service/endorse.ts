/**
 * `gateway.Gateway/Endorse`: endorse first on the gateway's org, derive from that
 * rwset which orgs must endorse (key-level, collection and chaincode policies), collect the
 * remaining endorsements (each peer runs the chaincode itself), require byte-identical payloads,
 * and return the unsigned transaction envelope.
 */
import * as grpc from '@grpc/grpc-js';
import { gateway, type peer } from '@hyperledger/fabric-protos';
import type { PeerRuntime } from '../peer';
import type { UnpackedProposal } from '@healthledger/fabric-core/protos';
import { defaultInterest, planOrgs, requirementsOf } from './endorsement-plan';
import { GatewayServiceError, errorDetail } from './errors';
import { peersOfOrgs } from './evaluate';
import { callPeer, detailOf, type PeerOutcome } from './peer-outcome';
import { isSystemChaincode, unpackForEndorse } from './proposal-check';
import type { GatewayServiceSupport } from './support';
import { transactionEnvelope } from './transaction-envelope';
import { BODY_GARBAGE_BYTES, GarbageMeter, LARGE_BODY_BYTES } from '@healthledger/fabric-core/memory';

type Success = Extract<PeerOutcome, { ok: true }>;

const COLLECT_FAILED = 'failed to collect enough transaction endorsements, see attached details for more info';

/** Endorsements gathered so far: the first payload is the reference every later one must match. */
class Collection {
  readonly details: gateway.ErrorDetail[] = [];
  readonly byOrg = new Map<string, Success>();
  private reference: Buffer | undefined;

  /** Records an outcome; false when it failed or its payload differs from the reference. */
  record(outcome: PeerOutcome): boolean {
    if (!outcome.ok) {
      this.details.push(detailOf(outcome));
      return false;
    }
    const payload = Buffer.from(outcome.response.getPayload_asU8());
    this.reference ??= payload;
    if (!this.reference.equals(payload)) {
      this.details.push(errorDetail(outcome.peer.endpoint, outcome.peer.mspId, 'ProposalResponsePayloads do not match'));
      return false;
    }
    if (!this.byOrg.has(outcome.peer.mspId)) this.byOrg.set(outcome.peer.mspId, outcome);
    return true;
  }
}

function peersByOrg(support: GatewayServiceSupport): Map<string, PeerRuntime[]> {
  const byOrg = new Map<string, PeerRuntime[]>();
  for (const org of support.config.orgs) {
    const peers = support.peers.filter((p) => p.mspId === org);
    if (peers.length > 0) byOrg.set(org, peers);
  }
  return byOrg;
}

/** Tries the peers of `org` in turn until one endorses (Fabric's next peer in the group). */
async function endorseOnOrg(support: GatewayServiceSupport, peers: readonly PeerRuntime[], p: UnpackedProposal, into: Collection): Promise<void> {
  for (const target of peers) {
    if (into.record(await callPeer(support, target, p.signedProposal))) return;
  }
}

function noMetadata(p: UnpackedProposal): GatewayServiceError {
  return new GatewayServiceError(
    grpc.status.FAILED_PRECONDITION,
    `no combination of peers can be derived which satisfy the endorsement policy: No metadata was found for chaincode ${p.specChaincodeName} in channel ${p.channelId}`,
  );
}

/** Endorsement by the listed orgs only: every failure is "failed to collect enough…" (observed). */
async function endorseByOrgs(support: GatewayServiceSupport, p: UnpackedProposal, orgs: readonly string[]): Promise<Success[]> {
  const missing = orgs.filter((org) => peersOfOrgs(support.peers, [org]).length === 0);
  if (missing.length > 0) {
    throw new GatewayServiceError(grpc.status.UNAVAILABLE, `failed to find any endorsing peers for org(s): ${missing.join(', ')}`);
  }
  const collection = new Collection();
  await Promise.all(orgs.map((org) => endorseOnOrg(support, orderedPeers(support, org), p, collection)));
  if (orgs.some((org) => !collection.byOrg.has(org))) throw new GatewayServiceError(grpc.status.ABORTED, COLLECT_FAILED, collection.details);
  return orgs.map((org) => collection.byOrg.get(org) as Success);
}

/** The org's peers, the gateway peer first when it belongs to the org. */
function orderedPeers(support: GatewayServiceSupport, org: string): PeerRuntime[] {
  const { gatewayPeer } = support;
  const peers = peersOfOrgs(support.peers, [org]);
  return gatewayPeer.mspId === org ? [gatewayPeer, ...peers.filter((x) => x !== gatewayPeer)] : peers;
}

const NO_COMBINATION = 'no combination of peers can be derived which satisfy the endorsement policy: no peer combination can satisfy the endorsement policy';

/**
 * The orgs whose endorsements the transaction needs (step 5 of Fabric's planFromFirstEndorser),
 * from the first endorser's ChaincodeInterest. With transient data the choice is limited to
 * members of every collection involved; when only that limit makes the plan fail, Fabric names
 * the collections and asks the client to choose trusted organisations itself.
 */
function planLayout(support: GatewayServiceSupport, p: UnpackedProposal, first: Success, byOrg: ReadonlyMap<string, readonly PeerRuntime[]>): string[] {
  const returned = first.response.getInterest();
  const interest = returned && returned.getChaincodesList().length > 0 ? returned : defaultInterest(p.specChaincodeName);
  const requirements = requirementsOf(support.chaincodes, interest, p.transientMap.size > 0);
  const layout = planOrgs(support.config, requirements, byOrg, first.peer.mspId);
  if (layout) return layout;
  if (requirements.protectedCollections.length > 0 && planOrgs(support.config, requirements, byOrg, first.peer.mspId, true)) {
    throw new GatewayServiceError(
      grpc.status.FAILED_PRECONDITION,
      `requires endorsement from organisation(s) that are not in the distribution policy of the private data collection(s): [${requirements.protectedCollections.join(' ')}]; retry specifying trusted endorsing organizations to protect transient data`,
    );
  }
  throw new GatewayServiceError(grpc.status.FAILED_PRECONDITION, NO_COMBINATION);
}

/** Gateway-chosen endorsers: first on the gateway's org, then whatever the policies require. */
async function endorseByPlan(support: GatewayServiceSupport, p: UnpackedProposal): Promise<Success[]> {
  const byOrg = peersByOrg(support);
  const { gatewayPeer } = support;
  let firstPeers = byOrg.has(gatewayPeer.mspId) ? orderedPeers(support, gatewayPeer.mspId) : [];
  if (firstPeers.length === 0) {
    if (p.transientMap.size > 0) {
      throw new GatewayServiceError(
        grpc.status.FAILED_PRECONDITION,
        "no endorsers found in the gateway's organization; retry specifying endorsing organization(s) to protect transient data",
      );
    }
    firstPeers = support.peers.slice(0, 1);
  }
  const collection = new Collection();
  await endorseOnOrg(support, firstPeers, p, collection);
  const first = [...collection.byOrg.values()][0];
  if (!first) {
    throw new GatewayServiceError(grpc.status.ABORTED, 'failed to endorse transaction, see attached details for more info', collection.details);
  }
  const layout = planLayout(support, p, first, byOrg);
  const remaining = layout.filter((org) => !collection.byOrg.has(org));
  await Promise.all(remaining.map((org) => endorseOnOrg(support, orderedPeers(support, org), p, collection)));
  if (layout.some((org) => !collection.byOrg.has(org))) throw new GatewayServiceError(grpc.status.ABORTED, COLLECT_FAILED, collection.details);
  // Only endorsements that count towards the layout go into the transaction (observed with SBE).
  return [first, ...remaining.map((org) => collection.byOrg.get(org) as Success)].filter((s) => layout.includes(s.peer.mspId));
}

function distinctEndorsements(successes: readonly Success[]): peer.Endorsement[] {
  const seen = new Set<string>();
  const result: peer.Endorsement[] = [];
  for (const s of successes) {
    const endorsement = s.response.getEndorsement();
    if (!endorsement) continue;
    const key = Buffer.from(endorsement.getEndorser_asU8()).toString('base64');
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(endorsement);
  }
  return result;
}

/**
 * Large proposals endorsed (a 4 MiB record upload): the request as received, the chaincode's
 * messages (the proposal sent to it, its private write) and their gRPC frames are copies of the
 * content, dropped once endorsed. A young-generation collection after each frees those that died
 * young; what outlived one (the transaction commits later) waits for a full collection, one every
 * 8 MiB of them (`@healthledger/fabric-core/memory`).
 */
const endorsedYoung = new GarbageMeter(LARGE_BODY_BYTES, 'minor');
const endorsedOld = new GarbageMeter(BODY_GARBAGE_BYTES, 'major');

/** Endorses `req` through `gatewayPeer`; throws GatewayServiceError with Fabric's codes and texts. */
export async function endorse(support: GatewayServiceSupport, req: gateway.EndorseRequest): Promise<gateway.EndorseResponse> {
  const bytes = req.getProposedTransaction()?.getProposalBytes_asU8().length ?? 0;
  try {
    return await endorseProposal(support, req);
  } finally {
    if (!endorsedOld.addIfLarge(bytes)) endorsedYoung.addIfLarge(bytes);
  }
}

async function endorseProposal(support: GatewayServiceSupport, req: gateway.EndorseRequest): Promise<gateway.EndorseResponse> {
  const p = unpackForEndorse(req.getProposedTransaction());
  if (p.channelId !== support.config.channelId || isSystemChaincode(p.specChaincodeName) || !support.chaincodes.has(p.specChaincodeName)) {
    throw noMetadata(p);
  }
  const orgs = req.getEndorsingOrganizationsList();
  const successes = orgs.length > 0 ? await endorseByOrgs(support, p, orgs) : await endorseByPlan(support, p);
  const prpBytes = (successes[0] as Success).response.getPayload_asU8();
  const response = new gateway.EndorseResponse();
  response.setPreparedTransaction(transactionEnvelope(p, prpBytes, distinctEndorsements(successes)));
  return response;
}
