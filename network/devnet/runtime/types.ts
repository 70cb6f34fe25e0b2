/**
 * The assembled devnet as the other modules see it: one channel, its simulated peers, the shared
 * ledger, the chaincode definitions, the orderer and the commit notifier.
 */
import type { common } from '@hyperledger/fabric-protos';
import type { ChaincodeConnection } from '../chaincode';
import type { ChannelConfig } from '../channelconfig';
import type { ChaincodeRegistry } from '../definitions';
import type { Ledger } from '../ledger';
import type { SigningIdentity } from '@healthledger/fabric-core/pki';
import type { TransientStore } from '../pvtdata';

/** One simulated Fabric peer: an org member with its own endpoint and chaincode streams. */
export interface PeerRuntime {
  readonly mspId: string;
  /** Short name, e.g. `peer0`. */
  readonly name: string;
  /** Host name from the crypto material, e.g. `peer0.hospital1.example.com`. */
  readonly host: string;
  /** Advertised `host:port` (what ErrorDetail.address carries). */
  readonly endpoint: string;
  /** The peer's signing identity (endorsements). */
  readonly identity: SigningIdentity;
  /** This peer's own connection to a chaincode server (one stream per peer). */
  chaincode(name: string): ChaincodeConnection;
  /** Counters as a Fabric peer exports them on its operations endpoint. */
  readonly metrics: PeerMetrics;
}

/** What Fabric's peer counts as `endorser_proposals_received`, for tests that prove where proposals went. */
export interface PeerMetrics {
  /** Every proposal this peer's endorser received. */
  proposalsReceived: number;
}

/** Result of handing an envelope to the ordering service (Broadcast semantics). */
export interface BroadcastResult {
  status: common.StatusMap[keyof common.StatusMap];
  info: string;
}

/** The ordering service as the gateway's Submit uses it. */
export interface OrdererRuntime {
  broadcast(envelope: common.Envelope): Promise<BroadcastResult>;
}

/** Where a transaction ended up: its validation code and block (first occurrence). */
export interface TxCommitStatus {
  code: number;
  blockNum: bigint;
}

/**
 * Who hears about a committed block, in this order: CommitStatus waiters, then ChaincodeEvents
 * streams, then Deliver streams (a client never sees a status before state is readable).
 */
export type CommitAudience = 'events' | 'deliver';

/** Waits for transactions and blocks to be committed. */
export interface CommitNotifierRuntime {
  /** Resolves when `txId` is (or already was) committed (first occurrence); rejects on `signal`. */
  waitForTx(txId: string, signal?: AbortSignal): Promise<TxCommitStatus>;
  /** Resolves once block `number` is committed and announced to `audience`; rejects on `signal`. */
  waitForBlock(number: bigint, audience: CommitAudience, signal?: AbortSignal): Promise<void>;
}

/** The whole simulated network for one channel. */
export interface NetworkRuntime {
  readonly config: ChannelConfig;
  readonly ledger: Ledger;
  readonly peers: PeerRuntime[];
  readonly chaincodes: ChaincodeRegistry;
  readonly transientStore: TransientStore;
  readonly orderer: OrdererRuntime;
  readonly commitNotifier: CommitNotifierRuntime;
}
