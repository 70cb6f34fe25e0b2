/**
 * Bounded retries for ledger calls. Two different retries, as Fabric semantics demand:
 * transient unavailability (a peer, chaincode server or orderer briefly unreachable) retries the
 * SAME signed proposal or transaction — resubmitting it is harmless, the ledger rejects a second
 * copy as DUPLICATE_TXID and the commit status reports the first; an MVCC or phantom read conflict
 * at commit, or endorsers that disagree, needs a NEW transaction, endorsed afresh against the
 * current state. Which failures are transient is the error mapper's classification (its
 * LEDGER_UNAVAILABLE, answered 503 + Retry-After), so the gateway never retries what it would tell
 * a client not to retry — a chaincode not deployed, an endorsement plan Fabric cannot build.
 */
import { CommitError, EndorseError, GatewayError, type Status } from '@hyperledger/fabric-gateway';
import { ledgerFailureOf } from '../errors/mapper';

/** Transaction validation codes that a fresh transaction may get past. */
export const RETRYABLE_COMMIT_CODES: ReadonlySet<number> = new Set([11 /* MVCC_READ_CONFLICT */, 12 /* PHANTOM_READ_CONFLICT */]);

/** Delay before retry `attempt` (1-based): exponential from 50 ms with full jitter, capped at 1 s. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(1000, 50 * 2 ** (attempt - 1)));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True for a fabric-gateway error the mapper classes as transient unavailability (no chaincode answer). */
export function isUnavailable(err: unknown): boolean {
  return err instanceof GatewayError && ledgerFailureOf(err)?.code === 'LEDGER_UNAVAILABLE';
}

/**
 * True when endorsing peers returned different results. In a multi-organisation network this is
 * mostly a peer a block behind another (their read sets differ), which a fresh endorsement gets
 * past; a non-deterministic contract fails every attempt and surfaces as ENDORSEMENT_MISMATCH.
 */
export function isEndorsementMismatch(err: unknown): boolean {
  return err instanceof EndorseError && ledgerFailureOf(err)?.code === 'ENDORSEMENT_MISMATCH';
}

/** Runs `call` up to `maxAttempts` times while it fails with transient unavailability. */
export async function retryUnavailable<T>(maxAttempts: number, call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= maxAttempts || !isUnavailable(err)) throw err;
      await sleep(backoffMs(attempt));
    }
  }
}

/**
 * Runs whole transactions (endorse → submit → commit status) until one commits, retrying with a
 * NEW transaction only for MVCC/phantom conflicts and endorsement mismatches, at most
 * `maxAttempts` times; any other failed status — or the last conflict — is thrown as a
 * {@link CommitError}, the last mismatch as its EndorseError.
 */
export async function commitWithRetries<T extends { status: Status }>(maxAttempts: number, transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let outcome: T;
    try {
      outcome = await transaction();
    } catch (err) {
      // Nothing reached the orderer: a new proposal is safe.
      if (attempt >= maxAttempts || !isEndorsementMismatch(err)) throw err;
      await sleep(backoffMs(attempt));
      continue;
    }
    const { status } = outcome;
    if (status.successful) return outcome;
    if (attempt >= maxAttempts || !RETRYABLE_COMMIT_CODES.has(status.code)) {
      throw new CommitError({
        code: status.code,
        transactionId: status.transactionId,
        message: `Transaction ${status.transactionId} failed to commit with status code ${status.code}`,
      });
    }
    await sleep(backoffMs(attempt));
  }
}
