/**
 * `devnet.json`: the machine-readable description of a running devnet that applications (the
 * REST gateway, scripts, tests) read to connect. Paths are absolute.
 */
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One user identity of an organisation. */
export interface DevnetUser {
  name: string;
  role: string;
  /** Absolute path of the PEM certificate. */
  cert: string;
  /** Absolute path of the PKCS#8 PEM private key. */
  key: string;
}

/** One organisation: where its gateway peer listens and its users. */
export interface DevnetOrg {
  mspId: string;
  /** `host:port` to dial. */
  peerEndpoint: string;
  /** Absolute path of the TLS CA certificate (TLS only). */
  tlsCaCert?: string;
  /** `grpc.ssl_target_name_override` value (TLS only): the peer's certificate host name. */
  hostOverride?: string;
  users: DevnetUser[];
}

/** The whole descriptor. */
export interface DevnetDescriptor {
  channel: string;
  chaincode: string;
  orgs: DevnetOrg[];
}

/** File name of the descriptor inside the data directory. */
export const DESCRIPTOR_FILE = 'devnet.json';

/** Writes the descriptor atomically (write then rename), so a reader never sees half a file. */
export async function writeDescriptor(dataDir: string, descriptor: DevnetDescriptor): Promise<string> {
  const file = path.join(dataDir, DESCRIPTOR_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(descriptor, null, 2)}\n`);
  await rename(temp, file);
  return file;
}
