/**
 * What the REST layer needs from the ledger. {@link FabricConnection} implements it over
 * `@hyperledger/fabric-gateway`; unit tests substitute a fake, end-to-end tests use the devnet.
 */
import type { ChaincodeEvent, Checkpoint, CloseableAsyncIterable, Status } from '@hyperledger/fabric-gateway';
import type { FabricUser } from './wallet';

/** One chaincode transaction invocation. */
export interface LedgerCall {
  /** Qualified transaction name, e.g. `records:create`. */
  fn: string;
  args?: string[];
  /** Private inputs (record content, claim detail): sent as transient data, never recorded. */
  transient?: Record<string, string | Uint8Array>;
  /** Restricts endorsement (or evaluation) to these organisations' peers. */
  endorsingOrgs?: string[];
  /**
   * Submits only: the request carries an `Idempotency-Key`, so the transaction ids of this call
   * are fixed and recorded before endorsement, and an outcome an earlier run lost is taken from
   * the ledger instead of submitting again (see idempotency/journal.ts).
   */
  journal?: TxJournal;
}

/** One transaction of a journaled submit: its nonce (hex) and the transaction id that follows. */
export interface TxAttempt {
  nonce: string;
  txId: string;
}

/** The recorded transactions of one submit of an idempotent request. */
export interface TxSlot {
  /** Transactions recorded by earlier runs of the same request, oldest first (empty on a first run). */
  readonly attempts: readonly TxAttempt[];
  /** Records a transaction durably; called before it is endorsed. */
  record(attempt: TxAttempt): void;
}

/** The durable record of an idempotent request's submits, one slot per ledger submit. */
export interface TxJournal {
  /** The slot of this call: the same call of a replayed request gets the same slot. */
  slot(call: LedgerCall): TxSlot;
}

/** A committed transaction. */
export interface SubmitOutcome {
  txId: string;
  blockNumber: bigint;
  result: Uint8Array;
}

/** The qscc functions the audit routes use. */
export type QsccFunction = 'GetChainInfo' | 'GetBlockByNumber' | 'GetBlockByHash' | 'GetTransactionByID' | 'GetBlockByTxID';

/**
 * The other system chaincode queries the operations view uses: cscc's last config block (channel
 * Readers) and `_lifecycle`'s committed chaincode definition (channel Writers, by the default ACLs).
 */
export type SystemQuery = { chaincode: 'cscc'; fn: 'GetConfigBlock' } | { chaincode: '_lifecycle'; fn: 'QueryChaincodeDefinition'; chaincodeName: string };

/** A message the client signs itself: the bytes to keep and the digest to sign. */
export interface Signable {
  txId: string;
  bytes: Uint8Array;
  digest: Uint8Array;
}

/** Offline signing (patient-held keys): the gateway never sees the private key. */
export interface OfflineSigning {
  /** Builds an unsigned proposal for `user` (who may have no key here). */
  prepare(user: FabricUser, call: LedgerCall): Signable;
  /** Endorses a client-signed proposal; returns the transaction to sign and the result. */
  endorse(user: FabricUser, proposal: Uint8Array, signature: Uint8Array): Promise<Signable & { result: Uint8Array }>;
  /** Submits a client-signed transaction; returns the commit-status request to sign. */
  submit(user: FabricUser, transaction: Uint8Array, signature: Uint8Array): Promise<Signable>;
  /** Waits for the commit status with a client-signed commit-status request. */
  status(user: FabricUser, commit: Uint8Array, signature: Uint8Array): Promise<Status>;
}

export interface Ledger {
  readonly channel: string;
  readonly chaincode: string;
  evaluate(user: FabricUser, call: LedgerCall): Promise<Uint8Array>;
  submit(user: FabricUser, call: LedgerCall): Promise<SubmitOutcome>;
  /**
   * Evaluates a qscc query on the user's org peer, or on a peer of `targetOrg` (the Gateway API's
   * target organisations). `GetBlockByHash` takes the hash's bytes.
   */
  qscc(user: FabricUser, fn: QsccFunction, arg?: string | Uint8Array, targetOrg?: string): Promise<Uint8Array>;
  /** Evaluates a cscc or `_lifecycle` query on the user's org peer; answers the serialized result message. */
  system(user: FabricUser, query: SystemQuery): Promise<Uint8Array>;

  /**
   * Full blocks from `startBlock` on, in order, over the peer's Deliver service (one stream, not a
   * qscc call per block), serialized as the peer sent them (audit/raw-block.ts reads them). The
   * stream waits for blocks not yet committed: the caller closes it. A Deliver status other than
   * SUCCESS throws `DeliverStatusError` (fabric/deliver.ts).
   */
  blocks(user: FabricUser, startBlock: bigint): Promise<CloseableAsyncIterable<Uint8Array>>;
  /** Chaincode events of this chaincode from a checkpoint (or `startBlock` when it is unset). */
  chaincodeEvents(user: FabricUser, checkpoint: Checkpoint, startBlock: bigint): Promise<CloseableAsyncIterable<ChaincodeEvent>>;
  readonly offline: OfflineSigning;
  close(): void;
}
