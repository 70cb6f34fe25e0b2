/**
 * The devnet descriptor (`devnet.json`, written by `Devnet.start`): channel, chaincode and, per
 * organisation, its gateway peer and demo users. The same shape describes any network whose
 * identities the gateway is given directly. The type and its shape check are fabric-core's; this
 * module resolves a descriptor into the peers to dial and a wallet.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { checkDescriptor, DescriptorError, type DevnetDescriptor } from '@healthledger/fabric-core/descriptor';
import { Wallet, userFromPem } from './wallet';

/** A peer the gateway dials: resolved endpoint, TLS root and host override. */
export interface PeerTarget {
  mspId: string;
  endpoint: string;
  tlsRootCert: Buffer | undefined;
  hostOverride: string | undefined;
}

/** What the gateway needs to reach the ledger. */
export interface LedgerTopology {
  channel: string;
  chaincode: string;
  peers: PeerTarget[];
  wallet: Wallet;
  /** The organisations' own CAs (devnet descriptors): the identity lifecycle's certificate authorities. */
  authorities?: OrgCaMaterial[];
}

/** One organisation's CA and MSP admin, as the devnet's generated material holds them. */
export interface OrgCaMaterial {
  mspId: string;
  caCertPem: string;
  caKeyPem: string;
  /** The MSP admin who signs the org's channel config updates (its CRL). */
  mspAdmin?: { certPem: string; keyPem: string };
  /** Where the devnet CA keeps its registry (beside the devnet's data). */
  registryPath: string;
}

/** Reads a descriptor file and loads its peers and identities. */
export function loadDescriptor(path: string): LedgerTopology {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new DescriptorError(path, `cannot read: ${(err as Error).message}`);
  }
  return topologyOf(checkDescriptor(path, parsed), dirname(path));
}

/** Peers and wallet from an already parsed descriptor; relative paths resolve against `baseDir`. */
export function topologyOf(d: DevnetDescriptor, baseDir: string): LedgerTopology {
  const text = (value: string): string => (value.includes('-----BEGIN') ? value : readFileSync(resolveIn(baseDir, value), 'utf8'));
  return {
    channel: d.channel,
    chaincode: d.chaincode,
    peers: d.orgs.map((o) => ({
      mspId: o.mspId,
      endpoint: o.peerEndpoint,
      tlsRootCert: o.tlsCaCert === undefined ? undefined : Buffer.from(text(o.tlsCaCert)),
      hostOverride: o.hostOverride,
    })),
    wallet: new Wallet(d.orgs.flatMap((o) => o.users.map((u) => userFromPem(o.mspId, u.name, text(u.cert), text(u.key), u.role)))),
    authorities: d.orgs.flatMap((o) =>
      o.ca
        ? [
            {
              mspId: o.mspId,
              caCertPem: text(o.ca.cert),
              caKeyPem: text(o.ca.key),
              ...(o.mspAdmin ? { mspAdmin: { certPem: text(o.mspAdmin.cert), keyPem: text(o.mspAdmin.key) } } : {}),
              registryPath: join(baseDir, 'ca-registry', `${o.mspId}.json`),
            },
          ]
        : [],
    ),
  };
}

function resolveIn(baseDir: string, p: string): string {
  return isAbsolute(p) ? p : join(baseDir, p);
}
