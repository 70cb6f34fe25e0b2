import type { ChaincodeStub } from 'fabric-shim-api';
import { toBytes } from './json';

/** The name of the one chaincode event each transaction emits. */
export const CHANGES_EVENT = 'healthledger.changes';

/**
 * One announced change: what kind of asset, its id, and a status or action. Never PHI: ids and
 * codes only (patient references are pseudonymous).
 */
export interface Change {
  type: string;
  id: string;
  action: string;
  [field: string]: string | number | boolean | undefined;
}

/** Payload of {@link CHANGES_EVENT}. */
export interface ChangesEvent {
  txId: string;
  changes: Change[];
}

/**
 * Collects a transaction's changes and emits them as one event: Fabric keeps only the last
 * `setEvent` of a transaction, so contracts never call it directly.
 */
export class ChangeLog {
  private readonly changes: Change[] = [];

  add(change: Change): void {
    this.changes.push(change);
  }

  get size(): number {
    return this.changes.length;
  }

  flush(stub: ChaincodeStub): void {
    if (this.changes.length === 0) return;
    const event: ChangesEvent = { txId: stub.getTxID(), changes: this.changes };
    stub.setEvent(CHANGES_EVENT, toBytes(event));
  }
}
