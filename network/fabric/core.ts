import * as path from 'node:path';
import { addressOf, type PeerNode, type Topology } from './topology';

/** Name under which our ccaas builder is registered in every peer's core.yaml. */
export const CCAAS_BUILDER_NAME = 'healthledger-ccaas';

/** The ccaas external builder that ships with the project (detect/build/release). */
export const CCAAS_BUILDER_DIR = path.resolve(__dirname, '..', '..', 'network', 'fabric', 'ccaas-builder');

/**
 * The settings one peer needs on top of the release's core.yaml: identity, addresses, TLS,
 * LevelDB, the gateway service, our ccaas builder and distinct operations/chaincode ports.
 */
export function peerCoreOverlay(topology: Topology, peer: PeerNode, builderDir = CCAAS_BUILDER_DIR): Record<string, unknown> {
  const docker = topology.addressing === 'docker';
  const listenHost = docker ? '0.0.0.0' : '127.0.0.1';
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
      gossip: { bootstrap: self, externalEndpoint: self, useLeaderElection: false, orgLeader: true },
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
    operations: { listenAddress: `${listenHost}:${peer.operationsPort}` },
    metrics: { provider: 'prometheus' },
  };
}
