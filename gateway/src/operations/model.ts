/**
 * The operation resource: a request the gateway accepted (202) and carries out after answering —
 * bulk commissioning, a lot recall until every pack is flagged, an EPCIS capture, an export of
 * every page of a list. One shape for all of them, served at `GET /operations/{id}` to the caller
 * who started it (docs/design/operations.md).
 */
import type { Problem } from '../errors/problem';
import type { TxAttempt } from '../fabric/ledger';

/** Where an operation is: accepted → running → succeeded | failed | cancelled. */
export const OPERATION_STATUSES = ['accepted', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

/** Statuses an operation never leaves. */
export const FINISHED: readonly OperationStatus[] = ['succeeded', 'failed', 'cancelled'];

/** How far an operation got: `done` of `total` items of `unit` (packs, events, items). */
export interface OperationProgress {
  done: number;
  /** May grow while running when the total is learnt as it goes (a recall's remaining packs). */
  total: number;
  unit: string;
}

/** One committed ledger transaction of an operation, and the items of the request it covered. */
export interface OperationBatch {
  txId: string;
  /** Index of its first item in the request. */
  offset: number;
  count: number;
}

/** An operation as `GET /operations/{id}` answers it. */
export interface OperationView {
  id: string;
  /** What runs: `commission-bulk`, `recall`, `epcis-capture`, `export`, `ledger-verification`. */
  kind: string;
  status: OperationStatus;
  /** `mspId/name` of the caller who started it, the only one who may read or cancel it. */
  owner: string;
  createdAt: string;
  updatedAt: string;
  progress: OperationProgress;
  /** The transactions that committed, in the order they did. */
  batches: OperationBatch[];
  /** One problem per failure; `instance` points at the item when there is one. */
  errors: Problem[];
  /** When succeeded: what the synchronous form would have answered. */
  result?: unknown;
  /** When failed or cancelled: the single-transaction requests that did not commit, to send again. */
  remaining?: unknown[];
}

/** What the store keeps of an operation: its view, and what a resume needs. */
export interface OperationRecord extends OperationView {
  /** Transactions recorded before endorsement, per submit slot (see journal.ts). */
  journal: Record<string, TxAttempt[]>;
  /** Kind-specific progress a resume or a kind's own view needs (never PHI). */
  state?: unknown;
  /** Whether the input was stored, so the operation can resume after a restart. */
  resumable: boolean;
}

/** The view of a record: what a client may see. */
export function viewOf(record: OperationRecord): OperationView {
  const { journal: _journal, state: _state, resumable: _resumable, ...view } = record;
  return view;
}

/** A change a subscriber of the operations hears of: progress (rate-limited) or the end. */
export interface OperationNotice {
  type: 'operation.progress' | 'operation.completed';
  operation: OperationView;
}
