/**
 * What the revocation journey needs of a network beyond the REST API, on both targets: the
 * organisation's CA (to issue a new user's certificate and sign a CRL, as the organisation's
 * certificate authority would), a peer to send proposals to directly (what the ledger itself
 * says), and the operator's step that puts a CRL into the channel config.
 *
 * - Devnet: the CA and MSP admin of the generated material (the devnet descriptor); the CRL goes
 *   in through the same config update the gateway's `POST /identities/{name}/revocation` sends
 *   (identity/channel-crl.ts).
 * - Real Fabric (`HEALTHLEDGER_E2E_TARGET=fabric`): the CA under the network's crypto material
 *   (`peerOrganizations/<domain>/ca/`, beside the `users/` directory the gateway env file names);
 *   the CRL goes in through `scripts/network.sh revoke-crl --org MSP --crl FILE`, the documented
 *   operator step.
 */
import { execFile } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import { CertificateAuthority } from '@healthledger/fabric-core/pki';
import type { LedgerTopology, PeerTarget } from '@healthledger/gateway/fabric/descriptor';
import { ChannelCrlPublisher } from '@healthledger/gateway/identity/channel-crl';
import { fabricWorkDir, parseEnvFile } from './external';

const onFabric = (): boolean => process.env.HEALTHLEDGER_E2E_TARGET === 'fabric';

/** One organisation's side of a revocation. */
export interface RevocationTarget {
  /** The organisation's CA (issues enrollment certificates, signs its CRL). */
  ca: CertificateAuthority;
  /** A gRPC client to the organisation's peer, as the gateway dials it. */
  peer: grpc.Client;
  /** Makes `crlPem` the organisation's CRL in the channel config. */
  publishCrl(crlPem: string): Promise<void>;
  close(): void;
}

/** The revocation side of `mspId` on the current target; `topology` is its gateway's. */
export async function revocationTarget(mspId: string, topology: LedgerTopology | undefined): Promise<RevocationTarget> {
  const peerTarget = topology?.peers.find((p) => p.mspId === mspId);
  if (!topology || !peerTarget) throw new Error(`no ledger topology with a peer of ${mspId}: the revocation journey runs with gateways in this process`);
  const peer = dial(peerTarget);
  if (onFabric()) {
    return { ca: await fabricCa(mspId), peer, publishCrl: (crl) => revokeCrlStep(mspId, crl), close: () => peer.close() };
  }
  const material = topology.authorities?.find((a) => a.mspId === mspId);
  if (!material?.mspAdmin) throw new Error(`the devnet descriptor names no CA and MSP admin for ${mspId}`);
  const admin = material.mspAdmin;
  const publisher = new ChannelCrlPublisher(topology.channel, peerTarget, { mspId, certPem: admin.certPem, privateKey: createPrivateKey(admin.keyPem) });
  return { ca: await CertificateAuthority.load(material.caCertPem, material.caKeyPem), peer, publishCrl: (crl) => publisher.publish(crl), close: () => peer.close() };
}

function dial(target: PeerTarget): grpc.Client {
  const credentials = target.tlsRootCert ? grpc.credentials.createSsl(target.tlsRootCert) : grpc.credentials.createInsecure();
  return new grpc.Client(target.endpoint, credentials, target.hostOverride ? { 'grpc.ssl_target_name_override': target.hostOverride } : {});
}

/** The org CA of the real network's material: `<org>/ca/ca.<domain>-cert.pem` and `priv_sk`. */
async function fabricCa(mspId: string): Promise<CertificateAuthority> {
  const env = parseEnvFile(readFileSync(path.join(fabricWorkDir(), 'gateway', `${mspId}.env`), 'utf8'));
  const identityDir = env['FABRIC_IDENTITY_DIR'];
  if (!identityDir) throw new Error(`the gateway env file of ${mspId} names no FABRIC_IDENTITY_DIR`);
  const caDir = path.join(path.dirname(identityDir), 'ca');
  const certFile = readdirSync(caDir).find((f) => f.endsWith('-cert.pem'));
  if (!certFile) throw new Error(`no CA certificate in ${caDir}`);
  return CertificateAuthority.load(readFileSync(path.join(caDir, certFile), 'utf8'), readFileSync(path.join(caDir, 'priv_sk'), 'utf8'));
}

/** `scripts/network.sh revoke-crl --org MSP --crl FILE`, with the caller's FABRIC_BIN and work directory. */
async function revokeCrlStep(mspId: string, crlPem: string): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'hl-crl-'));
  try {
    const file = path.join(dir, `${mspId}.crl.pem`);
    writeFileSync(file, crlPem);
    const script = path.resolve(__dirname, '../../scripts/network.sh');
    await promisify(execFile)('bash', [script, 'revoke-crl', '--org', mspId, '--crl', file], {
      env: { ...process.env, HEALTHLEDGER_FABRIC_DIR: fabricWorkDir() },
      timeout: 120_000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
