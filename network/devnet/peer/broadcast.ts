/**
 * The orderer's AtomicBroadcast.Broadcast on the devnet's endpoints: the devnet's one ordering
 * service sits behind every peer endpoint, so an operator tool (or the gateway's CRL update) that
 * sends a CONFIG_UPDATE dials the same address as for the Gateway service. Deliver from the
 * orderer is not served: clients read blocks from the peers.
 */
import type * as grpc from '@grpc/grpc-js';
import { common, orderer } from '@hyperledger/fabric-protos';
import type { BroadcastResult } from '../orderer';

/** What Broadcast needs: the orderer's intake. */
export type BroadcastSupport = (envelope: common.Envelope) => Promise<BroadcastResult>;

/** The AtomicBroadcast implementation: one response per envelope, in order. */
export function broadcastServiceImplementation(broadcast: BroadcastSupport): grpc.UntypedServiceImplementation {
  return {
    broadcast(call: grpc.ServerDuplexStream<common.Envelope, orderer.BroadcastResponse>) {
      let chain = Promise.resolve();
      call.on('data', (envelope: common.Envelope) => {
        chain = chain.then(async () => {
          const result = await broadcast(envelope).catch((err: unknown) => ({ status: common.Status.INTERNAL_SERVER_ERROR, info: (err as Error).message }));
          const response = new orderer.BroadcastResponse();
          response.setStatus(result.status);
          response.setInfo(result.info);
          call.write(response);
        });
      });
      call.on('end', () => {
        void chain.then(() => call.end());
      });
    },
    deliver(call: grpc.ServerDuplexStream<common.Envelope, orderer.DeliverResponse>) {
      const response = new orderer.DeliverResponse();
      response.setStatus(common.Status.NOT_IMPLEMENTED);
      call.write(response);
      call.end();
    },
  };
}
