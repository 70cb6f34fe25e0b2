/**
 * gRPC service definitions that (de)serialize messages without copying them. The generated ones
 * (`@hyperledger/fabric-protos`, grpc-tools) copy every message once more each way: `Buffer.from`
 * of the serialized bytes before grpc-js frames them (a second copy), and `new Uint8Array` of what
 * grpc-js received before decoding it. For a 4 MiB record upload that is a whole document of
 * garbage on every hop: the devnet receives it in the Endorse request, sends it to the chaincode in
 * the TRANSACTION message (the transient map) and receives it back in the chaincode's private write.
 */
import * as grpc from '@grpc/grpc-js';
import type { Message } from 'google-protobuf';

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

/** `service` with the copy-free (de)serializers on every method, both ways. */
export function withoutCopies<S extends grpc.ServiceDefinition>(service: S): S {
  const methods = Object.entries(service).map(([name, method]) => {
    const { requestType, responseType } = method as unknown as { requestType?: MessageType; responseType?: MessageType };
    if (!requestType || !responseType) throw new TypeError(`gRPC method ${name} names no message types`);
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

/** A client class for `service` (as the generated `…Client` classes are made), copy-free. */
export function clientWithoutCopies<C extends grpc.Client>(service: grpc.ServiceDefinition, name: string): new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => C {
  return grpc.makeGenericClientConstructor(withoutCopies(service), name) as unknown as new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => C;
}
