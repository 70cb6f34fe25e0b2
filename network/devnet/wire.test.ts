import * as grpc from '@grpc/grpc-js';
import { gateway, peer } from '@hyperledger/fabric-protos';
import { VIEW_FROM_BYTES, deserializerOf, serializeWithoutCopy, withoutCopies } from './wire';

function chaincodeMessage(payloadBytes: number): peer.ChaincodeMessage {
  const message = new peer.ChaincodeMessage();
  message.setType(peer.ChaincodeMessage.Type.PUT_STATE);
  message.setTxid('tx1');
  message.setPayload(Buffer.alloc(payloadBytes, 7));
  return message;
}

/** What grpc-js hands a deserializer: the message after its 5-byte frame header, in a buffer of its own. */
function received(bytes: Uint8Array): Buffer {
  const framed = Buffer.alloc(bytes.length + 5);
  framed.set(bytes, 5);
  return framed.subarray(5);
}

describe('copy-free gRPC (de)serialization', () => {
  it('serializes to the same bytes as the generated definitions, over the serialized memory', () => {
    const message = chaincodeMessage(100);
    const bytes = serializeWithoutCopy(message);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes.equals(Buffer.from(message.serializeBinary()))).toBe(true);
    expect(bytes.equals(peer.ChaincodeService.connect.requestSerialize(message))).toBe(true);
  });

  it('decodes a large message as views of the received buffer, a small one from a copy', () => {
    const decode = deserializerOf(peer.ChaincodeMessage);
    const large = received(chaincodeMessage(VIEW_FROM_BYTES).serializeBinary());
    const decodedLarge = decode(large) as peer.ChaincodeMessage;
    expect(decodedLarge.getTxid()).toBe('tx1');
    expect(decodedLarge.getPayload_asU8().buffer).toBe(large.buffer);
    expect(Buffer.from(decodedLarge.getPayload_asU8()).equals(Buffer.alloc(VIEW_FROM_BYTES, 7))).toBe(true);

    const small = received(chaincodeMessage(10).serializeBinary());
    const decodedSmall = decode(small) as peer.ChaincodeMessage;
    expect(decodedSmall.getPayload_asU8().buffer).not.toBe(small.buffer);
    expect(Buffer.from(decodedSmall.getPayload_asU8()).equals(Buffer.alloc(10, 7))).toBe(true);
  });

  it('keeps every method of a service, its paths and message types, with the copy-free functions', () => {
    const service = withoutCopies(gateway.GatewayService);
    expect(Object.keys(service).sort()).toEqual(Object.keys(gateway.GatewayService).sort());
    const endorse = service.endorse;
    expect(endorse.path).toBe('/gateway.Gateway/Endorse');
    expect(endorse.requestSerialize).toBe(serializeWithoutCopy);
    const request = new gateway.EndorseRequest();
    request.setTransactionId('tx2');
    expect(endorse.requestDeserialize(received(request.serializeBinary())).getTransactionId()).toBe('tx2');
  });

  it('refuses a definition without message types, rather than decoding with the wrong one', () => {
    const { requestType: _, ...untyped } = peer.ChaincodeService.connect as unknown as Record<string, unknown>;
    expect(() => withoutCopies({ connect: untyped } as unknown as grpc.ServiceDefinition)).toThrow('gRPC method connect names no message types');
  });
});
