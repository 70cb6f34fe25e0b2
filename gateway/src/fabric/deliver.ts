/**
 * Full blocks over a peer's `protos.Deliver/Deliver` stream, as the peer serialized them. The
 * request is fabric-gateway's own signed block events request (its bytes); the stream is read
 * here, over the same gRPC client, so that each `DeliverResponse` stays bytes: fabric-gateway
 * would decode every block into google-protobuf objects, which whole-chain verification only
 * re-serializes to hash (docs/design/operations.md, "Whole-chain verification").
 */
import type { CallOptions, Client, ClientDuplexStream, ServiceError } from '@grpc/grpc-js';
import { GatewayError, type CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import { GarbageMeter, STREAM_GARBAGE_BYTES } from '@healthledger/fabric-core/memory';
import { Reader } from 'protobufjs/minimal';

/** The Deliver method fabric-gateway's block events use (a bidirectional stream). */
const DELIVER_METHOD = '/protos.Deliver/Deliver';

/** `common.Status.SUCCESS`: the peer delivered the whole requested range. */
const STATUS_SUCCESS = 200;

/** The `common.Status` names a peer answers Deliver with (fabric-protos, common/common.proto). */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  0: 'UNKNOWN',
  200: 'SUCCESS',
  400: 'BAD_REQUEST',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'REQUEST_ENTITY_TOO_LARGE',
  500: 'INTERNAL_SERVER_ERROR',
  501: 'NOT_IMPLEMENTED',
  503: 'SERVICE_UNAVAILABLE',
};

/** The peer ended a Deliver stream with a status other than SUCCESS (the error mapper classifies it). */
export class DeliverStatusError extends Error {
  override readonly name = 'DeliverStatusError';

  constructor(readonly status: number) {
    super(`Deliver answered status=${STATUS_NAMES[status] ?? String(status)}`);
  }

  /** The status's name (`FORBIDDEN`, …), or its number when unknown. */
  get statusName(): string {
    return STATUS_NAMES[this.status] ?? String(this.status);
  }
}

/** One `peer.DeliverResponse`: a block's bytes (a view into the message) or the final status. */
export type DeliverResponse = { block: Buffer } | { status: number };

/**
 * Reads `DeliverResponse { oneof Type { common.Status status = 1; common.Block block = 2; … } }`
 * without decoding the block. Responses of other flavours (filtered blocks, private data) do not
 * come on this method; one would read as an unexpected status.
 */
export function deliverResponseOf(message: Buffer): DeliverResponse {
  const reader = Reader.create(message);
  let status = 0;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag === ((2 << 3) | 2)) return { block: reader.bytes() as Buffer };
    if (tag === ((1 << 3) | 0)) status = reader.int32();
    else reader.skipType(tag & 7);
  }
  return { status };
}

/** grpc-js's stream failures become fabric-gateway's GatewayError, as every other ledger call's do. */
function gatewayErrorOf(err: unknown): unknown {
  if (!(err instanceof Error) || typeof (err as Partial<ServiceError>).code !== 'number') return err;
  const cause = err as ServiceError;
  return new GatewayError({ code: cause.code, details: [], cause, message: cause.message });
}

const identity = (bytes: Buffer): Buffer => bytes;

/**
 * The messages every Deliver stream of this thread received, let go of once read: each is a Buffer
 * grpc-js allocated (and the HTTP/2 chunks it came in), read as views and dropped, while reading
 * allocates little on the V8 heap — so V8 would keep up to 32 MB of them before it collected
 * (network/fabric-core/src/memory/garbage.ts). A young-generation collection every 8 MiB received bounds that.
 */
const received = new GarbageMeter(STREAM_GARBAGE_BYTES, 'minor');

/**
 * The serialized blocks a signed block events request (`Network.newBlockEventsRequest`, signed)
 * asks for, in order, over one Deliver stream of `client`. Ends when the peer ends the range with
 * SUCCESS; throws {@link DeliverStatusError} for any other status and a GatewayError for a gRPC
 * failure. The caller closes it (a range without end waits for blocks not yet committed).
 */
export function deliverBlocks(client: Client, signedRequest: Uint8Array, options: CallOptions = {}): CloseableAsyncIterable<Buffer> {
  const call: ClientDuplexStream<Buffer, Buffer> = client.makeBidiStreamRequest(DELIVER_METHOD, identity, identity, options);
  // A cancelled call still emits 'error' (CANCELLED) after the reader has gone: heard and dropped here.
  call.on('error', () => undefined);
  call.write(Buffer.from(signedRequest.buffer, signedRequest.byteOffset, signedRequest.byteLength));
  async function* blocks(): AsyncGenerator<Buffer> {
    try {
      for await (const message of call as AsyncIterable<Buffer>) {
        received.add(message.length);
        const response = deliverResponseOf(message);
        if ('block' in response) yield response.block;
        else if (response.status === STATUS_SUCCESS) return;
        else throw new DeliverStatusError(response.status);
      }
    } catch (err) {
      throw gatewayErrorOf(err);
    }
  }
  const close = (): void => call.cancel();
  return { [Symbol.asyncIterator]: blocks, close, [Symbol.dispose]: close };
}
