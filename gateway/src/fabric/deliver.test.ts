/**
 * The gateway's Deliver reader against a scripted `protos.Deliver` service on loopback: blocks
 * come back as the bytes the service sent, the stream ends on SUCCESS, and a status or a gRPC
 * failure becomes the problem the error mapper gives every other ledger failure.
 */
import * as grpc from '@grpc/grpc-js';
import { GatewayError } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import { mapError } from '../errors/mapper';
import { chainOf } from '../testing/chain';
import { deliverBlocks, deliverResponseOf, DeliverStatusError } from './deliver';

const identity = (bytes: Buffer): Buffer => bytes;

/** `count` hash-linked blocks of one transaction each. */
function chain(count: number): common.Block[] {
  return chainOf(Array.from({ length: count }, (_, n) => ({ txId: `${n}`.padStart(64, 'a'), fn: 'records:createRecord', writes: [] })), '');
}

/** What the scripted service does with a request: the responses to send, then how to end. */
interface Script {
  responses: Uint8Array[];
  end?: 'close' | 'hang' | { code: grpc.status; details: string };
}

let server: grpc.Server;
let client: grpc.Client;
let script: Script;
const requests: Buffer[] = [];
/** Resolved when the service sees a call cancelled. */
let onCancelled: () => void = () => undefined;

beforeAll(async () => {
  server = new grpc.Server();
  const definition: grpc.ServiceDefinition = {
    deliver: { path: '/protos.Deliver/Deliver', requestStream: true, responseStream: true, requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity },
  };
  server.addService(definition, {
    deliver: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => {
      call.on('cancelled', () => onCancelled());
      call.on('data', (request: Buffer) => {
        requests.push(request);
        for (const response of script.responses) call.write(Buffer.from(response));
        if (script.end === 'close') call.end();
        else if (typeof script.end === 'object') call.emit('error', { code: script.end.code, details: script.end.details });
      });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
  );
  client = new grpc.Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(async () => {
  client.close();
  await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
});

function blockResponse(block: common.Block): Uint8Array {
  const response = new peer.DeliverResponse();
  response.setBlock(block);
  return response.serializeBinary();
}

function statusResponse(status: common.StatusMap[keyof common.StatusMap]): Uint8Array {
  const response = new peer.DeliverResponse();
  response.setStatus(status);
  return response.serializeBinary();
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const blocks: Buffer[] = [];
  for await (const block of stream) blocks.push(block);
  return blocks;
}

test('blocks arrive as the bytes the peer serialized, and the stream ends on SUCCESS', async () => {
  const blocks = chain(3);
  script = { responses: [...blocks.map(blockResponse), statusResponse(common.Status.SUCCESS)], end: 'hang' };
  const request = Buffer.from('a signed request envelope');
  const stream = deliverBlocks(client, request);
  const received = await readAll(stream);
  stream.close();
  expect(received.map((b) => b.toString('hex'))).toEqual(blocks.map((b) => Buffer.from(b.serializeBinary()).toString('hex')));
  expect(requests.at(-1)).toEqual(request);
});

test('a FORBIDDEN status is the ledger refusing the identity: 403 LEDGER_ACCESS_DENIED', async () => {
  script = { responses: [blockResponse(chain(1)[0]!), statusResponse(common.Status.FORBIDDEN)], end: 'hang' };
  const stream = deliverBlocks(client, Buffer.from('request'));
  const received: Buffer[] = [];
  const failure = await (async () => {
    for await (const block of stream) received.push(block);
  })().catch((err: unknown) => err);
  stream.close();
  expect(received).toHaveLength(1);
  expect(failure).toBeInstanceOf(DeliverStatusError);
  expect((failure as DeliverStatusError).status).toBe(common.Status.FORBIDDEN);
  expect(mapError(failure).problem).toMatchObject({ status: 403, code: 'LEDGER_ACCESS_DENIED' });
});

test('SERVICE_UNAVAILABLE is transient (503 with Retry-After); NOT_FOUND is a ledger error naming the status', async () => {
  script = { responses: [statusResponse(common.Status.SERVICE_UNAVAILABLE)], end: 'hang' };
  let stream = deliverBlocks(client, Buffer.from('request'));
  const unavailable = await readAll(stream).catch((err: unknown) => err);
  stream.close();
  expect(mapError(unavailable)).toMatchObject({ problem: { status: 503, code: 'LEDGER_UNAVAILABLE' }, headers: { 'retry-after': expect.any(String) } });

  script = { responses: [statusResponse(common.Status.NOT_FOUND)], end: 'hang' };
  stream = deliverBlocks(client, Buffer.from('request'));
  const notFound = await readAll(stream).catch((err: unknown) => err);
  stream.close();
  expect(mapError(notFound).problem).toMatchObject({ status: 500, code: 'LEDGER_ERROR', detail: 'The peer ended the block stream with status NOT_FOUND' });
});

test('a gRPC failure of the stream is a GatewayError, mapped as every other ledger call', async () => {
  script = { responses: [], end: { code: grpc.status.UNAVAILABLE, details: 'connection refused' } };
  const stream = deliverBlocks(client, Buffer.from('request'));
  const failure = await readAll(stream).catch((err: unknown) => err);
  stream.close();
  expect(failure).toBeInstanceOf(GatewayError);
  expect((failure as GatewayError).code).toBe(grpc.status.UNAVAILABLE);
  expect(mapError(failure).problem).toMatchObject({ status: 503, code: 'LEDGER_UNAVAILABLE' });
});

test('closing the stream cancels the call at the peer', async () => {
  script = { responses: chain(2).map(blockResponse), end: 'hang' };
  const cancelled = new Promise<void>((resolve) => (onCancelled = resolve));
  const stream = deliverBlocks(client, Buffer.from('request'));
  for await (const block of stream) {
    expect(block.length).toBeGreaterThan(0);
    break;
  }
  stream.close();
  await cancelled; // else the test times out: the peer would go on streaming to nobody
});

test('a stream the peer closes without a status ends (the chain check then reports what is missing)', async () => {
  script = { responses: chain(2).map(blockResponse), end: 'close' };
  const stream = deliverBlocks(client, Buffer.from('request'));
  expect(await readAll(stream)).toHaveLength(2);
  stream.close();
});

test('deliverResponseOf reads the oneof: a block as a view, a status as its number', () => {
  const block = chain(1)[0]!;
  const read = deliverResponseOf(Buffer.from(blockResponse(block)));
  expect('block' in read && Buffer.from(read.block).equals(Buffer.from(block.serializeBinary()))).toBe(true);
  expect(deliverResponseOf(Buffer.from(statusResponse(common.Status.FORBIDDEN)))).toEqual({ status: 403 });
});
