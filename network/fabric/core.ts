import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { addressOf, listenHostOf, type PeerNode, type Topology } from './topology';

/** Name under which our ccaas builder is registered in every peer's core.yaml. */
export const CCAAS_BUILDER_NAME = 'healthledger-ccaas';

/**
 * The network package's root (the directory holding its package.json). This module runs from
 * network/fabric under ts-jest and from network/dist/fabric once built, so a fixed number of `..`
 * is wrong in one of the two: walk up instead.
 */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The ccaas external builder that ships with the project (detect/build/release). */
export const CCAAS_BUILDER_DIR = path.join(packageRoot(__dirname), 'fabric', 'ccaas-builder');

/**
 * Gossip timings shorter than the release's (reconnect 25 s). Right after `up` a peer that joined
 * the channel first is rejected by the others' identity stores ("No MSP found") until they have
 * joined too, and retries only after `reconnectInterval`: with 25 s, cross-organisation
 * endorsement fails for ~30 s. Five peers on a LAN afford 5 s without measurable traffic.
 */
const GOSSIP_TIMINGS = {
  reconnectInterval: '5s',
  aliveTimeInterval: '2s',
  aliveExpirationTimeout: '10s',
  membershipTrackerInterval: '2s',
};

/**
 * The settings one peer needs on top of the release's core.yaml: identity, addresses, TLS,
 * LevelDB, the gateway service, our ccaas builder and distinct operations/chaincode ports.
 */
export function peerCoreOverlay(topology: Topology, peer: PeerNode, builderDir = CCAAS_BUILDER_DIR): Record<string, unknown> {
  const docker = topology.addressing === 'docker';
  const listenHost = listenHostOf(topology, peer);
  const self = addressOf(topology, peer);
  const materialDir = docker ? '/etc/hyperledger/fabric' : peer.materialDir;
  return {
    peer: {
      id: peer.host,
      networkId: 'healthledger',
      address: self,
      listenAddress: `${listenHost}:${peer.port}`,
      chaincodeListenAddress: `${listenHost}:${peer.chaincodePort}`,
      chaincodeAddress: addressOf(topology, { host: peer.host, port: peer.chaincodePort }),
      localMspId: peer.mspId,
      mspConfigPath: `${materialDir}/msp`,
      fileSystemPath: docker ? '/var/hyperledger/production' : peer.dataDir,
      gateway: { enabled: true },
      gossip: { bootstrap: self, externalEndpoint: self, useLeaderElection: false, orgLeader: true, ...GOSSIP_TIMINGS },
      tls: {
        enabled: true,
        cert: { file: `${materialDir}/tls/server.crt` },
        key: { file: `${materialDir}/tls/server.key` },
        rootcert: { file: `${materialDir}/tls/ca.crt` },
      },
    },
    ledger: { state: { stateDatabase: 'goleveldb' } },
    chaincode: {
      executetimeout: '300s',
      externalBuilders: [
        { name: CCAAS_BUILDER_NAME, path: docker ? '/opt/hyperledger/ccaas_builder' : builderDir, propagateEnvironment: ['CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG'] },
      ],
    },
    // Natively the chaincode runs as a service and no Docker daemon is used: the release's
    // Docker socket would only make the peer's /healthz report 503 (docker check failing).
    ...(docker ? {} : { vm: { endpoint: '' } }),
    operations: { listenAddress: `${listenHost}:${peer.operationsPort}` },
    metrics: { provider: 'prometheus' },
  };
}
