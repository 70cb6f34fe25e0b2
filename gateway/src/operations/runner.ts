/**
 * Runs operations after the gateway has answered 202, keeps their records (durable ones in the
 * {@link OperationStore}), lets their owners read and cancel them, announces their progress, and
 * after a restart resumes what was running (docs/design/operations.md).
 *
 * A kind ({@link OperationKind}) supplies the work; the runner supplies what every kind shares:
 * the record, its persistence at each step, the transaction journal that makes a resume commit
 * nothing twice, cancellation, and the end status.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import { HttpProblem, problem, type Problem } from '../errors/problem';
import type { TxJournal } from '../fabric/ledger';
import type { FabricUser, Wallet } from '../fabric/wallet';
import { OperationJournal } from './journal';
import { FINISHED, viewOf, type OperationBatch, type OperationNotice, type OperationRecord, type OperationStatus, type OperationView } from './model';
import type { OperationStore } from './store';

/** What a kind's run may do with its operation. */
export interface RunContext<I> {
  readonly id: string;
  readonly input: I;
  /** The owner's identity: every transaction is signed as the caller who started the operation. */
  readonly user: FabricUser;
  /**
   * Pass with every submit: transaction ids are recorded before endorsement. Each call gives a
   * journal view of its own over the operation's slots, counting identical calls from zero: a
   * kind whose submits differ (bulk batches) takes one per submit, and can then retry a submit
   * that timed out under the same transaction id; a kind that may repeat a call takes one per run.
   */
  journal(): TxJournal;
  /** The record as it stands; a resumed run finds the batches and state of the run before. */
  readonly record: Readonly<OperationRecord>;
  /** True once the owner cancelled or the gateway is stopping: start nothing new. */
  stopped(): boolean;
  /** Sets the progress (`total` when it is learnt as the work goes). */
  progress(done: number, total?: number): void;
  /** Records a committed transaction and the items it covered. */
  batch(batch: OperationBatch): void;
  /** Records a failure as a problem (`instance`: the item it concerns). */
  fail(err: unknown, instance?: string): void;
  /** Replaces the kind's own state (stored with the record, so never PHI). */
  setState(state: unknown): void;
}

/** How a run ended: complete, or stopped early with what is left to send. */
export interface RunOutcome {
  complete: boolean;
  /** When complete without failures: what the synchronous form would have answered. */
  result?: unknown;
  /** When incomplete: the single-transaction requests that did not commit. */
  remaining?: unknown[];
}

/** One kind of operation. */
export interface OperationKind<I> {
  /** What `progress` counts. */
  unit: string;
  /**
   * Whether the record and input are stored (and the operation resumes after a restart). A kind
   * whose input or result may be PHI is not durable: it lives in this gateway's memory only.
   */
  durable: boolean;
  /** Does the work, from where `ctx.record` says an earlier run stopped. */
  run(ctx: RunContext<I>): Promise<RunOutcome>;
}

export interface OperationsOptions {
  /** Least time between two progress notices of one operation (default 1 s). */
  progressIntervalMs?: number;
  /** Operations kept in memory; the oldest finished ones are forgotten first (default 10,000). */
  maxOperations?: number;
}

/** The owner key of a caller: `mspId/name`. */
export function ownerOf(user: Pick<FabricUser, 'mspId' | 'name'>): string {
  return `${user.mspId}/${user.name}`;
}

interface Active {
  cancelled: boolean;
  done: Promise<void>;
}

export class Operations {
  // Kinds are heterogeneous in their input; each run receives the input it was started with.
  private readonly kinds = new Map<string, OperationKind<never>>();
  private readonly records = new Map<string, OperationRecord>();
  private readonly active = new Map<string, Active>();
  private readonly lastNotice = new Map<string, number>();
  private readonly emitter = new EventEmitter();
  private stopping = false;

  constructor(
    private readonly store: OperationStore,
    private readonly wallet: Wallet,
    private readonly toProblem: (err: unknown) => Problem,
    private readonly options: OperationsOptions = {},
  ) {
    this.emitter.setMaxListeners(0);
    for (const record of store.load()) this.records.set(record.id, record);
  }

  /** Declares a kind (route groups do, before the gateway is ready). */
  define<I>(name: string, kind: OperationKind<I>): void {
    this.kinds.set(name, kind);
  }

  /**
   * Starts an operation for `user` and returns its record at once (the work begins on the next
   * tick); `state` is the kind's initial state, if it has one.
   */
  start<I>(user: FabricUser, kind: string, input: I, total: number, state?: unknown): OperationRecord {
    const def = this.kindOf(kind);
    const now = new Date().toISOString();
    const record: OperationRecord = {
      id: randomBytes(16).toString('hex'),
      kind,
      status: 'accepted',
      owner: ownerOf(user),
      createdAt: now,
      updatedAt: now,
      progress: { done: 0, total, unit: def.unit },
      batches: [],
      errors: [],
      journal: {},
      ...(state === undefined ? {} : { state }),
      resumable: def.durable,
    };
    if (def.durable) this.store.saveInput(record.id, input);
    this.records.set(record.id, record);
    this.save(record);
    this.forgetOldest();
    this.launch(record, user, input);
    return record;
  }

  /** The record, if it exists and `owner` started it. */
  recordOf(id: string, owner: string): OperationRecord | undefined {
    const record = this.records.get(id);
    return record?.owner === owner ? record : undefined;
  }

  /** The view, if it exists and `owner` started it. */
  get(id: string, owner: string): OperationView | undefined {
    const record = this.recordOf(id, owner);
    return record && viewOf(record);
  }

  /** `owner`'s operations, newest first, optionally of one status. */
  list(owner: string, status?: OperationStatus): OperationView[] {
    return [...this.records.values()]
      .filter((r) => r.owner === owner && (status === undefined || r.status === status))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map(viewOf);
  }

  /**
   * Asks a running operation to stop: nothing new is started, what is in flight finishes, and it
   * ends `cancelled` with what committed and what did not. Cancelling a finished one is a 409.
   */
  cancel(id: string, owner: string): OperationView {
    const record = this.recordOf(id, owner);
    if (!record) throw new HttpProblem('OPERATION_NOT_FOUND');
    if (FINISHED.includes(record.status)) throw new HttpProblem('OPERATION_FINISHED', `The operation is ${record.status}`);
    const active = this.active.get(id);
    if (active) active.cancelled = true;
    return viewOf(record);
  }

  /** Listens to progress and completion notices of every operation (the event routes filter by owner). */
  subscribe(listener: (notice: OperationNotice) => void): () => void {
    this.emitter.on('notice', listener);
    return () => this.emitter.off('notice', listener);
  }

  /**
   * After a restart: resumes every stored operation that had not finished, from its record (its
   * journal resolves the transactions in flight at the crash from the ledger). One that cannot
   * resume (its kind or its owner's identity is gone) fails with what committed.
   */
  resumeInterrupted(log: FastifyBaseLogger): void {
    for (const record of this.records.values()) {
      if (FINISHED.includes(record.status) || this.active.has(record.id)) continue;
      const [mspId = '', name = ''] = record.owner.split('/');
      const user = this.wallet.get(mspId, name);
      const input = this.store.input(record.id);
      if (!this.kinds.has(record.kind) || !record.resumable || input === undefined || !user?.privateKey) {
        record.errors.push(problem('OPERATION_INTERRUPTED'));
        this.finish(record, 'failed');
        continue;
      }
      log.info({ operation: record.id, kind: record.kind, done: record.progress.done }, 'resuming operation');
      this.launch(record, user, input);
    }
  }

  /**
   * Stops every run after its transactions in flight and waits for them. Durable operations stay
   * `running` on disk and resume at the next start; the others are lost with this process.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.active.values()].map((a) => a.done));
  }

  private launch(record: OperationRecord, user: FabricUser, input: unknown): void {
    const active: Active = { cancelled: false, done: Promise.resolve() };
    this.active.set(record.id, active);
    active.done = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.run(record, user, input, active))
      .finally(() => this.active.delete(record.id));
  }

  private async run(record: OperationRecord, user: FabricUser, input: unknown, active: Active): Promise<void> {
    const kind = this.kindOf(record.kind);
    this.update(record, { status: 'running' });
    const ctx = this.contextOf(record, user, input, active);
    let outcome: RunOutcome;
    try {
      outcome = await kind.run(ctx as RunContext<never>);
    } catch (err) {
      ctx.fail(err);
      outcome = { complete: false };
    }
    if (record.errors.length === 0 && !outcome.complete && !active.cancelled) return; // stopping: resumes at the next start
    if (outcome.remaining && !outcome.complete) record.remaining = outcome.remaining;
    if (outcome.complete && record.errors.length === 0) record.result = outcome.result;
    this.finish(record, record.errors.length > 0 ? 'failed' : outcome.complete ? 'succeeded' : 'cancelled');
  }

  private contextOf(record: OperationRecord, user: FabricUser, input: unknown, active: Active): RunContext<unknown> {
    return {
      id: record.id,
      input,
      user,
      journal: () => new OperationJournal(record.journal, () => this.save(record)),
      record,
      stopped: () => active.cancelled || this.stopping,
      progress: (done, total) => this.update(record, { progress: { ...record.progress, done, total: total ?? record.progress.total } }),
      batch: (batch) => this.update(record, { batches: [...record.batches, batch] }),
      fail: (err, instance) => {
        const p = this.toProblem(err);
        this.update(record, { errors: [...record.errors, instance === undefined ? p : { ...p, instance }] });
      },
      setState: (state) => this.update(record, { state }),
    };
  }

  private update(record: OperationRecord, change: Partial<OperationRecord>): void {
    Object.assign(record, change, { updatedAt: new Date().toISOString() });
    this.save(record);
    const now = Date.now();
    if (record.status === 'running' && now - (this.lastNotice.get(record.id) ?? 0) >= (this.options.progressIntervalMs ?? 1000)) {
      this.lastNotice.set(record.id, now);
      this.emitter.emit('notice', { type: 'operation.progress', operation: viewOf(record) } satisfies OperationNotice);
    }
  }

  private finish(record: OperationRecord, status: OperationStatus): void {
    record.journal = {};
    this.update(record, { status });
    this.store.dropInput(record.id);
    this.lastNotice.delete(record.id);
    this.emitter.emit('notice', { type: 'operation.completed', operation: viewOf(record) } satisfies OperationNotice);
  }

  private save(record: OperationRecord): void {
    if (record.resumable) this.store.save(record);
  }

  private kindOf(name: string): OperationKind<never> {
    const kind = this.kinds.get(name);
    if (!kind) throw new Error(`operation kind ${name} is not defined`);
    return kind;
  }

  private forgetOldest(): void {
    const max = this.options.maxOperations ?? 10_000;
    for (const [id, record] of this.records) {
      if (this.records.size <= max) return;
      if (!FINISHED.includes(record.status)) continue;
      this.records.delete(id);
      if (record.resumable) this.store.delete(id);
    }
  }
}
