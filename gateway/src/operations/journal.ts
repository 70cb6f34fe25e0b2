/**
 * The transaction journal of an operation: each submit's transaction id (its nonce) recorded in
 * the operation's record before endorsement, as an `Idempotency-Key` request's journal is
 * (idempotency/journal.ts). A resumed operation passes the same journal, so a transaction the
 * gateway died waiting for is read back from the ledger instead of committed twice.
 *
 * Slots are named by the call's function and arguments (hashed) and how many identical calls came
 * before it in this run; the record holds hashes, nonces and transaction ids only.
 */
import { createHash } from 'node:crypto';
import type { LedgerCall, TxAttempt, TxJournal, TxSlot } from '../fabric/ledger';

export class OperationJournal implements TxJournal {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly slots: Record<string, TxAttempt[]>,
    /** Makes the slots durable (called after each new attempt, before it is endorsed). */
    private readonly persist: () => void,
  ) {}

  slot(call: LedgerCall): TxSlot {
    const key = this.slotKey(call);
    return {
      attempts: [...(this.slots[key] ?? [])],
      record: (attempt) => {
        this.slots[key] = [...(this.slots[key] ?? []), attempt];
        this.persist();
      },
    };
  }

  private slotKey(call: LedgerCall): string {
    const what = createHash('sha256').update(`${call.fn}\u0000${JSON.stringify(call.args ?? [])}`).digest('hex');
    const n = this.seen.get(what) ?? 0;
    this.seen.set(what, n + 1);
    return `${what}#${n}`;
  }
}
