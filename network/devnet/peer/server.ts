/**
 * The gRPC endpoint of one simulated peer: binds a port, then serves that peer's Fabric Gateway
 * service and Deliver service (and the devnet orderer's Broadcast), and shuts down gracefully.
 */
import * as grpc from '@grpc/grpc-js';
import { gateway, orderer } from '@hyperledger/fabric-protos';
import { DELIVER_SERVICE, deliverServiceImplementation, type DeliverSupport } from '../deliver';
import { gatewayServiceImplementation, type GatewayServiceSupport } from '../gateway-service';
import { served } from '../wire';
import { broadcastServiceImplementation, type BroadcastSupport } from './broadcast';

/**
 * `gateway.Gateway` with every request walked by the wire check, without the generated
 * definitions' extra copy of each message (../wire.ts): an Endorse request carries a whole record upload.
 */
const GATEWAY_SERVICE = served(gateway.GatewayService);

/** The orderer's AtomicBroadcast, its requests walked by the wire check (../wire.ts). */
const BROADCAST_SERVICE = served(orderer.AtomicBroadcastService);

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

/** The services one peer answers, each with its own narrow dependencies. */
export interface PeerServices {
  readonly gateway: GatewayServiceSupport;
  readonly deliver: DeliverSupport;
  /** The ordering service's Broadcast (config updates); absent: not served. */
  readonly broadcast?: BroadcastSupport;
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
      // Nothing reads channelz here (no admin service), and its per-call bookkeeping showed in the
      // devnet's submit profile; Fabric's peers do not serve it either.
      'grpc.enable_channelz': 0,
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

  /** Registers the peer's Gateway and Deliver services on this endpoint. */
  serve(services: PeerServices): void {
    this.server.addService(GATEWAY_SERVICE, gatewayServiceImplementation(services.gateway));
    this.server.addService(DELIVER_SERVICE, deliverServiceImplementation(services.deliver));
    if (services.broadcast) this.server.addService(BROADCAST_SERVICE, broadcastServiceImplementation(services.broadcast));
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
