/**
 * Everything a chaincode request needs about the transaction it belongs to (Fabric's
 * `TransactionContext`): the network, the simulating peer, the simulator and the proposal.
 * Shared by the invoked chaincode and the chaincodes it calls on the same channel.
 */
import { peer } from '@hyperledger/fabric-protos';
import type { UnpackedProposal } from '@healthledger/fabric-core/protos';
import { collectionConfigs, type CollectionPermission, type CollectionRuntime } from '../pvtdata';
import type { NetworkRuntime, PeerRuntime } from '../runtime';
import type { TxSimulator } from '../sim';

/** One transaction's simulation on one peer. */
export class TransactionContext {
  /** Collection permissions of the creator, checked once per transaction. */
  readonly permissions = new Map<string, CollectionPermission>();
  private readonly collectionsByChaincode = new Map<string, Map<string, CollectionRuntime>>();

  constructor(
    readonly net: NetworkRuntime,
    readonly peer: PeerRuntime,
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
    let found = this.collectionsByChaincode.get(name);
    if (!found) {
      const def = this.net.chaincodes.get(name);
      found = def ? collectionConfigs(def, this.net.config.orgs) : new Map<string, CollectionRuntime>();
      this.collectionsByChaincode.set(name, found);
    }
    return found;
  }

  /** Whether the proposal's creator (with its signature) satisfies `policy`. */
  creatorSatisfies(policy: peer.ApplicationPolicy): boolean {
    const signed = { identity: this.proposal.creator, data: this.proposal.proposalBytes, signature: this.proposal.signature };
    return this.net.config.evaluateApplicationPolicy(policy, [signed]).ok;
  }
}

/** Wraps a signature policy envelope as an ApplicationPolicy. */
export function signaturePolicy(envelope: Parameters<peer.ApplicationPolicy['setSignaturePolicy']>[0]): peer.ApplicationPolicy {
  const policy = new peer.ApplicationPolicy();
  policy.setSignaturePolicy(envelope);
  return policy;
}
