/**
 * Announces committed blocks, in the order a client must see them: CommitStatus waiters first, then
 * ChaincodeEvents streams, then Deliver streams.
 */
import type { BlockStore } from '../ledger';

/** Where a transaction ended up: its validation code and block (first occurrence). */
export interface TxCommitStatus {
  code: number;
  blockNum: bigint;
}

/**
 * Who hears about a committed block, in this order: CommitStatus waiters, then ChaincodeEvents
 * streams, then Deliver streams, so a client never sees a status before the state is readable.
 */
export type CommitAudience = 'events' | 'deliver';

/** Waits for transactions and blocks to be committed. */
export interface CommitNotifier {
  /** Resolves when `txId` is (or already was) committed (first occurrence); rejects on `signal`. */
  waitForTx(txId: string, signal?: AbortSignal): Promise<TxCommitStatus>;
  /** Resolves once block `number` is committed and announced to `audience`; rejects on `signal`. */
  waitForBlock(number: bigint, audience: CommitAudience, signal?: AbortSignal): Promise<void>;
  /** Blocks announced to `audience` so far (every block below this number may be sent to it). */
  announcedHeight(audience: CommitAudience): bigint;
}

/** Thrown (as a rejection) when a wait is abandoned through its AbortSignal. */
export class WaitAbortedError extends Error {
  override readonly name = 'WaitAbortedError';
  constructor() {
    super('wait aborted');
  }
}

/** One committed transaction, as the committer reports it. */
export interface CommittedTx {
  txId: string;
  code: number;
}

interface Waiter<T> {
  resolve: (value: T) => void;
}

/** Cancellable wait on a set of waiters. */
function wait<T>(set: Set<Waiter<T>>, signal: AbortSignal | undefined): { promise: Promise<T>; cancel: () => void } {
  let cancel = (): void => undefined;
  const promise = new Promise<T>((resolve, reject) => {
    if (signal?.aborted) return reject(new WaitAbortedError());
    const waiter: Waiter<T> = {
      resolve: (value) => {
        cleanup();
        resolve(value);
      },
    };
    const onAbort = (): void => {
      cleanup();
      reject(new WaitAbortedError());
    };
    const cleanup = (): void => {
      set.delete(waiter);
      signal?.removeEventListener('abort', onAbort);
    };
    cancel = cleanup;
    set.add(waiter);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, cancel };
}

/** The devnet's commit notifier. The committer calls {@link announce} after each block. */
export class CommitFeed implements CommitNotifier {
  private readonly txWaiters = new Map<string, Set<Waiter<TxCommitStatus>>>();
  private readonly heights: Record<CommitAudience, bigint>;
  private readonly blockWaiters: Record<CommitAudience, Set<Waiter<void>>> = { events: new Set(), deliver: new Set() };

  constructor(private readonly blocks: BlockStore) {
    this.heights = { events: blocks.height, deliver: blocks.height };
  }

  waitForTx(txId: string, signal?: AbortSignal): Promise<TxCommitStatus> {
    let set = this.txWaiters.get(txId);
    if (!set) {
      set = new Set();
      this.txWaiters.set(txId, set);
    }
    const waiting = wait(set, signal);
    // Subscribe first, then look in the ledger: a commit in between cannot be missed.
    const found = this.blocks.txLocation(txId);
    if (found) {
      waiting.cancel();
      if (set.size === 0) this.txWaiters.delete(txId);
      return Promise.resolve({ code: found.code, blockNum: found.blockNum });
    }
    return waiting.promise.finally(() => {
      if (set.size === 0) this.txWaiters.delete(txId);
    });
  }

  async waitForBlock(number: bigint, audience: CommitAudience, signal?: AbortSignal): Promise<void> {
    while (this.heights[audience] <= number) {
      await wait(this.blockWaiters[audience], signal).promise;
    }
  }

  announcedHeight(audience: CommitAudience): bigint {
    return this.heights[audience];
  }

  /** Reports a committed block (already readable in the ledger) to every audience, in order. */
  announce(blockNum: bigint, txs: CommittedTx[]): void {
    for (const tx of txs) {
      const set = this.txWaiters.get(tx.txId);
      if (!set) continue;
      // The ledger index keeps the first occurrence; a replay in a later block is not reported.
      const first = this.blocks.txLocation(tx.txId);
      const status = first ? { code: first.code, blockNum: first.blockNum } : { code: tx.code, blockNum };
      this.txWaiters.delete(tx.txId);
      for (const waiter of [...set]) waiter.resolve(status);
    }
    // Each audience hears in a later macrotask, after the previous one's promise chains (and
    // their gRPC writes) have run: microtask order alone would not keep the sequence.
    setImmediate(() => {
      this.release('events', blockNum);
      setImmediate(() => this.release('deliver', blockNum));
    });
  }

  private release(audience: CommitAudience, blockNum: bigint): void {
    if (this.heights[audience] < blockNum + 1n) this.heights[audience] = blockNum + 1n;
    for (const waiter of [...this.blockWaiters[audience]]) waiter.resolve();
  }
}
