/**
 * The peer side of chaincode-as-a-service: the peer dials the chaincode server,
 * opens `protos.Chaincode/Connect`, answers REGISTER with REGISTERED + READY, then multiplexes
 * transactions by (channel, txid) over the one stream. Never sends KEEPALIVE: the Node shim
 * exits on any unexpected message type.
 */
import * as grpc from '@grpc/grpc-js';
import { peer } from '@hyperledger/fabric-protos';
import { GarbageMeter, LARGE_BODY_BYTES } from '@healthledger/fabric-core/memory';
import { clientWithoutCopies } from '../wire';
import { ChaincodeExecuteError, ChaincodeLaunchError } from './errors';

const Type = peer.ChaincodeMessage.Type;
type ChaincodeMessage = peer.ChaincodeMessage;

/** `protos.Chaincode`'s client, copy-free: a record upload's TRANSACTION and private write are 4 MiB each (../wire.ts). */
const ChaincodeClient = clientWithoutCopies<peer.ChaincodeClient>(peer.ChaincodeService, 'Chaincode');

/** Answers one request the chaincode sent during a transaction (RESPONSE or ERROR). */
export type RequestHandler = (request: ChaincodeMessage) => Promise<ChaincodeMessage>;

/** Where and how to reach one chaincode server. */
export interface ChaincodeEndpoint {
  /** CaaS `host:port`. */
  address: string;
  /** The id the server registers with (its CHAINCODE_ID); anything else is refused. */
  packageId: string;
  /** TLS to the chaincode server; absent = plaintext. */
  tls?: { rootCertPem: string; clientCertPem?: string; clientKeyPem?: string; hostOverride?: string };
  /**
   * How long the first dial keeps retrying while the server is still binding (Fabric's
   * connection.json `dial_timeout`, 3 s). Once registered, a dead server fails at once.
   */
  bindWaitMs?: number;
  /** Fabric's `chaincode.executetimeout` (30 s); shorter only in tests. */
  executeTimeoutMs?: number;
  /** connection.json `dial_timeout` (3 s): connect and register within this time. */
  dialTimeoutMs?: number;
}

/** Fabric's `chaincode.executetimeout`. */
export const EXECUTE_TIMEOUT_MS = 30_000;
/** connection.json `dial_timeout` default: connect and register within this time. */
export const DIAL_TIMEOUT_MS = 3_000;

interface InFlight {
  handler: RequestHandler;
  resolve: (message: ChaincodeMessage) => void;
  reject: (err: Error) => void;
}

/**
 * Large TRANSACTION messages sent (a 4 MiB upload's proposal goes to the chaincode with its
 * transient data): once grpc-js has framed one, the message's serialized copy is garbage, and so
 * are the HTTP/2 chunks the proposal arrived in, all young, while the chaincode runs for a while
 * and this thread allocates little. A young-generation collection then (the next turn of the event
 * loop, after the framing) frees them for the rest of the endorsement, not after it
 * (`@healthledger/fabric-core/memory`).
 */
const sentTransactions = new GarbageMeter(LARGE_BODY_BYTES, 'minor');

/** A registered stream and its in-flight transactions. */
interface Session {
  stream: grpc.ClientDuplexStream<ChaincodeMessage, ChaincodeMessage>;
  inFlight: Map<string, InFlight>;
  /** False once the stream ended: nothing may be sent on it any more. */
  alive: boolean;
}

function contextKey(channelId: string, txId: string): string {
  return `${channelId}\u0000${txId}`;
}

/**
 * One simulated peer's connection to one chaincode server. Dials lazily on the first
 * transaction, keeps the stream, and dials again after the stream dies.
 */
export class ChaincodeConnection {
  private session: Promise<Session> | undefined;
  /** The registered session `session` resolved to, checked synchronously. */
  private live: Session | undefined;
  private registeredOnce = false;
  private client: grpc.Client | undefined;
  private closed = false;

  constructor(private readonly endpoint: ChaincodeEndpoint) {}

  /**
   * Sends `message` (TRANSACTION or INIT, with the signed proposal attached) and serves the
   * chaincode's requests with `handler` until COMPLETED or ERROR arrives, which is returned.
   */
  async execute(message: ChaincodeMessage, handler: RequestHandler): Promise<ChaincodeMessage> {
    const timeoutMs = this.endpoint.executeTimeoutMs ?? EXECUTE_TIMEOUT_MS;
    let session = await this.connect();
    // The stream died after connect() handed it out: dial again, as the next invocation would.
    if (!session.alive) session = await this.connect();
    if (!session.alive) throw new ChaincodeExecuteError('chaincode stream terminated');
    const key = contextKey(message.getChannelId(), message.getTxid());
    if (session.inFlight.has(key)) {
      throw new ChaincodeExecuteError(`txid: ${message.getTxid()}(${message.getChannelId()}) exists`);
    }
    return new Promise<ChaincodeMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        session.inFlight.delete(key);
        reject(new ChaincodeExecuteError('timeout expired while executing transaction'));
      }, timeoutMs);
      const settle = <T>(fn: (v: T) => void) => (value: T): void => {
        clearTimeout(timer);
        session.inFlight.delete(key);
        fn(value);
      };
      session.inFlight.set(key, { handler, resolve: settle(resolve), reject: settle(reject) });
      session.stream.write(message);
      const bytes = message.getProposal()?.getProposalBytes_asU8().length ?? 0;
      if (bytes >= LARGE_BODY_BYTES) setImmediate(() => sentTransactions.addIfLarge(bytes));
    });
  }

  /** Ends the stream and the client; in-flight transactions fail with "chaincode stream terminated". */
  close(): void {
    this.closed = true;
    void this.session?.then(
      (session) => session.stream.cancel(),
      () => undefined,
    );
    this.client?.close();
    this.client = undefined;
  }

  private connect(): Promise<Session> {
    if (this.closed) return Promise.reject(new ChaincodeLaunchError('chaincode connection closed'));
    if (this.live && !this.live.alive) {
      this.live = undefined;
      this.session = undefined;
    }
    this.session ??= this.dialWithRetry().catch((err: unknown) => {
      this.session = undefined;
      throw err;
    });
    return this.session;
  }

  private async dialWithRetry(): Promise<Session> {
    const deadline = Date.now() + (this.registeredOnce ? 0 : (this.endpoint.bindWaitMs ?? 3000));
    for (;;) {
      try {
        const session = await this.dial();
        this.live = session;
        this.registeredOnce = true;
        return session;
      } catch (err) {
        if (!(err instanceof RefusedError) || Date.now() >= deadline || this.closed) throw this.launchError(err as Error);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private launchError(err: Error): ChaincodeLaunchError {
    const { packageId, address } = this.endpoint;
    if (err instanceof ChaincodeLaunchError) return err;
    const reason =
      err instanceof RefusedError
        ? `connection error: desc = "transport: error while dialing: dial tcp ${address}: connect: connection refused"`
        : err.message;
    return new ChaincodeLaunchError(
      `could not launch chaincode ${packageId}: connection to ${packageId} failed: error cannot create connection for ${packageId}: ` +
        `error creating grpc connection to ${address}: failed to create new connection: ${reason}`,
    );
  }

  private credentials(): grpc.ChannelCredentials {
    const tls = this.endpoint.tls;
    if (!tls) return grpc.credentials.createInsecure();
    return grpc.credentials.createSsl(
      Buffer.from(tls.rootCertPem),
      tls.clientKeyPem ? Buffer.from(tls.clientKeyPem) : null,
      tls.clientCertPem ? Buffer.from(tls.clientCertPem) : null,
    );
  }

  /** Opens the stream and completes the handshake; the chaincode speaks first (REGISTER). */
  private dial(): Promise<Session> {
    const options: grpc.ClientOptions = {
      'grpc.max_receive_message_length': 100 * 1024 * 1024,
      'grpc.max_send_message_length': 100 * 1024 * 1024,
    };
    if (this.endpoint.tls?.hostOverride) options['grpc.ssl_target_name_override'] = this.endpoint.tls.hostOverride;
    this.client?.close();
    const client = new ChaincodeClient(this.endpoint.address, this.credentials(), options);
    this.client = client;
    const stream = client.connect();
    const session: Session = { stream, inFlight: new Map(), alive: true };
    return new Promise<Session>((resolve, reject) => {
      let registered = false;
      // Fabric's connection.json dial_timeout: a server that neither refuses nor registers.
      const dialTimer = setTimeout(() => {
        reject(new DialTimeoutError('context deadline exceeded'));
        stream.cancel();
        // Do not leave a channel reconnecting to a server that never registers.
        client.close();
        if (this.client === client) this.client = undefined;
      }, this.endpoint.dialTimeoutMs ?? DIAL_TIMEOUT_MS);
      stream.on('data', (message: ChaincodeMessage) => {
        if (!registered) {
          clearTimeout(dialTimer);
          registered = this.handshake(stream, message, reject);
          if (registered) resolve(session);
          return;
        }
        this.dispatch(session, message);
      });
      const ended = (err?: Error): void => {
        clearTimeout(dialTimer);
        if (registered) this.terminated(session);
        else reject(err ? toDialError(err) : new ChaincodeLaunchError('chaincode stream ended during registration'));
      };
      stream.on('error', (err: Error) => ended(err));
      stream.on('end', () => ended());
    });
  }

  /** REGISTER with the configured id → REGISTERED then READY at once. */
  private handshake(
    stream: grpc.ClientDuplexStream<ChaincodeMessage, ChaincodeMessage>,
    message: ChaincodeMessage,
    reject: (err: Error) => void,
  ): boolean {
    if (message.getType() !== Type.REGISTER) {
      reject(new ChaincodeLaunchError(`chaincode sent message type ${message.getType()} before REGISTER`));
      stream.cancel();
      return false;
    }
    const name = peer.ChaincodeID.deserializeBinary(message.getPayload_asU8()).getName();
    if (name !== this.endpoint.packageId) {
      reject(new ChaincodeLaunchError(`chaincode registered as ${name}, but the definition expects package id ${this.endpoint.packageId}`));
      stream.cancel();
      return false;
    }
    for (const type of [Type.REGISTERED, Type.READY]) {
      const reply = new peer.ChaincodeMessage();
      reply.setType(type);
      stream.write(reply);
    }
    return true;
  }

  /** Routes a message of a registered stream to its transaction. */
  private dispatch(session: Session, message: ChaincodeMessage): void {
    const type = message.getType();
    if (type === Type.KEEPALIVE) return;
    const inFlight = session.inFlight.get(contextKey(message.getChannelId(), message.getTxid()));
    if (type === Type.COMPLETED || type === Type.ERROR) {
      inFlight?.resolve(message);
      return;
    }
    if (type === Type.REGISTER || type === Type.REGISTERED || type === Type.READY || type === Type.TRANSACTION || type === Type.INIT) {
      // Fabric ends the stream on a message out of turn; so do we, loudly.
      console.error(`devnet chaincode ${this.endpoint.packageId}: unexpected message type ${type}; closing the stream`);
      session.stream.cancel();
      return;
    }
    const handler: RequestHandler = inFlight ? inFlight.handler : noContext;
    handler(message).then(
      (reply) => session.stream.write(reply),
      (err: unknown) => console.error(`devnet chaincode ${this.endpoint.packageId}: request handler failed`, err),
    );
  }

  private terminated(session: Session): void {
    session.alive = false;
    for (const inFlight of session.inFlight.values()) {
      inFlight.reject(new ChaincodeExecuteError('chaincode stream terminated'));
    }
    session.inFlight.clear();
    if (this.live === session) {
      this.live = undefined;
      this.session = undefined;
    }
  }
}

/** A refused connection: retried while the server binds. */
class RefusedError extends Error {}

/** No REGISTER within the dial timeout. */
class DialTimeoutError extends Error {}

function toDialError(err: Error): Error {
  const code = (err as Partial<grpc.ServiceError>).code;
  if (code === grpc.status.UNAVAILABLE && /ECONNREFUSED|No connection established|connect/i.test(err.message)) {
    return new RefusedError(err.message);
  }
  return err;
}

/** A request whose txid has no live transaction. */
async function noContext(request: ChaincodeMessage): Promise<ChaincodeMessage> {
  return Promise.resolve(requestError(request, 'no ledger context'));
}

/** The ERROR reply "<TYPE> failed: transaction ID: <txid>: <reason>". */
export function requestError(request: ChaincodeMessage, reason: string): ChaincodeMessage {
  const reply = new peer.ChaincodeMessage();
  reply.setType(Type.ERROR);
  reply.setTxid(request.getTxid());
  reply.setChannelId(request.getChannelId());
  reply.setPayload(Buffer.from(`${messageTypeName(request.getType())} failed: transaction ID: ${request.getTxid()}: ${reason}`));
  return reply;
}

/** Fabric's name of a message type, e.g. `GET_STATE`. */
export function messageTypeName(type: number): string {
  const entry = Object.entries(Type).find(([, value]) => value === type);
  return entry ? entry[0] : String(type);
}
