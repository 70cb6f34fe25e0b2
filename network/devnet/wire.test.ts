import * as grpc from '@grpc/grpc-js';
import { gateway, orderer, peer } from '@hyperledger/fabric-protos';
import { MalformedWire } from '@healthledger/fabric-core/protos';
import { DELIVER_SERVICE } from './deliver';
import { VIEW_FROM_BYTES, deserializerOf, served, serializeWithoutCopy, withoutCopies } from './wire';

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

describe('the served definitions', () => {
  // A SignedProposal whose proposal bytes claim ~3 GB: google-protobuf decodes a string field of
  // that shape for seconds; as bytes it refuses it at once, so the check is what is tested here.
  const claimsTooMuch = Buffer.from('1a06' + '0af193e6cc72', 'hex');
  const overrun = Buffer.from('0a0500', 'hex');
  const badUtf8 = Buffer.from('0a02c328', 'hex');

  it('walk every Gateway request with the wire check before decoding it', () => {
    const service = served(gateway.GatewayService);
    for (const method of Object.values(service)) {
      expect(() => method.requestDeserialize(received(overrun))).toThrow(MalformedWire);
    }
    expect(() => service.endorse.requestDeserialize(received(badUtf8))).toThrow('EndorseRequest: field 1 is not UTF-8');
    expect(() => service.endorse.requestDeserialize(received(claimsTooMuch))).toThrow(/SignedProposal: a field runs past the end/);
    const request = new gateway.EndorseRequest();
    request.setTransactionId('tx2');
    expect(service.endorse.requestDeserialize(received(request.serializeBinary())).getTransactionId()).toBe('tx2');
    expect(service.endorse.requestSerialize).toBe(serializeWithoutCopy);
  });

  it('walk Deliver and Broadcast envelopes, and leave the proposal bytes to the check where they are decoded', () => {
    for (const method of [...Object.values(DELIVER_SERVICE), ...Object.values(served(orderer.AtomicBroadcastService))]) {
      expect(() => method.requestDeserialize(received(overrun))).toThrow(MalformedWire);
    }
    // Garbage inside the proposal bytes is not the gRPC layer's to refuse: Fabric answers it from Endorse.
    const signed = new peer.SignedProposal();
    signed.setProposalBytes(Buffer.from('0af193e6cc72', 'hex'));
    const request = new gateway.EndorseRequest();
    request.setProposedTransaction(signed);
    expect(() => served(gateway.GatewayService).endorse.requestDeserialize(received(request.serializeBinary()))).not.toThrow();
  });

  it('refuse to serve a request the wire check has no layout for; a client definition walks nothing', () => {
    expect(() => served(peer.ChaincodeService)).toThrow('gRPC method connect takes a request the wire check has no layout for');
    const client = withoutCopies(peer.ChaincodeService);
    const message = new peer.ChaincodeMessage();
    message.setTxid('tx1');
    expect(client.connect.responseDeserialize(received(message.serializeBinary())).getTxid()).toBe('tx1');
  });
});
