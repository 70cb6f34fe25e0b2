/**
 * Typed failures of the devnet ledger. Callers (committer, runtime start-up) tell them apart to
 * decide between "reject this block" and "refuse to start".
 */

/** A block or its private data cannot be committed as given (wrong number, broken chain, …). */
export class LedgerError extends Error {
  override readonly name: string = 'LedgerError';
}

/**
 * Persisted ledger data failed verification on open: a bad record in the middle of a file, a
 * block that does not decode, or a broken `previous_hash` chain. Never silently skipped.
 */
export class LedgerCorruptError extends LedgerError {
  override readonly name = 'LedgerCorruptError';

  constructor(
    message: string,
    /** The block the damage was found in, when known. */
    readonly blockNum?: bigint,
  ) {
    super(message);
  }
}

/** The ledger was closed, or an earlier write failed and left it unusable until reopened. */
export class LedgerClosedError extends LedgerError {
  override readonly name = 'LedgerClosedError';
}
