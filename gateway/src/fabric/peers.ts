/**
 * One shared gRPC client per peer endpoint: every Gateway (one per signing identity) multiplexes
 * over it, as fabric-gateway recommends — connections are expensive, gateways are cheap.
 */
import * as grpc from '@grpc/grpc-js';
import type { PeerTarget } from './descriptor';

/** Fabric's default message size limit; grpc-js's 4 MiB default breaks large blocks. */
const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

/**
 * HTTP/2 flow-control window (per stream and per connection) the gateway offers its peers. With
 * HTTP/2's default 64 KiB a peer streaming blocks (whole-chain verification reads the chain over
 * one Deliver stream) stops every dozen ~5 KB blocks for a WINDOW_UPDATE, and both sides pay per
 * small write; 4 MiB lets it send ahead about 1 MB batches (docs/design/operations.md,
 * "Whole-chain verification"). It bounds what one connection may buffer here unread.
 */
const FLOW_CONTROL_WINDOW_BYTES = 4 * 1024 * 1024;

export class PeerClients {
  private readonly clients = new Map<string, grpc.Client>();
  private readonly byOrg = new Map<string, PeerTarget>();

  constructor(private readonly peers: readonly PeerTarget[]) {
    for (const peer of peers) if (!this.byOrg.has(peer.mspId)) this.byOrg.set(peer.mspId, peer);
  }

  /** The client for an organisation's gateway peer; organisations without one use the first peer. */
  forOrg(mspId: string): grpc.Client {
    const target = this.byOrg.get(mspId) ?? this.peers[0];
    if (target === undefined) throw new Error('no peers configured');
    return this.forTarget(target);
  }

  private forTarget(target: PeerTarget): grpc.Client {
    const existing = this.clients.get(target.endpoint);
    if (existing) return existing;
    const options: grpc.ClientOptions = {
      'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
      'grpc-node.flow_control_window': FLOW_CONTROL_WINDOW_BYTES,
    };
    if (target.hostOverride) options['grpc.ssl_target_name_override'] = target.hostOverride;
    const credentials = target.tlsRootCert ? grpc.credentials.createSsl(target.tlsRootCert) : grpc.credentials.createInsecure();
    const client = new grpc.Client(target.endpoint, credentials, options);
    this.clients.set(target.endpoint, client);
    return client;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
