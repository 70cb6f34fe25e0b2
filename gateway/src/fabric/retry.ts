/**
 * Bounded retries for ledger calls. Two different retries, as Fabric semantics demand:
 * UNAVAILABLE (a peer or orderer briefly unreachable) retries the SAME signed proposal or
 * transaction — resubmitting it is harmless, the ledger rejects a second copy as DUPLICATE_TXID
 * and the commit status reports the first; an MVCC or phantom read conflict at commit needs a NEW
 * transaction, endorsed afresh against the current state.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, GatewayError, type Status } from '@hyperledger/fabric-gateway';

/** Transaction validation codes that a fresh transaction may get past. */
export const RETRYABLE_COMMIT_CODES: ReadonlySet<number> = new Set([11 /* MVCC_READ_CONFLICT */, 12 /* PHANTOM_READ_CONFLICT */]);

/** Delay before retry `attempt` (1-based): exponential from 50 ms with full jitter, capped at 1 s. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(1000, 50 * 2 ** (attempt - 1)));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** True for a gRPC UNAVAILABLE from fabric-gateway that carries no chaincode answer. */
export function isUnavailable(err: unknown): boolean {
  return err instanceof GatewayError && (err.code as GrpcStatus) === GrpcStatus.UNAVAILABLE;
}

/** Runs `call` up to `maxAttempts` times while it fails with UNAVAILABLE. */
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
 * NEW transaction only for MVCC/phantom conflicts, at most `maxAttempts` times; any other failed
 * status — or the last conflict — is thrown as a {@link CommitError}.
 */
export async function commitWithRetries<T extends { status: Status }>(maxAttempts: number, transaction: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await transaction();
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
