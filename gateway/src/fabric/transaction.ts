/**
 * One transaction through the Fabric Gateway API (endorse, submit, commit status), and the
 * journaled variant an `Idempotency-Key` asks for: every transaction id fixed and recorded before
 * endorsement, and an outcome that an earlier run lost (crash, timeout) read back from the ledger
 * instead of submitted again. The ledger keeps it to one effect: a peer refuses to endorse a
 * proposal whose id it has committed, and a committer marks a second copy DUPLICATE_TXID.
 */
import type { CallOptions } from '@grpc/grpc-js';
import { EndorseError, type Contract, type Gateway, type Proposal, type Status, type Transaction } from '@hyperledger/fabric-gateway';
import { GarbageMeter, LARGE_BODY_BYTES } from '@healthledger/fabric-core/memory';
import type { Deadlines } from '../config';
import { committedTransaction, type Committed } from './committed';
import { crashPoint, type CrashPlan } from './crash-points';
import { newNonce, rewriteProposal, transientViews } from './fixed-txid';
import type { LedgerCall, TxAttempt, TxJournal } from './ledger';
import { commitWithRetries, retryUnavailable } from './retry';
import type { FabricUser } from './wallet';

/** What the submit path needs of the connection. */
export interface TransactionSupport {
  readonly attempts: number;
  readonly deadlines: Deadlines;
  /** TEST ONLY (see crash-points.ts). */
  readonly crashAt?: CrashPlan;
  deadline(ms: number): CallOptions;
  contractFor(user: FabricUser): Contract;
  gatewayFor(user: FabricUser): Gateway;
  /** qscc `GetBlockByTxID` on the user's organisation peer. */
  blockByTxId(user: FabricUser, txId: string): Promise<Uint8Array>;
}

/** fabric-gateway's proposal options for a call. */
export function proposalOptions(call: LedgerCall) {
  return {
    arguments: call.args ?? [],
    transientData: call.transient,
    endorsingOrganizations: call.endorsingOrgs,
  };
}

/** Bytes of a call's transient data (record content, claim detail). */
export function transientBytes(call: LedgerCall): number {
  let bytes = 0;
  for (const value of Object.values(call.transient ?? {})) bytes += typeof value === 'string' ? Buffer.byteLength(value) : value.byteLength;
  return bytes;
}

/**
 * Large proposals sent for endorsement (a 4 MiB upload): on its way out the content was copied
 * into the proposal ({@link newProposal}), the EndorseRequest and its gRPC frame, all dropped once sent. A
 * young-generation collection right after each such endorsement frees them while the transaction
 * still waits for its commit (network/fabric-core/src/memory/garbage.ts).
 */
const sentProposals = new GarbageMeter(LARGE_BODY_BYTES, 'minor');

/**
 * Endorses, submits and waits for the commit status; UNAVAILABLE retries each step as is. `crash`
 * is given for journaled submits only (TEST ONLY, see crash-points.ts); `sentBytes` is the
 * proposal's transient data ({@link transientBytes}). Not an async function itself: an async
 * function keeps its arguments as long as it runs, and the proposal's signed bytes carry the
 * transient data (a 4 MiB upload), which nothing needs once endorsed.
 */
export function sendTransaction(s: TransactionSupport, proposal: Proposal, crash?: CrashPlan, sentBytes = 0): Promise<Committed> {
  return endorsed(s, proposal, sentBytes).then((transaction) => committed(s, transaction, crash));
}

/** The endorsed transaction (UNAVAILABLE retried); large proposals' copies collected after. */
async function endorsed(s: TransactionSupport, proposal: Proposal, sentBytes: number): Promise<Transaction> {
  const transaction = await retryUnavailable(s.attempts, () => proposal.endorse(s.deadline(s.deadlines.endorseMs)));
  sentProposals.addIfLarge(sentBytes);
  return transaction;
}

/** Submits an endorsed transaction and waits for its commit status (UNAVAILABLE retried). */
async function committed(s: TransactionSupport, transaction: Transaction, crash?: CrashPlan): Promise<Committed> {
  const d = s.deadlines;
  const submitted = await retryUnavailable(s.attempts, () => transaction.submit(s.deadline(d.submitMs)));
  crashPoint(crash, 'after-submit');
  const status: Status = await retryUnavailable(s.attempts, () => submitted.getStatus(s.deadline(d.commitStatusMs)));
  if (status.successful) crashPoint(crash, 'after-commit');
  return { status, result: submitted.getResult() };
}

/**
 * A journaled submit: resolves the transaction an earlier run recorded last (committed: its
 * outcome; unknown to the ledger: sent again under the same id), then goes on as
 * {@link commitWithRetries} does, recording each new transaction before endorsing it.
 */
export async function submitJournaled(s: TransactionSupport, user: FabricUser, call: LedgerCall, journal: TxJournal): Promise<Committed> {
  const slot = journal.slot(call);
  // Only the last can be unresolved: a new transaction is recorded after the one before failed.
  let earlier = slot.attempts.at(-1);
  return commitWithRetries(s.attempts, async () => {
    if (earlier) {
      const attempt = earlier;
      earlier = undefined;
      return resume(s, user, call, attempt);
    }
    const nonce = newNonce();
    const proposal = fixedProposal(s, user, call, nonce);
    slot.record({ nonce: Buffer.from(nonce).toString('hex'), txId: proposal.getTransactionId() });
    crashPoint(s.crashAt, 'before-submit');
    return sendTransaction(s, proposal, s.crashAt, transientBytes(call));
  });
}

/** The outcome of a transaction an earlier run recorded: from the ledger, else by sending it again. */
async function resume(s: TransactionSupport, user: FabricUser, call: LedgerCall, attempt: TxAttempt): Promise<Committed> {
  const lookup = () => committedTransaction((txId) => s.blockByTxId(user, txId), attempt.txId);
  const committed = await lookup();
  if (committed) return committed;
  let sent: Committed;
  try {
    sent = await sendTransaction(s, fixedProposal(s, user, call, Buffer.from(attempt.nonce, 'hex')), s.crashAt, transientBytes(call));
  } catch (err) {
    // The earlier copy committed meanwhile: the peer refuses a duplicate id at endorsement.
    if (err instanceof EndorseError) {
      const late = await lookup();
      if (late) return late;
    }
    throw err;
  }
  // The earlier run's copy may have been ordered first (ours then is DUPLICATE_TXID, and the
  // status reports the first): answer with what committed, not with what we endorsed.
  return (await lookup()) ?? sent;
}

/** A proposal for `call` whose transaction id follows from `nonce`. */
function fixedProposal(s: TransactionSupport, user: FabricUser, call: LedgerCall, nonce: Uint8Array): Proposal {
  return newProposal(s, user, call, nonce);
}

/**
 * A proposal for `call`, its transaction id following from `nonce` when one is given. One with
 * transient data is drafted without them and given them by {@link rewriteProposal}, which writes
 * them once: fabric-gateway would copy them into the payload, then into the proposal around it
 * (and a fixed id's rewrite twice more), 4 MiB each time for an upload. The bytes sent are the
 * same either way.
 */
export function newProposal(s: TransactionSupport, user: FabricUser, call: LedgerCall, nonce?: Uint8Array): Proposal {
  const contract = s.contractFor(user);
  if (nonce === undefined && call.transient === undefined) return contract.newProposal(call.fn, proposalOptions(call));
  const draft = contract.newProposal(call.fn, { ...proposalOptions(call), transientData: undefined });
  const changes = { ...(nonce ? { nonce } : {}), ...(call.transient ? { transient: call.transient } : {}) };
  const { bytes } = rewriteProposal(draft.getBytes(), changes);
  if (call.transient) heldOnceLarge(call.transient, bytes);
  return s.gatewayFor(user).newProposal(bytes);
}

/**
 * Large transient values (a 4 MiB upload) read from the proposal just written instead of the
 * request's own copy: the same bytes, but one copy held where there were two. The call keeps its
 * transient data for a retry (which writes a new proposal from these views), so without this the
 * request's body and the proposal would both stay alive while the proposal is endorsed, each
 * upload's 4 MiB twice. Once swapped, the body (and the HTTP chunks it was gathered from) is
 * garbage that died young: a young-generation collection here frees it before the proposal's
 * gRPC copies are made (network/fabric-core/src/memory/garbage.ts).
 */
function heldOnceLarge(transient: NonNullable<LedgerCall['transient']>, proposedTransaction: Uint8Array): void {
  let swapped = 0;
  let views: Map<string, Uint8Array> | undefined;
  for (const [key, value] of Object.entries(transient)) {
    if (typeof value === 'string' || value.byteLength < LARGE_BODY_BYTES) continue;
    views ??= transientViews(proposedTransaction);
    const view = views.get(key);
    if (view === undefined || view.byteLength !== value.byteLength || view.buffer === value.buffer) continue;
    transient[key] = view;
    swapped += value.byteLength;
  }
  builtProposals.addIfLarge(swapped);
}

/** Request bodies let go of once their proposal is written (see {@link heldOnceLarge}). */
const builtProposals = new GarbageMeter(LARGE_BODY_BYTES, 'minor');
