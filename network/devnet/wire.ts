/**
 * gRPC service definitions for the devnet: every request a client sends is walked by the wire
 * check before google-protobuf decodes it, and messages are (de)serialized without copying them.
 *
 * The wire check (@healthledger/fabric-core/protos, wire-check.ts): google-protobuf 3.21 decodes a
 * string up to the length the bytes claim, one loop turn per claimed byte, past their end, before
 * it reports an error; 31 bytes held the devnet's thread for 49 s. The walk checks every length,
 * wire type and string of the request (shallow: the messages serialized into its bytes fields are
 * checked where the devnet decodes them, so each is answered as Fabric answers there). A request
 * it refuses is answered as Fabric's peers and orderers (grpc-go) answer a request they cannot
 * unmarshal: INTERNAL, before any handler runs (test/conformance/malformed-requests.test.ts).
 *
 * The copies. The generated definitions
 * (`@hyperledger/fabric-protos`, grpc-tools) copy every message once more each way: `Buffer.from`
 * of the serialized bytes before grpc-js frames them (a second copy), and `new Uint8Array` of what
 * grpc-js received before decoding it. For a 4 MiB record upload that is a whole document of
 * garbage on every hop: the devnet receives it in the Endorse request, sends it to the chaincode in
 * the TRANSACTION message (the transient map) and receives it back in the chaincode's private write.
 */
import * as grpc from '@grpc/grpc-js';
import type { Message } from 'google-protobuf';
import { checkWire, MESSAGE_TYPES, type DecodableName } from '@healthledger/fabric-core/protos';

/** A generated message class, as the definitions name it (`requestType`, `responseType`). */
interface MessageType {
  deserializeBinary(bytes: Uint8Array): Message;
}

/**
 * Smaller messages are still copied out of the received buffer: grpc-js takes small buffers from
 * Node's shared 8 KiB pool, and a decoded message holds views of its bytes, so one kept for long
 * (a block's transaction, a config value) would keep its neighbours' slab alive.
 */
export const VIEW_FROM_BYTES = 64 * 1024;

/** The serialized bytes as a Buffer over the same memory: grpc-js copies them into its frame anyway. */
export function serializeWithoutCopy(message: Message): Buffer {
  const bytes = message.serializeBinary();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Decodes `type` straight from grpc-js's buffer (its own allocation, never reused) when large. */
export function deserializerOf(type: MessageType): (buffer: Buffer) => Message {
  return (buffer) => type.deserializeBinary(buffer.length >= VIEW_FROM_BYTES ? buffer : new Uint8Array(buffer));
}

/** The wire check's name for a generated class; undefined when it has no layout. */
function wireNameOf(type: MessageType): DecodableName | undefined {
  return (Object.keys(MESSAGE_TYPES) as DecodableName[]).find((name) => MESSAGE_TYPES[name] === type);
}

/** Walks a request with the wire check, then decodes it as {@link deserializerOf} does. */
export function checkedDeserializerOf(type: MessageType, method: string): (buffer: Buffer) => Message {
  const name = wireNameOf(type);
  // A served request without a layout would reach google-protobuf unchecked: refuse to serve it.
  if (name === undefined) throw new TypeError(`gRPC method ${method} takes a request the wire check has no layout for`);
  const decode = deserializerOf(type);
  return (buffer) => {
    checkWire(name, buffer);
    return decode(buffer);
  };
}

function messageTypes(name: string, method: unknown): { requestType: MessageType; responseType: MessageType } {
  const { requestType, responseType } = method as { requestType?: MessageType; responseType?: MessageType };
  if (!requestType || !responseType) throw new TypeError(`gRPC method ${name} names no message types`);
  return { requestType, responseType };
}

/**
 * `service` with the copy-free (de)serializers on every method, both ways, for the devnet's
 * clients (the chaincode stream: what the chaincode answers is not walked, see
 * docs/design/devnet-fidelity.md).
 */
export function withoutCopies<S extends grpc.ServiceDefinition>(service: S): S {
  const methods = Object.entries(service).map(([name, method]) => {
    const { requestType, responseType } = messageTypes(name, method);
    const copyFree = {
      ...method,
      requestSerialize: serializeWithoutCopy,
      requestDeserialize: deserializerOf(requestType),
      responseSerialize: serializeWithoutCopy,
      responseDeserialize: deserializerOf(responseType),
    };
    return [name, copyFree] as const;
  });
  return Object.fromEntries(methods) as S;
}

/**
 * `service` as the devnet serves it to clients: copy-free, and every request walked by the wire
 * check before it is decoded. The one place the devnet's served definitions are made.
 */
export function served<S extends grpc.ServiceDefinition>(service: S): S {
  const methods = Object.entries(withoutCopies(service)).map(([name, method]) => {
    const checked = { ...method, requestDeserialize: checkedDeserializerOf(messageTypes(name, method).requestType, name) };
    return [name, checked] as const;
  });
  return Object.fromEntries(methods) as S;
}

/** A client class for `service` (as the generated `…Client` classes are made), copy-free. */
export function clientWithoutCopies<C extends grpc.Client>(service: grpc.ServiceDefinition, name: string): new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => C {
  return grpc.makeGenericClientConstructor(withoutCopies(service), name) as unknown as new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => C;
}
