/**
 * The one Fabric connection module: shared gRPC clients per peer, one Gateway per signing
 * identity, an explicit deadline on every call, and bounded retries (see retry.ts).
 */
import type { CallOptions } from '@grpc/grpc-js';
import {
  connect,
  hash,
  type ChaincodeEvent,
  type Checkpoint,
  type CloseableAsyncIterable,
  type Contract,
  type Gateway,
  type Status,
} from '@hyperledger/fabric-gateway';
import { signLowS, signLowSAsync } from '@healthledger/fabric-core/crypto';
import type { KeyObject } from 'node:crypto';
import { peer } from '@hyperledger/fabric-protos';
import type { Deadlines } from '../config';
import type { LedgerTopology } from './descriptor';
import type { Ledger, LedgerCall, OfflineSigning, QsccFunction, Signable, SubmitOutcome, SystemQuery } from './ledger';
import { PeerClients } from './peers';
import type { CrashPlan } from './crash-points';
import { deliverBlocks } from './deliver';
import { commitWithRetries, retryUnavailable } from './retry';
import { newProposal, proposalOptions, sendTransaction, submitJournaled, transientBytes, type TransactionSupport } from './transaction';
import type { FabricUser } from './wallet';

/** Observes every ledger call (metrics). */
export type CallObserver = (operation: 'evaluate' | 'submit' | 'qscc' | 'system', fn: string, seconds: number, ok: boolean) => void;

export interface ConnectionOptions {
  deadlines: Deadlines;
  maxAttempts: number;
  observe?: CallObserver;
  /** TEST ONLY: kill the process at this stage of a journaled submit (see crash-points.ts). */
  crashAt?: CrashPlan;
}

/** `_lifecycle`'s serialized QueryChaincodeDefinitionArgs. */
function lifecycleArgs(name: string): Uint8Array {
  const args = new peer.lifecycle.QueryChaincodeDefinitionArgs();
  args.setName(name);
  return args.serializeBinary();
}

export class FabricConnection implements Ledger, TransactionSupport {
  readonly channel: string;
  readonly chaincode: string;
  readonly offline: OfflineSigning;
  private readonly clients: PeerClients;
  private readonly gateways = new Map<string, Gateway>();
  /**
   * Contracts by gateway and chaincode: fabric-gateway builds a new Network and Contract on every
   * `getNetwork()`/`getContract()`, and every call needs one. Both are stateless views of the
   * gateway (channel and chaincode names), so one per identity and chaincode serves every call.
   */
  private readonly contracts = new WeakMap<Gateway, Map<string, Contract>>();

  constructor(
    topology: LedgerTopology,
    private readonly options: ConnectionOptions,
  ) {
    this.channel = topology.channel;
    this.chaincode = topology.chaincode;
    this.clients = new PeerClients(topology.peers);
    this.offline = new OfflineFlow(this);
  }

  /** The Gateway for one identity, created on first use over the org peer's shared client. */
  gatewayFor(user: FabricUser): Gateway {
    const id = `${user.mspId}\u0000${user.name}\u0000${user.privateKey ? 'signer' : 'offline'}`;
    let gateway = this.gateways.get(id);
    if (!gateway) {
      gateway = connect({
        client: this.clients.forOrg(user.mspId),
        identity: { mspId: user.mspId, credentials: Buffer.from(user.certPem) },
        ...(user.privateKey ? nativeSigning(user.privateKey) : {}),
      });
      this.gateways.set(id, gateway);
    }
    return gateway;
  }

  contractFor(user: FabricUser, chaincode = this.chaincode): Contract {
    const gateway = this.gatewayFor(user);
    let byChaincode = this.contracts.get(gateway);
    if (!byChaincode) {
      byChaincode = new Map();
      this.contracts.set(gateway, byChaincode);
    }
    let contract = byChaincode.get(chaincode);
    if (!contract) {
      contract = gateway.getNetwork(this.channel).getContract(chaincode);
      byChaincode.set(chaincode, contract);
    }
    return contract;
  }

  deadline(ms: number): CallOptions {
    return { deadline: Date.now() + ms };
  }

  get attempts(): number {
    return this.options.maxAttempts;
  }

  get deadlines(): Deadlines {
    return this.options.deadlines;
  }

  get crashAt(): CrashPlan | undefined {
    return this.options.crashAt;
  }

  async evaluate(user: FabricUser, call: LedgerCall): Promise<Uint8Array> {
    return this.observed('evaluate', call.fn, () => {
      const proposal = this.contractFor(user).newProposal(call.fn, proposalOptions(call));
      return retryUnavailable(this.attempts, () => proposal.evaluate(this.deadline(this.options.deadlines.evaluateMs)));
    });
  }

  async submit(user: FabricUser, call: LedgerCall): Promise<SubmitOutcome> {
    return this.observed('submit', call.fn, async () => {
      const { status, result } = call.journal
        ? await submitJournaled(this, user, call, call.journal)
        : await commitWithRetries(this.attempts, () => sendTransaction(this, newProposal(this, user, call), undefined, transientBytes(call)));
      return { txId: status.transactionId, blockNumber: status.blockNumber, result };
    });
  }

  blockByTxId(user: FabricUser, txId: string): Promise<Uint8Array> {
    return this.qscc(user, 'GetBlockByTxID', txId);
  }

  async qscc(user: FabricUser, fn: QsccFunction, arg?: string | Uint8Array, targetOrg?: string): Promise<Uint8Array> {
    return this.observed('qscc', fn, () => {
      const args = arg === undefined ? [this.channel] : [this.channel, arg];
      const proposal = this.contractFor(user, 'qscc').newProposal(fn, { arguments: args, ...(targetOrg ? { endorsingOrganizations: [targetOrg] } : {}) });
      return retryUnavailable(this.attempts, () => proposal.evaluate(this.deadline(this.options.deadlines.evaluateMs)));
    });
  }

  async system(user: FabricUser, query: SystemQuery): Promise<Uint8Array> {
    return this.observed('system', query.fn, () => {
      // cscc takes the channel as its argument; `_lifecycle` reads it from the proposal and takes its input message.
      const args = query.chaincode === 'cscc' ? [this.channel] : [lifecycleArgs(query.chaincodeName)];
      const proposal = this.contractFor(user, query.chaincode).newProposal(query.fn, { arguments: args });
      return retryUnavailable(this.attempts, () => proposal.evaluate(this.deadline(this.options.deadlines.evaluateMs)));
    });
  }

  blocks(user: FabricUser, startBlock: bigint): Promise<CloseableAsyncIterable<Uint8Array>> {
    // No deadline either: the caller reads as far as it needs and closes the stream. Signing is
    // synchronous (native); a failure still reaches the caller as a rejection.
    return new Promise((resolve) => resolve(deliverBlocks(this.clients.forOrg(user.mspId), this.signedBlockEventsRequest(user, startBlock))));
  }

  /** fabric-gateway's block events request from `startBlock`, signed as the gateway signs everything ({@link nativeSigning}). */
  private signedBlockEventsRequest(user: FabricUser, startBlock: bigint): Uint8Array {
    if (!user.privateKey) throw new Error(`${user.name} has no key on this gateway to sign a Deliver request`);
    const gateway = this.gatewayFor(user);
    const unsigned = gateway.getNetwork(this.channel).newBlockEventsRequest({ startBlock });
    // The gateway of a user with a key digests with hash.none: the digest is the message itself.
    const signature = signLowS(user.privateKey, unsigned.getDigest());
    return gateway.newSignedBlockEventsRequest(unsigned.getBytes(), signature).getBytes();
  }

  chaincodeEvents(user: FabricUser, checkpoint: Checkpoint, startBlock: bigint): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
    // No deadline: the stream is meant to stay open; the caller closes it.
    return this.gatewayFor(user).getNetwork(this.channel).getChaincodeEvents(this.chaincode, { checkpoint, startBlock });
  }

  private async observed<T>(operation: 'evaluate' | 'submit' | 'qscc' | 'system', fn: string, run: () => Promise<T>): Promise<T> {
    const started = process.hrtime.bigint();
    let ok = false;
    try {
      const value = await run();
      ok = true;
      return value;
    } finally {
      this.options.observe?.(operation, fn, Number(process.hrtime.bigint() - started) / 1e9, ok);
    }
  }

  close(): void {
    for (const gateway of this.gateways.values()) gateway.close();
    this.gateways.clear();
    this.clients.close();
  }
}

/** fabric-gateway's offline-signing flow: newProposal → newSignedProposal → newSignedTransaction → newSignedCommit. */
class OfflineFlow implements OfflineSigning {
  constructor(private readonly connection: FabricConnection) {}

  private gateway(user: FabricUser): Gateway {
    // Always the key-less gateway: the client's signature is the only one that counts here.
    return this.connection.gatewayFor({ ...user, privateKey: undefined });
  }

  prepare(user: FabricUser, call: LedgerCall): Signable {
    const proposal = this.connection.contractFor({ ...user, privateKey: undefined }).newProposal(call.fn, proposalOptions(call));
    return { txId: proposal.getTransactionId(), bytes: proposal.getBytes(), digest: proposal.getDigest() };
  }

  async endorse(user: FabricUser, proposalBytes: Uint8Array, signature: Uint8Array) {
    const proposal = this.gateway(user).newSignedProposal(proposalBytes, signature);
    const ms = this.connection.deadlines.endorseMs;
    const transaction = await retryUnavailable(this.connection.attempts, () => proposal.endorse(this.connection.deadline(ms)));
    return {
      txId: transaction.getTransactionId(),
      bytes: transaction.getBytes(),
      digest: transaction.getDigest(),
      result: transaction.getResult(),
    };
  }

  async submit(user: FabricUser, transactionBytes: Uint8Array, signature: Uint8Array): Promise<Signable> {
    const transaction = this.gateway(user).newSignedTransaction(transactionBytes, signature);
    const submitted = await retryUnavailable(this.connection.attempts, () => transaction.submit(this.connection.deadline(this.connection.deadlines.submitMs)));
    return { txId: submitted.getTransactionId(), bytes: submitted.getBytes(), digest: submitted.getDigest() };
  }

  async status(user: FabricUser, commitBytes: Uint8Array, signature: Uint8Array): Promise<Status> {
    const commit = this.gateway(user).newSignedCommit(commitBytes, signature);
    return retryUnavailable(this.connection.attempts, () => commit.getStatus(this.connection.deadline(this.connection.deadlines.commitStatusMs)));
  }
}

/**
 * Signs with Node's OpenSSL ECDSA (SHA-256, DER, low-S as Fabric requires): about 15× cheaper than
 * fabric-gateway's pure-JavaScript private-key signer, and a submit signs three times. The client
 * hands the whole message over (`hash.none`) because OpenSSL hashes as it signs. The signing runs
 * in libuv's thread pool: the gateway's one thread serves every request, and when a block commits
 * it answers the block's requests and starts as many new ones at once, so the ~45 µs per
 * signature it no longer spends there shorten that queue (docs/performance.md, "REST latency at
 * 20 in flight"). Identities without a key here (patient-held keys) keep the library's SHA-256
 * digests for offline signing.
 */
function nativeSigning(privateKey: KeyObject): Pick<Parameters<typeof connect>[0], 'hash' | 'signer'> {
  return { hash: hash.none, signer: (message) => signLowSAsync(privateKey, message) };
}
