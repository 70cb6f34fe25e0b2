import { listenHostOf, type OrdererNode, type Topology } from './topology';

/**
 * The settings one orderer needs on top of the release's orderer.yaml: TLS everywhere, Raft
 * cluster TLS, no system channel (channel participation API on a TLS admin port).
 */
export function ordererOverlay(topology: Topology, orderer: OrdererNode): Record<string, unknown> {
  const docker = topology.addressing === 'docker';
  const listenHost = listenHostOf(topology, orderer);
  const dir = docker ? '/var/hyperledger/orderer' : orderer.materialDir;
  const tls = {
    cert: `${dir}/tls/server.crt`,
    key: `${dir}/tls/server.key`,
    ca: `${dir}/tls/ca.crt`,
  };
  const dataDir = docker ? '/var/hyperledger/production/orderer' : orderer.dataDir;
  return {
    General: {
      ListenAddress: listenHost,
      ListenPort: orderer.port,
      TLS: { Enabled: true, PrivateKey: tls.key, Certificate: tls.cert, RootCAs: [tls.ca] },
      Cluster: { ClientCertificate: tls.cert, ClientPrivateKey: tls.key, RootCAs: [tls.ca] },
      BootstrapMethod: 'none',
      LocalMSPDir: `${dir}/msp`,
      LocalMSPID: orderer.mspId,
    },
    FileLedger: { Location: dataDir },
    Consensus: { WALDir: `${dataDir}/etcdraft/wal`, SnapDir: `${dataDir}/etcdraft/snapshot` },
    ChannelParticipation: { Enabled: true },
    Admin: {
      ListenAddress: `${listenHost}:${orderer.adminPort}`,
      TLS: { Enabled: true, Certificate: tls.cert, PrivateKey: tls.key, RootCAs: [tls.ca], ClientAuthRequired: true, ClientRootCAs: [tls.ca] },
    },
    Operations: { ListenAddress: `${listenHost}:${orderer.operationsPort}` },
    Metrics: { Provider: 'prometheus' },
  };
}
