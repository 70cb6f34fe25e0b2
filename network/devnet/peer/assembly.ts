/**
 * The peer assembly: the one place that knows the whole simulated network for a channel, and
 * builds from it the narrow dependencies each component declares beside itself (endorser, qscc,
 * gateway service, deliver). Components never see {@link NetworkRuntime}.
 */
import type { ChannelConfig } from '../channelconfig';
import type { CommitNotifier } from '../committer';
import type { ChaincodeRegistry } from '../definitions';
import type { DeliverSupport } from '../deliver';
import { preProcess, processProposal, type EndorserSupport } from '../endorser';
import type { GatewayServiceSupport } from '../gateway-service';
import type { Ledger } from '../ledger';
import type { Orderer } from '../orderer';
import type { TransientStore } from '../pvtdata';
import { invoke, invokeLifecycle, type QsccSupport } from '../qscc';
import type { PeerServices } from './server';
import type { PeerRuntime } from './simulated-peer';

/** The whole simulated network for one channel, as the devnet assembles it. */
export interface NetworkRuntime {
  readonly config: ChannelConfig;
  /** The ledger every simulated peer shares. */
  readonly ledger: Ledger;
  readonly peers: PeerRuntime[];
  readonly chaincodes: ChaincodeRegistry;
  readonly transientStore: TransientStore;
  readonly orderer: Pick<Orderer, 'broadcast'>;
  readonly commitNotifier: CommitNotifier;
}

/** What every peer's endorser works with (all peers share the ledger and transient store). */
export function endorserSupport(net: NetworkRuntime): EndorserSupport {
  const { config, ledger, peers, chaincodes, transientStore } = net;
  return { config, ledger, blocks: ledger.blocks, peers, chaincodes, transientStore };
}

/** What qscc reads. */
export function qsccSupport(net: NetworkRuntime): QsccSupport {
  return { config: net.config, blocks: net.ledger.blocks };
}

/** The gateway service of `gatewayPeer`, reaching every peer's endorser in-process. */
export function gatewayServiceSupport(net: NetworkRuntime, gatewayPeer: PeerRuntime): GatewayServiceSupport {
  const endorser = endorserSupport(net);
  const qscc = qsccSupport(net);
  return {
    gatewayPeer,
    peers: net.peers,
    config: net.config,
    chaincodes: net.chaincodes,
    blocks: net.ledger.blocks,
    commits: net.commitNotifier,
    propose: (target, signed) => processProposal(endorser, target, signed),
    checkProposal: (p) => preProcess(endorser, p),
    invokeSystem: (system, args, signed) =>
      system === '_lifecycle' ? invokeLifecycle({ config: net.config, chaincodes: net.chaincodes }, args, signed) : invoke(qscc, args, signed, system),
    broadcast: (envelope) => net.orderer.broadcast(envelope),
  };
}

/** The Deliver service of `gatewayPeer`: blocks, and the private data its org holds. */
export function deliverSupport(net: NetworkRuntime, gatewayPeer: PeerRuntime): DeliverSupport {
  const { config, ledger } = net;
  return {
    config,
    blocks: ledger.blocks,
    commits: net.commitNotifier,
    chaincodes: net.chaincodes,
    blockPvtData: (number) => ledger.privateStore(gatewayPeer.mspId).blockPvtData(number),
  };
}

/** Everything `gatewayPeer`'s gRPC endpoint serves. */
export function peerServices(net: NetworkRuntime, gatewayPeer: PeerRuntime): PeerServices {
  return { gateway: gatewayServiceSupport(net, gatewayPeer), deliver: deliverSupport(net, gatewayPeer), broadcast: (envelope) => net.orderer.broadcast(envelope) };
}
