/**
 * The transaction journal of one run of an idempotent request: which transaction ids its submits
 * use, recorded durably before each is endorsed, so that a replay after a crash asks the ledger
 * what became of them rather than submitting again (fabric/transaction.ts).
 *
 * A submit's slot is named by what it sends in the clear — its function and arguments — and how
 * many identical calls came before it in the same run, so a replayed request finds its submits'
 * slots whatever order concurrent submits (bulk commissioning) take. The record holds hashes,
 * nonces and transaction ids only: no arguments, no transient data.
 */
import { createHash } from 'node:crypto';
import type { LedgerCall, TxAttempt, TxJournal, TxSlot } from '../fabric/ledger';
import type { IdempotencyStore, PendingRequest } from './store';

export class RequestJournal implements TxJournal {
  private readonly seen = new Map<string, number>();
  private readonly pending: PendingRequest;

  constructor(
    private readonly store: IdempotencyStore,
    private readonly scope: string,
    fingerprint: string,
    earlier: PendingRequest | undefined,
  ) {
    this.pending = earlier ?? { fingerprint, slots: {} };
  }

  slot(call: LedgerCall): TxSlot {
    const key = this.slotKey(call);
    const attempts: TxAttempt[] = [...(this.pending.slots[key] ?? [])];
    return {
      attempts,
      record: (attempt) => {
        this.pending.slots[key] = [...(this.pending.slots[key] ?? []), attempt];
        this.store.recordPending(this.scope, this.pending);
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
