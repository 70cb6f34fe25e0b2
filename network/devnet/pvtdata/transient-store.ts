/**
 * The devnet's stand-in for Fabric's transient store plus gossip dissemination: an
 * endorsement's private write set, kept per (txid, org) until the committer takes it.
 */
import type { ledger } from '@hyperledger/fabric-protos';

/**
 * Default bound on stored entries. Fabric expires transient data after
 * `transientstoreMaxBlockRetention` blocks; the devnet bounds the count instead, so private data
 * of evaluations and abandoned endorsements (never taken by a commit) cannot pile up.
 */
export const TRANSIENT_STORE_CAPACITY = 100_000;

/** Private write sets awaiting commit, one per (transaction, member org). */
export class TransientStore {
  private readonly entries = new Map<string, ledger.rwset.TxPvtReadWriteSet>();

  constructor(private readonly capacity = TRANSIENT_STORE_CAPACITY) {}

  private static key(txId: string, mspId: string): string {
    return `${txId}\u0000${mspId}`;
  }

  /** Stores (or replaces: every endorser produces the same set) the data `mspId` should hold. */
  put(txId: string, mspId: string, pvt: ledger.rwset.TxPvtReadWriteSet): void {
    const key = TransientStore.key(txId, mspId);
    this.entries.delete(key);
    this.entries.set(key, pvt);
    // Map iteration is insertion order: the first key is the oldest entry.
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** Removes and returns what `mspId` holds for `txId`. */
  take(txId: string, mspId: string): ledger.rwset.TxPvtReadWriteSet | undefined {
    const key = TransientStore.key(txId, mspId);
    const pvt = this.entries.get(key);
    this.entries.delete(key);
    return pvt;
  }

  /** Reads without removing (another peer of the same org may still commit it). */
  peek(txId: string, mspId: string): ledger.rwset.TxPvtReadWriteSet | undefined {
    return this.entries.get(TransientStore.key(txId, mspId));
  }

  get size(): number {
    return this.entries.size;
  }
}
