/**
 * Everything a chaincode request needs about the transaction it belongs to (Fabric's
 * `TransactionContext`): the channel's definitions and policies, the simulating peer, the
 * simulator and the proposal. Shared by the invoked chaincode and the chaincodes it calls on the
 * same channel.
 */
import { peer } from '@hyperledger/fabric-protos';
import type { UnpackedProposal } from '@healthledger/fabric-core/protos';
import type { CollectionRuntime } from '../definitions';
import type { CollectionPermission } from '../pvtdata';
import type { ChannelConfig } from '../channelconfig';
import type { ChaincodeRegistry } from '../definitions';
import type { PeerRuntime } from '../peer';
import type { TxSimulator } from '../sim';

/** What chaincode execution needs from the channel: chaincode definitions and policy checks. */
export interface ChaincodeSupport {
  readonly config: Pick<ChannelConfig, 'aclPolicy' | 'evaluatePolicy' | 'evaluateApplicationPolicy'>;
  readonly chaincodes: Pick<ChaincodeRegistry, 'get' | 'collections'>;
}

/** The simulating peer as execution uses it: its own stream to each chaincode. */
export type ExecutingPeer = Pick<PeerRuntime, 'chaincode'>;

/** One transaction's simulation on one peer. */
export class TransactionContext {
  /** Collection permissions of the creator, checked once per transaction. */
  readonly permissions = new Map<string, CollectionPermission>();

  constructor(
    readonly support: ChaincodeSupport,
    readonly peer: ExecutingPeer,
    readonly simulator: TxSimulator,
    readonly proposal: UnpackedProposal,
    readonly isInit = false,
  ) {}

  get channelId(): string {
    return this.proposal.channelId;
  }

  get txId(): string {
    return this.proposal.txId;
  }

  /** Explicit and implicit collections of chaincode `name` (empty if it is not defined). */
  collections(name: string): ReadonlyMap<string, CollectionRuntime> {
    return this.support.chaincodes.collections(name);
  }

  /** Whether the proposal's creator (with its signature) satisfies `policy`. */
  creatorSatisfies(policy: peer.ApplicationPolicy): boolean {
    const signed = { identity: this.proposal.creator, data: this.proposal.proposalBytes, signature: this.proposal.signature };
    return this.support.config.evaluateApplicationPolicy(policy, [signed]).ok;
  }
}

/** Wraps a signature policy envelope as an ApplicationPolicy. */
export function signaturePolicy(envelope: Parameters<peer.ApplicationPolicy['setSignaturePolicy']>[0]): peer.ApplicationPolicy {
  const policy = new peer.ApplicationPolicy();
  policy.setSignaturePolicy(envelope);
  return policy;
}
