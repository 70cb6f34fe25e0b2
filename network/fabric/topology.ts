import * as path from 'node:path';
import type { Consortium } from '../consortium';
import { CHAINCODE_HOST, gatewayHostOf, requireHosts } from './hosts';

/**
 * Where every node of a real Fabric network lives: host names, ports, crypto material and data
 * directories, derived from the consortium definition. The crypto material tree is the one the
 * devnet generates (`@healthledger/fabric-core/pki`), so both networks share identities.
 */
export interface PeerNode {
  mspId: string;
  orgDomain: string;
  name: string;
  /** e.g. peer0.hospital1.example.com — the TLS certificate's SAN and the Docker host name. */
  host: string;
  port: number;
  chaincodePort: number;
  operationsPort: number;
  /** peers/<host> in the material tree: msp/ and tls/. */
  materialDir: string;
  dataDir: string;
  configDir: string;
}

export interface OrdererNode {
  mspId: string;
  host: string;
  port: number;
  adminPort: number;
  operationsPort: number;
  materialDir: string;
  dataDir: string;
  configDir: string;
}

export interface OrgNodes {
  mspId: string;
  domain: string;
  mspDir: string;
  /** The organisation admin's MSP (OU=admin), used for channel joins and lifecycle. */
  adminMspDir: string;
  tlsCaCert: string;
  peers: PeerNode[];
  /** The organisation's REST gateway (gateway/dist/start.js): where it runs on several hosts. */
  gateway: GatewayNode;
}

export interface GatewayNode {
  mspId: string;
  /** gateway.<org domain>: its entry in a hosts file and its network namespace's name. */
  host: string;
  port: number;
  /** Its HEALTHLEDGER_DATA_DIR when scripts/network.sh starts it (event checkpoint, webhooks, keys). */
  dataDir: string;
}

export interface Topology {
  workDir: string;
  materialDir: string;
  channel: string;
  /**
   * How nodes are reached: 'localhost' natively (one machine), the node's host name under Docker,
   * or the IP address a hosts file gives each node (several hosts, see hosts.ts).
   */
  addressing: Addressing;
  /** Host name → IPv4 address; empty unless addressing is 'hosts'. */
  hosts: Record<string, string>;
  orderers: OrdererNode[];
  ordererOrg: { mspId: string; domain: string; mspDir: string; adminMspDir: string; tlsCaCert: string };
  orgs: OrgNodes[];
}

export type Addressing = 'native' | 'docker' | 'hosts';

export interface TopologyOptions {
  workDir: string;
  /** Number of Raft orderers (default 1). */
  orderers?: number;
  addressing?: 'native' | 'docker';
  /** Host name → IPv4 address of every node and of `chaincode`: switches addressing to 'hosts'. */
  hosts?: Record<string, string>;
}

/**
 * Operations (metrics/health) ports: the first orderer has 9443 and the peers count up from 9444
 * in consortium order; extra orderers step by 100 like their other ports (9543, 9643, …), so a
 * peer's ports never depend on how many orderers run.
 */
const OPERATIONS_BASE = 9443;
/**
 * Every gateway's port: the gateway's own default (gateway/src/config.ts). Gateways are only
 * placed on several hosts, each at its own address, so one port serves them all.
 */
export const GATEWAY_PORT = 3000;
const ORDERER_PORT_STRIDE = 100;

export function topologyOf(consortium: Consortium, options: TopologyOptions): Topology {
  const workDir = path.resolve(options.workDir);
  const materialDir = path.join(workDir, 'organizations');
  const ordererCount = options.orderers ?? 1;
  const od = consortium.orderer.domain;
  const ordererOrgDir = path.join(materialDir, 'ordererOrganizations', od);
  const orderers: OrdererNode[] = Array.from({ length: ordererCount }, (_, i) => {
    const host = i === 0 ? `orderer.${od}` : `orderer${i + 1}.${od}`;
    const port = consortium.orderer.port + i * ORDERER_PORT_STRIDE;
    return {
      mspId: consortium.orderer.mspId,
      host,
      port,
      adminPort: port + 3,
      operationsPort: OPERATIONS_BASE + i * ORDERER_PORT_STRIDE,
      materialDir: path.join(ordererOrgDir, 'orderers', host),
      dataDir: path.join(workDir, 'data', host),
      configDir: path.join(workDir, 'config', host),
    };
  });
  let opsPort = OPERATIONS_BASE + 1;
  const orgs = consortium.organizations.map((org) => {
    const orgDir = path.join(materialDir, 'peerOrganizations', org.domain);
    const peers = org.peers.map((peer) => {
      const host = `${peer.name}.${org.domain}`;
      return {
        mspId: org.mspId,
        orgDomain: org.domain,
        name: peer.name,
        host,
        port: peer.port,
        chaincodePort: peer.port + 1,
        operationsPort: opsPort++,
        materialDir: path.join(orgDir, 'peers', host),
        dataDir: path.join(workDir, 'data', host),
        configDir: path.join(workDir, 'config', host),
      };
    });
    return {
      mspId: org.mspId,
      domain: org.domain,
      mspDir: path.join(orgDir, 'msp'),
      adminMspDir: path.join(orgDir, 'users', `Admin@${org.domain}`, 'msp'),
      tlsCaCert: path.join(orgDir, 'tlsca', `tlsca.${org.domain}-cert.pem`),
      peers,
      gateway: { mspId: org.mspId, host: gatewayHostOf(org.domain), port: GATEWAY_PORT, dataDir: path.join(workDir, 'data', gatewayHostOf(org.domain)) },
    };
  });
  const hosts = options.hosts ?? {};
  if (options.hosts) requireHosts(hosts, hostNamesOf({ orderers, orgs }));
  return {
    workDir,
    materialDir,
    channel: consortium.channel,
    addressing: options.hosts ? 'hosts' : (options.addressing ?? 'native'),
    hosts,
    orderers,
    ordererOrg: {
      mspId: consortium.orderer.mspId,
      domain: od,
      mspDir: path.join(ordererOrgDir, 'msp'),
      adminMspDir: path.join(ordererOrgDir, 'users', `Admin@${od}`, 'msp'),
      tlsCaCert: path.join(ordererOrgDir, 'tlsca', `tlsca.${od}-cert.pem`),
    },
    orgs,
  };
}

/**
 * Every host name a hosts file must map, in the order scripts/netns-hosts.sh numbers them: the
 * chaincode server, the orderers, the peers, then each organisation's gateway.
 */
export function hostNamesOf(topology: Pick<Topology, 'orderers' | 'orgs'>): string[] {
  return [CHAINCODE_HOST, ...topology.orderers.map((o) => o.host), ...topology.orgs.flatMap((o) => o.peers.map((p) => p.host)), ...topology.orgs.map((o) => o.gateway.host)];
}

/** The IP address a hosts file gives a host ('hosts' addressing only). */
export function hostAddress(topology: Pick<Topology, 'hosts'>, host: string): string {
  const ip = topology.hosts[host];
  if (ip === undefined) throw new Error(`no address for ${host} in the hosts file`);
  return ip;
}

/** The address other nodes and clients use to reach a node. */
export function addressOf(topology: Topology, node: { host: string; port: number }): string {
  switch (topology.addressing) {
    case 'native':
      return `localhost:${node.port}`;
    case 'docker':
      return `${node.host}:${node.port}`;
    case 'hosts':
      return `${hostAddress(topology, node.host)}:${node.port}`;
  }
}

/**
 * The interface a node's servers bind: loopback natively, every interface of its container, or
 * its own address on several hosts (only that interface, never all of the machine's).
 */
export function listenHostOf(topology: Topology, node: { host: string }): string {
  switch (topology.addressing) {
    case 'native':
      return '127.0.0.1';
    case 'docker':
      return '0.0.0.0';
    case 'hosts':
      return hostAddress(topology, node.host);
  }
}
