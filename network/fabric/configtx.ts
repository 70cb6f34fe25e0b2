import type { Consortium, OrganizationDefinition } from '../consortium';
import { addressOf, type Topology } from './topology';

/** The configtxgen profile that creates the application channel's genesis block. */
export const CHANNEL_PROFILE = 'HealthChannel';

type Policy = { Type: 'Signature' | 'ImplicitMeta'; Rule: string };

function signature(rule: string): Policy {
  return { Type: 'Signature', Rule: rule };
}

function implicitMeta(rule: string): Policy {
  return { Type: 'ImplicitMeta', Rule: rule };
}

/** Test-network-style organisation policies; they rely on NodeOUs (client/peer/admin). */
function applicationOrg(org: OrganizationDefinition, topology: Topology): Record<string, unknown> {
  const nodes = topology.orgs.find((o) => o.mspId === org.mspId);
  if (!nodes) throw new Error(`topology has no organisation ${org.mspId}`);
  const m = org.mspId;
  return {
    Name: m,
    ID: m,
    MSPDir: nodes.mspDir,
    Policies: {
      Readers: signature(`OR('${m}.admin', '${m}.peer', '${m}.client')`),
      Writers: signature(`OR('${m}.admin', '${m}.client')`),
      Admins: signature(`OR('${m}.admin')`),
      Endorsement: signature(`OR('${m}.peer')`),
    },
    // Anchor peers go into the genesis block, so no anchor-peer config update is needed later.
    AnchorPeers: nodes.peers.slice(0, 1).map((p) => {
      const [host, port] = addressOf(topology, p).split(':');
      return { Host: host, Port: Number(port) };
    }),
  };
}

function ordererOrg(topology: Topology): Record<string, unknown> {
  const m = topology.ordererOrg.mspId;
  return {
    Name: m,
    ID: m,
    MSPDir: topology.ordererOrg.mspDir,
    Policies: {
      Readers: signature(`OR('${m}.member')`),
      Writers: signature(`OR('${m}.member')`),
      Admins: signature(`OR('${m}.admin')`),
    },
    OrdererEndpoints: topology.orderers.map((o) => addressOf(topology, o)),
  };
}

/**
 * configtx.yaml for the consortium: channel participation (no system channel), one etcdraft
 * orderer set, application capability V2_5 (needed for private data purge), test-network
 * policies. Paths are absolute, so configtxgen can run from anywhere.
 */
export function configtxOf(consortium: Consortium, topology: Topology): Record<string, unknown> {
  const orgs = consortium.organizations.map((org) => applicationOrg(org, topology));
  const orderer = ordererOrg(topology);
  const channelPolicies = {
    Readers: implicitMeta('ANY Readers'),
    Writers: implicitMeta('ANY Writers'),
    Admins: implicitMeta('MAJORITY Admins'),
  };
  return {
    Organizations: [orderer, ...orgs],
    Profiles: {
      [CHANNEL_PROFILE]: {
        Policies: channelPolicies,
        Capabilities: { V2_0: true },
        Orderer: {
          OrdererType: 'etcdraft',
          Addresses: topology.orderers.map((o) => addressOf(topology, o)),
          EtcdRaft: {
            Consenters: topology.orderers.map((o) => {
              const [host, port] = addressOf(topology, o).split(':');
              return {
                Host: host,
                Port: Number(port),
                ClientTLSCert: `${o.materialDir}/tls/server.crt`,
                ServerTLSCert: `${o.materialDir}/tls/server.crt`,
              };
            }),
          },
          BatchTimeout: `${consortium.orderer.batchTimeoutMs}ms`,
          BatchSize: { MaxMessageCount: consortium.orderer.maxMessageCount, AbsoluteMaxBytes: '99 MB', PreferredMaxBytes: '512 KB' },
          Organizations: [orderer],
          Policies: { ...channelPolicies, BlockValidation: implicitMeta('ANY Writers') },
          Capabilities: { V2_0: true },
        },
        Application: {
          Organizations: orgs,
          Policies: {
            ...channelPolicies,
            LifecycleEndorsement: implicitMeta('MAJORITY Endorsement'),
            Endorsement: implicitMeta('MAJORITY Endorsement'),
          },
          Capabilities: { V2_5: true },
        },
      },
    },
  };
}
