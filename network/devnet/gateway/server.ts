/**
 * The gRPC endpoint of one simulated peer: `gateway.Gateway` (Evaluate, Endorse, Submit,
 * CommitStatus, ChaincodeEvents) and `protos.Deliver` (Deliver, DeliverFiltered,
 * DeliverWithPrivateData), as a Fabric 2.5 peer serves them.
 */
import * as grpc from '@grpc/grpc-js';
import { common, gateway, peer } from '@hyperledger/fabric-protos';
import { serveDeliver, writeWithBackPressure, type DeliverFlavour } from '../deliver';
import type { NetworkRuntime, PeerRuntime } from '../runtime';
import { chaincodeEvents } from './chaincode-events';
import { commitStatus } from './commit-status';
import { endorse } from './endorse';
import { evaluate } from './evaluate';
import { serviceStatus, toServiceError } from './service-status';
import { submit } from './submit';

/** Fabric's default `maxRecvMsgSize` / `maxSendMsgSize`; grpc-js would default to 4 MiB. */
export const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

/** Where and how a peer listens. */
export interface PeerListenOptions {
  /** Interface to bind; defaults to loopback. */
  bindHost?: string;
  /** 0 picks a free port. */
  port: number;
  /** Server TLS (the peer's TLS certificate and key); absent = plaintext. */
  tls?: { certPem: string; keyPem: string };
}

/** A listening peer endpoint. Bind first (the port may be random), then `serve`. */
export class PeerServer {
  private constructor(
    private readonly server: grpc.Server,
    /** The bound port. */
    readonly port: number,
  ) {}

  /** Binds the port; no service answers until {@link serve} is called. */
  static async listen(opts: PeerListenOptions): Promise<PeerServer> {
    const server = new grpc.Server({
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
    });
    const credentials = opts.tls
      ? grpc.ServerCredentials.createSsl(null, [{ cert_chain: Buffer.from(opts.tls.certPem), private_key: Buffer.from(opts.tls.keyPem) }], false)
      : grpc.ServerCredentials.createInsecure();
    const address = `${opts.bindHost ?? '127.0.0.1'}:${opts.port}`;
    const port = await new Promise<number>((resolve, reject) => {
      server.bindAsync(address, credentials, (err, bound) => (err ? reject(err) : resolve(bound)));
    });
    return new PeerServer(server, port);
  }

  /** Registers the Gateway and Deliver services of `gatewayPeer` on this endpoint. */
  serve(net: NetworkRuntime, gatewayPeer: PeerRuntime): void {
    this.server.addService(gateway.GatewayService, gatewayImplementation(net, gatewayPeer));
    this.server.addService(peer.DeliverService, deliverImplementation(net, gatewayPeer));
  }

  /** Stops accepting calls, lets short calls finish, then cancels the long-lived streams. */
  async close(graceMs = 500): Promise<void> {
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }
}

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
 * With `deadlineExceeded`, the handler is aborted just before the client's deadline and the call
 * answers DEADLINE_EXCEEDED with Fabric's text.
 */
function unary<Req, Res>(handle: (request: Req, signal: AbortSignal) => Promise<Res>, deadlineExceeded = false): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const abort = new AbortController();
    let answered = false;
    const answer = (err: Partial<grpc.StatusObject> | null, response?: Res): void => {
      if (answered) return;
      answered = true;
      clearTimeout(timer);
      callback(err, response);
    };
    const remaining = deadlineExceeded ? msUntilDeadline(call) : undefined;
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

function gatewayImplementation(net: NetworkRuntime, gatewayPeer: PeerRuntime): grpc.UntypedServiceImplementation {
  const server: gateway.IGatewayServer = {
    evaluate: unary((req: gateway.EvaluateRequest) => evaluate(net, gatewayPeer, req)),
    endorse: unary((req: gateway.EndorseRequest) => endorse(net, gatewayPeer, req)),
    submit: unary((req: gateway.SubmitRequest) => submit(net, req)),
    commitStatus: unary((req: gateway.SignedCommitStatusRequest, signal) => commitStatus(net, req, signal), true),
    chaincodeEvents: (call) => {
      const abort = new AbortController();
      call.on('cancelled', () => abort.abort());
      (async () => {
        try {
          for await (const response of chaincodeEvents(net, call.request, abort.signal)) {
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

function deliverImplementation(net: NetworkRuntime, gatewayPeer: PeerRuntime): grpc.UntypedServiceImplementation {
  const handler = (flavour: DeliverFlavour): grpc.handleBidiStreamingCall<common.Envelope, peer.DeliverResponse> => (call) =>
    serveDeliver(net, gatewayPeer, call, flavour);
  const server: peer.IDeliverServer = {
    deliver: handler('block'),
    deliverFiltered: handler('filtered'),
    deliverWithPrivateData: handler('private'),
  };
  return server;
}
