/**
 * What one peer's Fabric Gateway service needs from the rest of the devnet, declared here and
 * built by the peer assembly. The gateway reaches endorsers, qscc and the orderer only through
 * these functions, as Fabric's gateway reaches them through its clients.
 */
import type { common, peer } from '@hyperledger/fabric-protos';
import type { ChannelConfig } from '../channelconfig';
import type { CommitNotifier } from '../committer';
import type { ChaincodeRegistry } from '../definitions';
import type { EndorserOutcome } from '../endorser';
import type { BlockStore } from '../ledger';
import type { BroadcastResult } from '../orderer';
import type { PeerRuntime } from '../peer';
import type { UnpackedProposal } from '@healthledger/fabric-core/protos';

/** The system chaincodes the gateway answers itself. */
export type SystemChaincode = 'qscc' | 'cscc' | '_lifecycle';

/** One peer's gateway service dependencies. */
export interface GatewayServiceSupport {
  /** The peer this gateway runs on (its org is asked first). */
  readonly gatewayPeer: PeerRuntime;
  /** Every peer of the channel, in channel order. */
  readonly peers: readonly PeerRuntime[];
  readonly config: Pick<ChannelConfig, 'channelId' | 'orgs' | 'aclPolicy' | 'evaluatePolicy' | 'evaluateApplicationPolicy'>;
  readonly chaincodes: Pick<ChaincodeRegistry, 'has' | 'get' | 'collections'>;
  readonly blocks: Pick<BlockStore, 'height' | 'txLocation' | 'getBlock'>;
  readonly commits: CommitNotifier;
  /** Runs the proposal on `target`'s endorser. */
  propose(target: PeerRuntime, signed: peer.SignedProposal): Promise<EndorserOutcome>;
  /** The endorser's checks a system chaincode call must pass; throws ProposalRejectedError. */
  checkProposal(p: UnpackedProposal): void;
  /** Answers a qscc/cscc/`_lifecycle` query from the ledger and the definitions (no chaincode process). */
  invokeSystem(system: SystemChaincode, args: Uint8Array[], signed: peer.SignedProposal): peer.Response;
  /** Hands a signed transaction to the ordering service. */
  broadcast(envelope: common.Envelope): Promise<BroadcastResult>;
}
