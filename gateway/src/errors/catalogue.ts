/**
 * The gateway's catalogue of ledger failures: every code the gateway itself answers when Fabric
 * (rather than the chaincode) fails a call, with its HTTP status and whether waiting can help.
 * Chaincode codes live in the chaincode's own catalogue (`@healthledger/contract-api`);
 * the mapper (mapper.ts) decides which entry a Fabric error is.
 *
 * Only a transient entry is a 503 with `Retry-After`: telling a client to come back is a promise
 * that coming back can work. A network configuration fault (chaincode not deployed, an endorsement
 * plan Fabric cannot build) is not transient — waiting does not fix it, an operator does.
 */

/** How the gateway answers one kind of ledger failure. */
export interface LedgerProblemEntry {
  readonly status: number;
  /** Detail used when the mapper has nothing more specific to say. Never PHI, addresses or peer texts. */
  readonly detail: string;
  /**
   * Unavailability that passes by itself (a peer restarting, gossip membership converging):
   * answered 503 with `Retry-After`, and retried (a bounded number of times) by the gateway first.
   */
  readonly transient: boolean;
}

/**
 * Ledger failure codes. 502 vs 500: a 502 says the gateway and the request are fine but the
 * Fabric network behind it cannot serve the request as it is configured (an upstream fault an
 * operator fixes); 500 is kept for faults in the gateway or the contract.
 */
export const LEDGER_PROBLEMS = {
  LEDGER_UNAVAILABLE: { status: 503, detail: 'The ledger is unavailable; retry later', transient: true },
  LEDGER_TIMEOUT: { status: 504, detail: 'The ledger did not answer within the deadline', transient: false },
  LEDGER_ACCESS_DENIED: { status: 403, detail: 'The ledger refused this identity or signature', transient: false },
  ENDORSEMENT_UNSATISFIABLE: {
    status: 502,
    detail: 'No set of peers can satisfy the endorsement policy as the network is configured; an operator must fix the chaincode deployment or the policies',
    transient: false,
  },
  ENDORSEMENT_MISMATCH: {
    status: 502,
    detail: 'The endorsing peers computed different results (different chaincode versions or ledger states, or a non-deterministic contract); nothing was committed',
    transient: false,
  },
  LEDGER_ERROR: { status: 500, detail: 'The ledger rejected the request unexpectedly', transient: false },
  ENDORSEMENT_POLICY_FAILURE: { status: 403, detail: 'The organisations that endorsed may not change this asset', transient: false },
  MVCC_READ_CONFLICT: { status: 409, detail: 'The data changed concurrently; retrying did not resolve it', transient: false },
  PHANTOM_READ_CONFLICT: { status: 409, detail: 'The data changed concurrently; retrying did not resolve it', transient: false },
  COMMIT_FAILED: { status: 500, detail: 'The transaction was not committed', transient: false },
} as const satisfies Record<string, LedgerProblemEntry>;

/** A code of {@link LEDGER_PROBLEMS}. */
export type LedgerProblemCode = keyof typeof LEDGER_PROBLEMS;

/** Seconds a client should wait before retrying a transient ledger failure. */
export const RETRY_AFTER_SECONDS = 2;
