/**
 * EPCIS 2.0 capture jobs (the REST binding's `/capture` and `/capture/{captureID}`), as operations
 * of kind `epcis-capture` (operations/): an EPCISDocument's events are captured one ledger
 * transaction each, in document order, after the gateway has answered 202; the job reports what
 * became of each event. `GET /epcis/capture/{captureID}` is the GS1 view of the operation that
 * `GET /operations/{id}` shows in the common shape — one store, one id.
 *
 * A Fabric transaction cannot be rolled back once committed, and the events of one document may
 * need different endorsers (a receipt is endorsed by sender and consignee), so a document is not
 * one transaction. `rollback` (GS1's default) is therefore kept as far as the ledger allows:
 * capture stops at the first event that fails, the events after it are not attempted, and the
 * job lists the events that had already committed (`hl:events`), which stay on the ledger.
 * `proceed` attempts every event and reports each failure.
 *
 * The operation is durable (its document is supply-chain data, no PHI) and resumes after a
 * restart from the first event not committed; its journal resolves an event in flight at the
 * crash from the ledger.
 */
import type { Problem } from '../errors/problem';
import type { TxJournal } from '../fabric/ledger';
import type { FabricUser } from '../fabric/wallet';
import { FINISHED, type OperationRecord } from '../operations/model';
import type { OperationKind } from '../operations/runner';

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

/** What a capture operation is started with: the document's context and events, and the behaviour. */
export interface CaptureInput {
  context: unknown;
  events: Record<string, unknown>[];
  behaviour: CaptureErrorBehaviour;
}

/** The kind's own state, kept with the record. */
export interface CaptureState {
  behaviour: CaptureErrorBehaviour;
  events: CapturedEvent[];
}

/** Captures one event as `user`; resolves with the operation it became and its transaction, or throws. */
export type CaptureOne = (user: FabricUser, event: Record<string, unknown>, journal: TxJournal) => Promise<{ operation: string; txId: string }>;

/** The state of a capture not yet begun: every event not attempted. */
export function initialCaptureState(input: CaptureInput): CaptureState {
  return {
    behaviour: input.behaviour,
    events: input.events.map((event, index) => ({ index, ...(typeof event['eventID'] === 'string' ? { eventID: event['eventID'] } : {}), status: 'not_attempted' })),
  };
}

/** The `epcis-capture` operation kind. */
export function captureKind(captureOne: CaptureOne): OperationKind<CaptureInput> {
  return {
    unit: 'events',
    durable: true,
    run: async (op) => {
      const { context, events, behaviour } = op.input;
      const state = structuredClone((op.record.state as CaptureState | undefined) ?? initialCaptureState(op.input));
      let done = state.events.filter((e) => e.status !== 'not_attempted').length;
      const journal = op.journal();
      for (const captured of state.events) {
        if (captured.status !== 'not_attempted') continue;
        if (op.stopped() || (op.record.errors.length > 0 && behaviour === 'rollback')) break;
        try {
          const { operation, txId } = await captureOne(op.user, { '@context': context, ...events[captured.index] }, journal);
          Object.assign(captured, { status: 'committed', operation, txId });
          op.batch({ txId, offset: captured.index, count: 1 });
        } catch (err) {
          captured.status = 'failed';
          op.fail(err, `#/epcisBody/eventList/${captured.index}`);
        }
        op.setState(state);
        op.progress(++done);
      }
      op.setState(state);
      const complete = state.events.every((e) => e.status !== 'not_attempted') || op.record.errors.length > 0;
      return complete ? { complete, result: { events: state.events } } : { complete };
    },
  };
}

/** The GS1 view of a capture operation. */
export function captureJobOf(record: OperationRecord): CaptureJob {
  const state = record.state as CaptureState | undefined;
  const finished = FINISHED.includes(record.status);
  return {
    captureID: record.id,
    createdAt: record.createdAt,
    ...(finished ? { finishedAt: record.updatedAt } : {}),
    running: !finished,
    success: record.errors.length === 0 && record.status !== 'cancelled',
    captureErrorBehaviour: state?.behaviour ?? 'rollback',
    errors: record.errors,
    'hl:events': state?.events ?? [],
  };
}
