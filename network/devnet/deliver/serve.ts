/**
 * A `protos.Deliver` stream: each request envelope is answered with the blocks of its
 * range (full, filtered, or with private data) and a final status; requests on one stream are
 * handled one after another.
 */
import type * as grpc from '@grpc/grpc-js';
import { common, peer } from '@hyperledger/fabric-protos';
import { WaitAbortedError, type CommitNotifier } from '../committer/commit-feed';
import type { BlockStore } from '../ledger';
import { filteredBlock } from './filtered-block';
import { blockAndPrivateData, type PrivateDataSupport } from './private-data';
import { DeliverStatusError, resolveSeek, sessionAccess, type SeekSupport } from './seek';
import { served } from '../wire';
import { writeWithBackPressure } from './stream-write';
import { collectBeforeLongRead, GarbageMeter, LONG_READ_BLOCKS, STREAM_GARBAGE_BYTES } from '@healthledger/fabric-core/memory';

/** What one peer's Deliver service reads: requests, committed blocks and its org's private data. */
export interface DeliverSupport extends SeekSupport, PrivateDataSupport {
  readonly config: SeekSupport['config'] & PrivateDataSupport['config'];
  readonly blocks: Pick<BlockStore, 'height' | 'getBlock' | 'getBlockBytesRun'>;
  readonly commits: Pick<CommitNotifier, 'waitForBlock' | 'announcedHeight'>;
}

/** Which of the three Deliver methods was called. */
export type DeliverFlavour = 'block' | 'filtered' | 'private';

/** A response, or one already serialized (a stored block behind {@link blockResponsePrefix}). */
type DeliverMessage = peer.DeliverResponse | Buffer;
type DeliverCall = grpc.ServerDuplexStream<common.Envelope, DeliverMessage>;

/** ACL resource per flavour (both default to channel Readers). */
function resource(flavour: DeliverFlavour): string {
  return flavour === 'filtered' ? 'event/FilteredBlock' : 'event/Block';
}

function statusResponse(status: common.StatusMap[keyof common.StatusMap]): peer.DeliverResponse {
  const response = new peer.DeliverResponse();
  response.setStatus(status);
  return response;
}

/** Bytes of blocks read from the store per batch while streaming (one file read, many messages). */
const READ_BATCH_BYTES = 1024 * 1024;

/**
 * Blocks this thread's Deliver streams sent: each batch is a Buffer read from the block file and
 * copied again into grpc-js's frames, dropped once written, while little is allocated on the V8
 * heap — a young-generation collection every 8 MiB sent keeps V8 from holding up to 32 MB of them
 * (`@healthledger/fabric-core/memory`).
 */
const sent = new GarbageMeter(STREAM_GARBAGE_BYTES, 'minor');

/**
 * What goes before a serialized block of `length` bytes to make it `DeliverResponse{block}`: the
 * tag of field 2 (length-delimited) and the length as a varint — at most 6 bytes, so the block
 * store writes it in place of the block file's frame header and the block is not re-encoded.
 */
export function blockResponsePrefix(length: number): Buffer {
  const bytes = [0x12];
  for (let n = length; ; n = Math.floor(n / 128)) {
    if (n < 128) {
      bytes.push(n);
      break;
    }
    bytes.push((n % 128) | 128);
  }
  return Buffer.from(bytes);
}

async function handleRequest(support: DeliverSupport, call: DeliverCall, flavour: DeliverFlavour, envelope: common.Envelope, signal: AbortSignal): Promise<void> {
  const acl = resource(flavour);
  const range = resolveSeek(support, envelope, acl);
  const checkAccess = sessionAccess(support.config, acl, range.signed);
  // A read of most of the chain (whole-chain verification) right after a load: collect first (memory/garbage.ts).
  if (flavour === 'block' && support.commits.announcedHeight('deliver') - range.start >= BigInt(LONG_READ_BLOCKS)) collectBeforeLongRead();
  for (let number = range.start; range.stop === undefined || number <= range.stop; ) {
    await support.commits.waitForBlock(number, 'deliver', signal);
    checkAccess();
    if (flavour === 'block') {
      // Every block announced so far goes out as stored, a batch per read, each already a DeliverResponse.
      const announced = support.commits.announcedHeight('deliver') - 1n;
      const last = range.stop === undefined || range.stop > announced ? announced : range.stop;
      const responses = support.blocks.getBlockBytesRun(number, last, READ_BATCH_BYTES, blockResponsePrefix);
      if (responses.length === 0) throw new DeliverStatusError(common.Status.INTERNAL_SERVER_ERROR, `block ${number} is missing`);
      for (const response of responses) {
        await writeWithBackPressure(call, response, signal);
        sent.add(response.length);
        if (signal.aborted) return;
      }
      number += BigInt(responses.length);
      continue;
    }
    const block = support.blocks.getBlock(number);
    if (!block) throw new DeliverStatusError(common.Status.INTERNAL_SERVER_ERROR, `block ${number} is missing`);
    const response = new peer.DeliverResponse();
    if (flavour === 'filtered') response.setFilteredBlock(filteredBlock(support.config.channelId, number, block));
    else response.setBlockAndPrivateData(blockAndPrivateData(support, number, block, range.signed));
    await writeWithBackPressure(call, response, signal);
    if (signal.aborted) return;
    number++;
  }
  await writeWithBackPressure(call, statusResponse(common.Status.SUCCESS), signal);
}

/** Serves one Deliver/DeliverFiltered/DeliverWithPrivateData call until the client goes away. */
export function serveDeliver(support: DeliverSupport, call: DeliverCall, flavour: DeliverFlavour): void {
  const abort = new AbortController();
  call.on('cancelled', () => abort.abort());
  call.on('error', () => abort.abort());
  let queue = Promise.resolve();
  call.on('data', (envelope: common.Envelope) => {
    queue = queue
      .then(async () => {
        if (abort.signal.aborted) return;
        try {
          await handleRequest(support, call, flavour, envelope, abort.signal);
        } catch (err) {
          if (err instanceof WaitAbortedError || abort.signal.aborted) return;
          const status = err instanceof DeliverStatusError ? err.status : common.Status.INTERNAL_SERVER_ERROR;
          await writeWithBackPressure(call, statusResponse(status), abort.signal);
        }
      })
      // A stream torn down mid-write must not become an unhandled rejection (fatal in Node).
      .catch(() => abort.abort());
  });
  call.on('end', () => {
    void queue.then(() => {
      if (!abort.signal.aborted) call.end();
    });
  });
}

/**
 * `protos.Deliver` as the devnet serves it (../wire.ts: each request envelope walked by the wire
 * check), except that a response may also be a Buffer already serialized: blocks go out as the
 * store holds them.
 */
export const DELIVER_SERVICE: grpc.ServiceDefinition = Object.fromEntries(
  Object.entries(served(peer.DeliverService)).map(([name, method]) => [
    name,
    { ...method, responseSerialize: (message: DeliverMessage) => (Buffer.isBuffer(message) ? message : Buffer.from(message.serializeBinary())) },
  ]),
);

/** The grpc-js implementation of `protos.Deliver` for one peer (serve it with {@link DELIVER_SERVICE}). */
export function deliverServiceImplementation(support: DeliverSupport): grpc.UntypedServiceImplementation {
  const handler = (flavour: DeliverFlavour): grpc.handleBidiStreamingCall<common.Envelope, DeliverMessage> => (call) =>
    serveDeliver(support, call, flavour);
  return {
    deliver: handler('block'),
    deliverFiltered: handler('filtered'),
    deliverWithPrivateData: handler('private'),
  };
}
