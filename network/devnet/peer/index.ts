export { deliverSupport, endorserSupport, gatewayServiceSupport, peerServices, qsccSupport, type NetworkRuntime } from './assembly';
export { MAX_MESSAGE_BYTES, PeerServer, type PeerListenOptions, type PeerServices } from './server';
export { SimulatedPeer, type PeerMetrics, type PeerRuntime } from './simulated-peer';
