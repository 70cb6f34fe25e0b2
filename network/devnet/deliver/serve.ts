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
import { checkAccess, DeliverStatusError, resolveSeek, type SeekSupport } from './seek';
import { writeWithBackPressure } from './stream-write';

/** What one peer's Deliver service reads: requests, committed blocks and its org's private data. */
export interface DeliverSupport extends SeekSupport, PrivateDataSupport {
  readonly config: SeekSupport['config'] & PrivateDataSupport['config'];
  readonly blocks: Pick<BlockStore, 'height' | 'getBlock'>;
  readonly commits: Pick<CommitNotifier, 'waitForBlock'>;
}

/** Which of the three Deliver methods was called. */
export type DeliverFlavour = 'block' | 'filtered' | 'private';

type DeliverCall = grpc.ServerDuplexStream<common.Envelope, peer.DeliverResponse>;

/** ACL resource per flavour (both default to channel Readers). */
function resource(flavour: DeliverFlavour): string {
  return flavour === 'filtered' ? 'event/FilteredBlock' : 'event/Block';
}

function statusResponse(status: common.StatusMap[keyof common.StatusMap]): peer.DeliverResponse {
  const response = new peer.DeliverResponse();
  response.setStatus(status);
  return response;
}

async function handleRequest(support: DeliverSupport, call: DeliverCall, flavour: DeliverFlavour, envelope: common.Envelope, signal: AbortSignal): Promise<void> {
  const acl = resource(flavour);
  const range = resolveSeek(support, envelope, acl);
  for (let number = range.start; range.stop === undefined || number <= range.stop; number++) {
    await support.commits.waitForBlock(number, 'deliver', signal);
    checkAccess(support.config, acl, range.signed);
    const block = support.blocks.getBlock(number);
    if (!block) throw new DeliverStatusError(common.Status.INTERNAL_SERVER_ERROR, `block ${number} is missing`);
    const response = new peer.DeliverResponse();
    if (flavour === 'block') response.setBlock(block);
    else if (flavour === 'filtered') response.setFilteredBlock(filteredBlock(support.config.channelId, number, block));
    else response.setBlockAndPrivateData(blockAndPrivateData(support, number, block, range.signed));
    await writeWithBackPressure(call, response, signal);
    if (signal.aborted) return;
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

/** The grpc-js implementation of `protos.Deliver` for one peer. */
export function deliverServiceImplementation(support: DeliverSupport): grpc.UntypedServiceImplementation {
  const handler = (flavour: DeliverFlavour): grpc.handleBidiStreamingCall<common.Envelope, peer.DeliverResponse> => (call) =>
    serveDeliver(support, call, flavour);
  const server: peer.IDeliverServer = {
    deliver: handler('block'),
    deliverFiltered: handler('filtered'),
    deliverWithPrivateData: handler('private'),
  };
  return server;
}
