import * as path from 'node:path';
import type { Consortium } from '../consortium';
import { addressOf, hostAddress, type Topology } from './topology';

/**
 * The connection settings of one organisation's gateway against the real network, as
 * `KEY=value` lines: `npm start` with these variables (and no devnet) talks to that org's peer.
 * On several hosts they also say where the gateway listens — its own address (`gateway.<domain>`
 * in the hosts file), never the loopback default — so that it can serve other hosts.
 */
export function gatewayEnvOf(consortium: Consortium, topology: Topology, mspId: string): Record<string, string> {
  const org = topology.orgs.find((o) => o.mspId === mspId);
  const peer = org?.peers[0];
  if (!org || !peer) throw new Error(`no peer for ${mspId}`);
  // Variable names read by gateway/src/config.ts (FABRIC_PEER_ENDPOINT switches it off the devnet).
  return {
    FABRIC_PEER_ENDPOINT: addressOf(topology, peer),
    FABRIC_HOST_OVERRIDE: peer.host,
    FABRIC_TLS_CA_CERT: path.join(peer.materialDir, 'tls', 'ca.crt'),
    FABRIC_MSP_ID: mspId,
    FABRIC_IDENTITY_DIR: path.join(topology.materialDir, 'peerOrganizations', org.domain, 'users'),
    FABRIC_CHANNEL: consortium.channel,
    FABRIC_CHAINCODE: consortium.chaincode.name,
    ...(topology.addressing === 'hosts' ? { HOST: hostAddress(topology, org.gateway.host), PORT: String(org.gateway.port) } : {}),
  };
}

export function envFileText(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')
    .concat('\n');
}
