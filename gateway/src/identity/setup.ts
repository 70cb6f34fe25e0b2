/**
 * Builds the identity service from the ledger topology: a devnet CA per organisation whose CA
 * material the devnet descriptor names, publishing CRLs through the organisation's peer endpoint
 * signed by its MSP admin. Without CA material (real Fabric), no identity lifecycle here yet.
 */
import { createPrivateKey } from 'node:crypto';
import type { LedgerTopology } from '../fabric/descriptor';
import { ChannelCrlPublisher } from './channel-crl';
import { DevnetCa } from './devnet-ca';
import { IdentityService, type OrgAuthority } from './service';

/** The identity service for `topology`'s organisations that have a CA; undefined when none has. */
export function identityServiceOf(dataDir: string, topology: LedgerTopology): IdentityService | undefined {
  const authorities = new Map<string, OrgAuthority>();
  for (const org of topology.authorities ?? []) {
    const peer = topology.peers.find((p) => p.mspId === org.mspId);
    const crl =
      peer && org.mspAdmin
        ? new ChannelCrlPublisher(topology.channel, peer, { mspId: org.mspId, certPem: org.mspAdmin.certPem, privateKey: createPrivateKey(org.mspAdmin.keyPem) })
        : undefined;
    authorities.set(org.mspId, { ca: new DevnetCa(org.registryPath, org.caCertPem, org.caKeyPem), ...(crl ? { crl } : {}) });
  }
  return authorities.size === 0 ? undefined : new IdentityService(dataDir, topology.wallet, authorities);
}
