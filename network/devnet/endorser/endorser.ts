/**
 * A simulated peer's endorser (Fabric's `Endorser.ProcessProposal`): check the
 * proposal, simulate it by running the chaincode over this peer's view of the ledger, and answer
 * with a ProposalResponse — endorsed when the chaincode succeeded.
 */
import { peer, type ledger } from '@hyperledger/fabric-protos';
import { ChaincodeExecutionFailure, TransactionContext, executeChaincode, type ChaincodeSupport } from '../chaincode';
import type { ChannelConfig } from '../channelconfig';
import type { Ledger } from '../ledger';
import type { PeerRuntime } from '../peer';
import { proposalHash, type UnpackedProposal } from '@healthledger/fabric-core/protos';
import { DisseminationError, disseminate, type MemberPeer, type TransientStore } from '../pvtdata';
import { LIFECYCLE_NAMESPACE, SimulationError, TxSimulator } from '../sim';
import { endorse, failureResponse, proposalResponsePayload } from './response';
import { ProposalRejectedError, preProcess, unpackForEndorsement, type ProposalCheckSupport } from './validate';

/**
 * What a peer's endorser needs from its channel, as Fabric's `endorser.Support` narrows it: the
 * proposal checks, chaincode execution, the ledger to simulate on (and hold against commits), and
 * where to hand private data.
 */
export interface EndorserSupport extends ProposalCheckSupport, ChaincodeSupport {
  readonly config: Pick<ChannelConfig, 'channelId' | 'orgs' | 'msps' | 'aclPolicy' | 'evaluatePolicy' | 'evaluateApplicationPolicy'>;
  readonly ledger: Ledger;
  /** Every peer of the channel, for private data dissemination. */
  readonly peers: readonly MemberPeer[];
  readonly transientStore: TransientStore;
}

/** What one peer answered. */
export interface EndorserOutcome {
  response: peer.ProposalResponse;
  /**
   * Set when the peer refused the proposal before simulating it: Fabric returns this as a gRPC
   * error next to the response, which matters to the gateway.
   */
  rejection?: string;
  /** The simulation's private write set (already handed to the member orgs). */
  pvtRwset?: ledger.rwset.TxPvtReadWriteSet;
}

/** System chaincodes (and `_lifecycle`) never appear in a ChaincodeInterest. */
function isSystemNamespace(ns: string): boolean {
  return ns === LIFECYCLE_NAMESPACE || ns === 'qscc' || ns === 'cscc' || ns === 'lscc';
}

/** Shim's ERRORTHRESHOLD and ERROR: 4xx are chaincode-level rejections, 5xx failures. */
const ERROR_THRESHOLD = 400;
const ERROR = 500;

/** Processes `signed` on `endorsingPeer`. Never throws for a bad proposal; that is an outcome. */
export async function processProposal(support: EndorserSupport, endorsingPeer: PeerRuntime, signed: peer.SignedProposal): Promise<EndorserOutcome> {
  endorsingPeer.metrics.proposalsReceived++;
  let p: UnpackedProposal;
  try {
    p = unpackForEndorsement(signed);
    if (p.channelId !== support.config.channelId) {
      return { response: failureResponse(`channel '${p.channelId}' not found`) };
    }
    preProcess(support, p);
  } catch (err) {
    if (!(err instanceof ProposalRejectedError)) throw err;
    return { response: failureResponse(err.message), rejection: err.message };
  }
  const release = await support.ledger.holdForSimulation();
  try {
    return await simulateAndEndorse(support, endorsingPeer, p);
  } finally {
    release();
  }
}

async function simulateAndEndorse(support: EndorserSupport, endorsingPeer: PeerRuntime, p: UnpackedProposal): Promise<EndorserOutcome> {
  const name = p.headerChaincodeName;
  const def = support.chaincodes.get(name);
  if (!def) {
    return {
      response: failureResponse(
        `make sure the chaincode ${name} has been successfully defined on channel ${p.channelId} and try again: chaincode ${name} not found`,
      ),
    };
  }
  const simulator = new TxSimulator(support.ledger, endorsingPeer.mspId, p.txId);
  const ctx = new TransactionContext(support, endorsingPeer, simulator, p);
  let result;
  try {
    result = await executeChaincode(ctx, name, p.input as peer.ChaincodeInput);
  } catch (err) {
    if (err instanceof ChaincodeExecutionFailure || err instanceof SimulationError) {
      return { response: failureResponse(`error in simulation: ${err.message}`) };
    }
    throw err;
  }
  const { response, event } = result;
  const parts = { proposalHash: proposalHash(p), event, response, chaincodeName: name, chaincodeVersion: def.version };
  if (response.getStatus() >= ERROR_THRESHOLD) {
    const failed = failureResponse(response.getMessage(), response.getStatus());
    failed.setResponse(response);
    // A chaincode error (5xx) still carries the payload, so the gateway can tell it from a failed launch.
    if (response.getStatus() >= ERROR) {
      failed.setPayload(proposalResponsePayload({ ...parts, event: undefined, results: new Uint8Array(0) }));
    }
    return { response: failed };
  }
  const { publicRwset, pvtRwset } = simulator.done();
  if (pvtRwset) {
    try {
      disseminate({
        txId: p.txId,
        channelId: p.channelId,
        pvt: pvtRwset,
        endorser: endorsingPeer,
        peers: support.peers,
        orgs: support.config.orgs,
        collectionsOf: (ns) => ctx.collections(ns),
        store: support.transientStore,
      });
    } catch (err) {
      if (err instanceof DisseminationError) return { response: failureResponse(`error in simulation: ${err.message}`) };
      throw err;
    }
  }
  const prpBytes = proposalResponsePayload({ ...parts, results: publicRwset.serializeBinary() });
  const endorsed = new peer.ProposalResponse();
  endorsed.setVersion(1);
  endorsed.setResponse(response);
  endorsed.setPayload(prpBytes);
  endorsed.setEndorsement(endorse(endorsingPeer.identity, prpBytes, support.config.msps));
  const namespaces = publicRwset.getNsRwsetList().map((ns) => ns.getNamespace());
  endorsed.setInterest(simulator.interest.build(namespaces, isSystemNamespace));
  return { response: endorsed, pvtRwset };
}
