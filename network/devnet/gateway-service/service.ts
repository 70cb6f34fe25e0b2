/**
 * The grpc-js binding of one peer's `gateway.Gateway` service (Evaluate, Endorse, Submit,
 * CommitStatus, ChaincodeEvents): calls become handlers, failures become Fabric's statuses, and
 * waiting calls answer a deadline the way Fabric's gateway does.
 */
import * as grpc from '@grpc/grpc-js';
import type { gateway } from '@hyperledger/fabric-protos';
import { writeWithBackPressure } from '../deliver';
import { chaincodeEvents } from './chaincode-events';
import { commitStatus } from './commit-status';
import { endorse } from './endorse';
import { evaluate } from './evaluate';
import { serviceStatus, toServiceError } from './service-status';
import { submit } from './submit';
import type { GatewayServiceSupport } from './support';

/**
 * How long before the client's deadline a waiting call gives up itself. Fabric's gateway runs
 * under the propagated deadline and answers "context deadline exceeded" about when the client's
 * own timer fires: against Fabric 2.5.4 a fabric-gateway client sees either that text or grpc-js's
 * "Deadline exceeded after …", whichever comes first. Answering slightly early gives the peer's.
 */
const DEADLINE_MARGIN_MS = 25;

/** Milliseconds until the call's deadline, or undefined when it has none. */
function msUntilDeadline(call: grpc.ServerUnaryCall<unknown, unknown>): number | undefined {
  const deadline = call.getDeadline();
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(at) ? at - Date.now() : undefined;
}

/**
 * Turns an async function into a grpc-js unary handler that maps failures as errors.ts describes.
 * It runs to its end: Evaluate, Endorse and Submit wait on nothing a signal could cut short, so
 * they get no AbortController, timer or 'cancelled' listener (a measurable share per call).
 */
function unary<Req, Res>(handle: (request: Req) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handle(call.request).then(
      (response) => callback(null, response),
      (err: unknown) => callback(toServiceError(err)),
    );
  };
}

/**
 * Like {@link unary} for a handler that waits: it gets a signal aborted just before the client's
 * deadline (or when the client cancels), and the call answers DEADLINE_EXCEEDED with Fabric's text.
 */
function waitingUnary<Req, Res>(handle: (request: Req, signal: AbortSignal) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const abort = new AbortController();
    let answered = false;
    const answer = (err: Partial<grpc.StatusObject> | null, response?: Res): void => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      callback(err, response);
    };
    const remaining = msUntilDeadline(call);
    const timer =
      remaining === undefined
        ? undefined
        : setTimeout(() => {
            abort.abort();
            answer(serviceStatus(grpc.status.DEADLINE_EXCEEDED, 'context deadline exceeded', []));
          }, Math.max(0, remaining - DEADLINE_MARGIN_MS));
    // grpc-js also reports 'cancelled' for calls already answered; only a pending one is aborted.
    call.on('cancelled', () => {
      if (!answered) abort.abort();
    });
    handle(call.request, abort.signal).then(
      (response) => answer(null, response),
      (err: unknown) => answer(toServiceError(err)),
    );
  };
}

/** The grpc-js implementation of `gateway.Gateway` for one peer. */
export function gatewayServiceImplementation(support: GatewayServiceSupport): grpc.UntypedServiceImplementation {
  const server: gateway.IGatewayServer = {
    evaluate: unary((req: gateway.EvaluateRequest) => evaluate(support, req)),
    endorse: unary((req: gateway.EndorseRequest) => endorse(support, req)),
    submit: unary((req: gateway.SubmitRequest) => submit(support, req)),
    commitStatus: waitingUnary((req: gateway.SignedCommitStatusRequest, signal) => commitStatus(support, req, signal)),
    chaincodeEvents: (call) => {
      const abort = new AbortController();
      call.on('cancelled', () => abort.abort());
      (async () => {
        try {
          for await (const response of chaincodeEvents(support, call.request, abort.signal)) {
            await writeWithBackPressure(call, response, abort.signal);
          }
          call.end();
        } catch (err) {
          if (!abort.signal.aborted) call.emit('error', toServiceError(err));
        }
      })().catch(() => abort.abort()); // a torn-down stream must not become an unhandled rejection
    },
  };
  return server;
}
