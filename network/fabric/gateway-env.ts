import * as path from 'node:path';
import type { Consortium } from '../consortium';
import { addressOf, type Topology } from './topology';

/**
 * The connection settings of one organisation's gateway against the real network, as
 * `KEY=value` lines: `npm start` with these variables (and no devnet) talks to that org's peer.
 */
export function gatewayEnvOf(consortium: Consortium, topology: Topology, mspId: string): Record<string, string> {
  const org = topology.orgs.find((o) => o.mspId === mspId);
  const peer = org?.peers[0];
  if (!org || !peer) throw new Error(`no peer for ${mspId}`);
  return {
    HEALTHLEDGER_NETWORK: 'fabric',
    HEALTHLEDGER_PEER_ENDPOINT: addressOf(topology, peer),
    HEALTHLEDGER_PEER_HOST_OVERRIDE: peer.host,
    HEALTHLEDGER_TLS_CA: path.join(peer.materialDir, 'tls', 'ca.crt'),
    HEALTHLEDGER_MSP_ID: mspId,
    HEALTHLEDGER_IDENTITY_DIR: path.join(topology.materialDir, 'peerOrganizations', org.domain, 'users'),
    HEALTHLEDGER_CHANNEL: consortium.channel,
    HEALTHLEDGER_CHAINCODE: consortium.chaincode.name,
  };
}

export function envFileText(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')
    .concat('\n');
}
