import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * The fabric-samples test-network directory layout, shared by the devnet and real Fabric
 * binaries (peer `mspConfigPath`, configtxgen `MSPDir`, `tls/*` for gRPC TLS).
 */

/** Subject prefix of every certificate, as cryptogen writes it. */
export const SUBJECT_PREFIX = 'C=US, ST=California, L=San Francisco';

/** Where the certificate and key of an enrolled identity live inside its MSP directory. */
export function enrollmentFiles(mspDir: string): { certPath: string; keyPath: string } {
  return { certPath: path.join(mspDir, 'signcerts', 'cert.pem'), keyPath: path.join(mspDir, 'keystore', 'priv_sk') };
}

/** The TLS files of a node directory (`peers/<host>` or `orderers/<host>`). */
export function tlsFiles(nodeDir: string): { certPath: string; keyPath: string; caPath: string } {
  const tls = path.join(nodeDir, 'tls');
  return { certPath: path.join(tls, 'server.crt'), keyPath: path.join(tls, 'server.key'), caPath: path.join(tls, 'ca.crt') };
}

/**
 * MSP `config.yaml` enabling NodeOUs (client, peer, admin, orderer), as test-network writes it.
 * The certifier pin names the org CA, which issued every certificate of the org.
 */
export function nodeOuConfig(caFileName: string): string {
  const ou = (key: string, value: string): string =>
    `  ${key}:\n    Certificate: cacerts/${caFileName}\n    OrganizationalUnitIdentifier: ${value}\n`;
  return (
    'NodeOUs:\n  Enable: true\n' +
    ou('ClientOUIdentifier', 'client') +
    ou('PeerOUIdentifier', 'peer') +
    ou('AdminOUIdentifier', 'admin') +
    ou('OrdererOUIdentifier', 'orderer')
  );
}

/** Reads a text file, or undefined if it does not exist. */
export function readIfExists(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/**
 * Writes `content` unless the file already holds it. Written through a temporary file and a
 * rename so that a crash never leaves a half-written certificate or key behind.
 */
export function ensureFile(file: string, content: string, mode = 0o644): void {
  if (readIfExists(file) === content) return;
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode });
  renameSync(tmp, file);
}

/** The CA files an MSP directory carries, by name (`ca.<domain>-cert.pem`, `tlsca.<domain>-cert.pem`). */
export interface MspRoots {
  caFileName: string;
  caCertPem: string;
  tlsCaFileName: string;
  tlsCaCertPem: string;
}

/** Writes (or refreshes) the shared part of an MSP directory: cacerts, tlscacerts, config.yaml. */
export function writeMspRoots(mspDir: string, roots: MspRoots): void {
  ensureFile(path.join(mspDir, 'cacerts', roots.caFileName), roots.caCertPem);
  ensureFile(path.join(mspDir, 'tlscacerts', roots.tlsCaFileName), roots.tlsCaCertPem);
  ensureFile(path.join(mspDir, 'config.yaml'), nodeOuConfig(roots.caFileName));
}
