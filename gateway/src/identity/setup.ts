/**
 * Builds the identity service from the ledger topology: a devnet CA per organisation whose CA
 * material the devnet descriptor names, publishing CRLs through the organisation's peer endpoint
 * signed by its MSP admin; on real Fabric, the organisation's Fabric CA server when configured
 * (its CRL reaches the channel config through the operator step, docs/design/identity.md).
 */
import { createPrivateKey } from 'node:crypto';
import type { GatewayConfig } from '../config';
import type { LedgerTopology } from '../fabric/descriptor';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FabricCaClient, type Registrar } from './fabric-ca-client';
import { ChannelCrlPublisher } from './channel-crl';
import { DevnetCa } from './devnet-ca';
import { IdentityService, type OrgAuthority } from './service';

/** The identity service for `topology`'s organisations that have a CA; undefined when none has. */
export function identityServiceOf(config: GatewayConfig, topology: LedgerTopology): IdentityService | undefined {
  const authorities = new Map<string, OrgAuthority>();
  if (config.fabricCa && config.ledger.kind === 'fabric') {
    authorities.set(config.ledger.mspId, { ca: new FabricCaClient(config.fabricCa.url, registrarOf(config.fabricCa.registrarDir), config.fabricCa.caName) });
  }
  for (const org of topology.authorities ?? []) {
    const peer = topology.peers.find((p) => p.mspId === org.mspId);
    const crl =
      peer && org.mspAdmin
        ? new ChannelCrlPublisher(topology.channel, peer, { mspId: org.mspId, certPem: org.mspAdmin.certPem, privateKey: createPrivateKey(org.mspAdmin.keyPem) })
        : undefined;
    authorities.set(org.mspId, { ca: new DevnetCa(org.registryPath, org.caCertPem, org.caKeyPem), ...(crl ? { crl } : {}) });
  }
  return authorities.size === 0 ? undefined : new IdentityService(config.dataDir, topology.wallet, authorities);
}

/** The registrar from an MSP directory (`signcerts/` and `keystore/`, as fabric-ca-client enroll writes it). */
function registrarOf(mspDir: string): Registrar {
  const first = (sub: string): string => {
    const dir = join(mspDir, sub);
    const name = existsSync(dir) ? readdirSync(dir).sort()[0] : undefined;
    if (name === undefined) throw new Error(`FABRIC_CA_REGISTRAR_DIR: no file in ${dir}`);
    return readFileSync(join(dir, name), 'utf8');
  };
  return { certPem: first('signcerts'), privateKey: createPrivateKey(first('keystore')) };
}
