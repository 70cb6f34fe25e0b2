/**
 * The devnet descriptor (`devnet.json`, written by `Devnet.start`): channel, chaincode and, per
 * organisation, its gateway peer and demo users. The same shape describes any network whose
 * identities the gateway is given directly.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { Wallet, userFromPem } from './wallet';

/** One organisation's peer and users in the descriptor. */
export interface DescriptorOrg {
  mspId: string;
  peerEndpoint: string;
  /** PEM text or a path (relative to the descriptor) of the peer's TLS CA; absent = plaintext. */
  tlsCaCert?: string;
  hostOverride?: string;
  /** `cert` and `key` are PEM texts or paths relative to the descriptor. */
  users: { name: string; role: string; cert: string; key: string }[];
}

export interface DevnetDescriptor {
  channel: string;
  chaincode: string;
  orgs: DescriptorOrg[];
}

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
}

/** A descriptor that cannot be used. */
export class DescriptorError extends Error {
  constructor(path: string, reason: string) {
    super(`${path}: ${reason}`);
    this.name = 'DescriptorError';
  }
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
  };
}

function resolveIn(baseDir: string, p: string): string {
  return isAbsolute(p) ? p : join(baseDir, p);
}

function checkDescriptor(path: string, value: unknown): DevnetDescriptor {
  const d = value as Partial<DevnetDescriptor> | null;
  if (typeof d !== 'object' || d === null) throw new DescriptorError(path, 'not a JSON object');
  if (typeof d.channel !== 'string' || d.channel === '') throw new DescriptorError(path, '/channel must be a non-empty string');
  if (typeof d.chaincode !== 'string' || d.chaincode === '') throw new DescriptorError(path, '/chaincode must be a non-empty string');
  if (!Array.isArray(d.orgs) || d.orgs.length === 0) throw new DescriptorError(path, '/orgs must be a non-empty array');
  d.orgs.forEach((o: Partial<DescriptorOrg>, i) => {
    if (typeof o.mspId !== 'string') throw new DescriptorError(path, `/orgs/${i}/mspId must be a string`);
    if (typeof o.peerEndpoint !== 'string') throw new DescriptorError(path, `/orgs/${i}/peerEndpoint must be a string`);
    if (!Array.isArray(o.users)) throw new DescriptorError(path, `/orgs/${i}/users must be an array`);
  });
  return d as DevnetDescriptor;
}
