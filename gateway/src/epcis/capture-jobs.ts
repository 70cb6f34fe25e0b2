/**
 * EPCIS 2.0 capture jobs (the REST binding's `/capture` and `/capture/{captureID}`): an
 * EPCISDocument's events are captured one ledger transaction each, in document order, after the
 * gateway has answered 202; the job reports what became of each event.
 *
 * A Fabric transaction cannot be rolled back once committed, and the events of one document may
 * need different endorsers (a receipt is endorsed by sender and consignee), so a document is not
 * one transaction. `rollback` (GS1's default) is therefore kept as far as the ledger allows:
 * capture stops at the first event that fails, the events after it are not attempted, and the
 * job lists the events that had already committed (`hl:events`), which stay on the ledger.
 * `proceed` attempts every event and reports each failure.
 *
 * Jobs live in this gateway's memory (the newest {@link MAX_JOBS}), readable by the caller who
 * started them only; they are gone after a restart. Nothing of an event's content is kept in a
 * job beyond its index, eventID and outcome.
 */
import { randomBytes } from 'node:crypto';
import type { Problem } from '../errors/problem';

/** Jobs a gateway remembers; the oldest finished job is forgotten first. */
export const MAX_JOBS = 1000;

/** GS1-Capture-Error-Behaviour. */
export type CaptureErrorBehaviour = 'rollback' | 'proceed';

/** What became of one event of the document. */
export interface CapturedEvent {
  /** Index in `epcisBody.eventList`. */
  index: number;
  eventID?: string;
  status: 'committed' | 'failed' | 'not_attempted';
  /** The ledger operation the event became (commission, ship, recordObservation, …). */
  operation?: string;
  txId?: string;
}

/** A capture job as GET /epcis/capture/{captureID} answers it (GS1 CaptureJob, plus `hl:events`). */
export interface CaptureJob {
  captureID: string;
  createdAt: string;
  finishedAt?: string;
  running: boolean;
  /** False once any event failed. */
  success: boolean;
  captureErrorBehaviour: CaptureErrorBehaviour;
  /** One problem per failed event; `instance` points at the event (`#/epcisBody/eventList/2`). */
  errors: Problem[];
  'hl:events': CapturedEvent[];
}

/** Captures one event; resolves with the operation it became and its transaction, or throws. */
export type CaptureOne = (index: number) => Promise<{ operation: string; txId: string }>;

interface StoredJob {
  owner: string;
  job: CaptureJob;
  done: Promise<void>;
}

/** The capture jobs of one gateway. */
export class CaptureJobs {
  private readonly jobs = new Map<string, StoredJob>();

  constructor(
    private readonly toProblem: (err: unknown) => Problem,
    private readonly limit = MAX_JOBS,
  ) {}

  /**
   * Starts capturing `eventIDs.length` events for `owner` (who alone may read the job) and returns
   * the job at once; `captureOne` is called for each index in order.
   */
  start(owner: string, behaviour: CaptureErrorBehaviour, eventIDs: (string | undefined)[], captureOne: CaptureOne): CaptureJob {
    const job: CaptureJob = {
      captureID: randomBytes(16).toString('hex'),
      createdAt: new Date().toISOString(),
      running: true,
      success: true,
      captureErrorBehaviour: behaviour,
      errors: [],
      'hl:events': eventIDs.map((eventID, index) => ({ index, ...(eventID ? { eventID } : {}), status: 'not_attempted' })),
    };
    const done = this.run(job, captureOne);
    this.jobs.set(job.captureID, { owner, job, done });
    this.forgetOldest();
    return job;
  }

  /** The job, if it exists and `owner` started it. */
  get(captureID: string, owner: string): CaptureJob | undefined {
    const stored = this.jobs.get(captureID);
    return stored?.owner === owner ? stored.job : undefined;
  }

  /** Resolves once every running job has finished (the gateway waits for this when it closes). */
  async settled(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => j.done));
  }

  private async run(job: CaptureJob, captureOne: CaptureOne): Promise<void> {
    for (const event of job['hl:events']) {
      if (!job.success && job.captureErrorBehaviour === 'rollback') break;
      try {
        const { operation, txId } = await captureOne(event.index);
        Object.assign(event, { status: 'committed', operation, txId });
      } catch (err) {
        event.status = 'failed';
        job.success = false;
        job.errors.push({ ...this.toProblem(err), instance: `#/epcisBody/eventList/${event.index}` });
      }
    }
    job.running = false;
    job.finishedAt = new Date().toISOString();
  }

  private forgetOldest(): void {
    for (const [id, stored] of this.jobs) {
      if (this.jobs.size <= this.limit) return;
      if (!stored.job.running) this.jobs.delete(id);
    }
  }
}
