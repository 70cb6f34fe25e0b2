/** One user identity of an organisation. */
export interface DevnetUser {
  name: string;
  role: string;
  /** PEM text or a path of the PEM certificate (the devnet writes absolute paths). */
  cert: string;
  /** PEM text or a path of the PKCS#8 PEM private key (the devnet writes absolute paths). */
  key: string;
}

/** One organisation: where its gateway peer listens and its users. */
export interface DevnetOrg {
  mspId: string;
  /** `host:port` to dial. */
  peerEndpoint: string;
  /** PEM text or a path of the peer's TLS CA certificate; absent = plaintext. */
  tlsCaCert?: string;
  /** `grpc.ssl_target_name_override` value (TLS only): the peer's certificate host name. */
  hostOverride?: string;
  users: DevnetUser[];
  /**
   * The organisation's CA (PEM texts or paths): the devnet's own CA, which the gateway's identity
   * routes issue and revoke with. Absent in hand-written descriptors: no identity lifecycle.
   */
  ca?: { cert: string; key: string };
  /** The organisation's MSP admin (NodeOU `admin`), who signs its channel config updates (CRLs). */
  mspAdmin?: { cert: string; key: string };
}

/**
 * The whole descriptor. A path in it is absolute or relative to the descriptor file's directory.
 */
export interface DevnetDescriptor {
  channel: string;
  chaincode: string;
  orgs: DevnetOrg[];
}

/** File name of the descriptor inside the devnet's data directory. */
export const DESCRIPTOR_FILE = 'devnet.json';

/** A descriptor that cannot be used. */
export class DescriptorError extends Error {
  /**
   * @param source - Where the descriptor came from (its file path), prefixed to the message.
   * @param reason - What is wrong with it.
   */
  constructor(source: string, reason: string) {
    super(`${source}: ${reason}`);
    this.name = 'DescriptorError';
  }
}

/**
 * Checks that a parsed JSON value has the descriptor's shape and returns it typed.
 * Throws {@link DescriptorError} naming `source` and the first field that is wrong.
 */
export function checkDescriptor(source: string, value: unknown): DevnetDescriptor {
  const d = value as Partial<DevnetDescriptor> | null;
  if (typeof d !== 'object' || d === null) throw new DescriptorError(source, 'not a JSON object');
  if (typeof d.channel !== 'string' || d.channel === '') throw new DescriptorError(source, '/channel must be a non-empty string');
  if (typeof d.chaincode !== 'string' || d.chaincode === '') throw new DescriptorError(source, '/chaincode must be a non-empty string');
  if (!Array.isArray(d.orgs) || d.orgs.length === 0) throw new DescriptorError(source, '/orgs must be a non-empty array');
  d.orgs.forEach((o: Partial<DevnetOrg>, i) => {
    if (typeof o.mspId !== 'string') throw new DescriptorError(source, `/orgs/${i}/mspId must be a string`);
    if (typeof o.peerEndpoint !== 'string') throw new DescriptorError(source, `/orgs/${i}/peerEndpoint must be a string`);
    if (!Array.isArray(o.users)) throw new DescriptorError(source, `/orgs/${i}/users must be an array`);
  });
  return d as DevnetDescriptor;
}
