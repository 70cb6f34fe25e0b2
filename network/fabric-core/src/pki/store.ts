import { createPublicKey, X509Certificate } from 'node:crypto';
import * as path from 'node:path';
import { CertificateAuthority, type IssuedCertificate, type LeafRequest } from './authority';
import { MaterialError } from './errors';
import { ensureFile, readIfExists } from './layout';

/** How a material pass treats missing or stale files. */
export interface MaterialPass {
  /** false: only load, and fail on anything missing (loadMaterial). */
  issue: boolean;
  progress: (line: string) => void;
  /** Extra IP SANs of node TLS certificates by host (MaterialOptions.tlsIpAddresses). */
  tlsIpAddresses?: Readonly<Record<string, readonly string[]>>;
}

/**
 * True when the private key belongs to the certificate. Key and certificate are written one
 * after the other, so a crash in between leaves a pair that must not be reused.
 */
function keyMatches(certPem: string, keyPem: string): boolean {
  try {
    const fromKey = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
    const fromCert = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
    return fromKey.equals(fromCert);
  } catch {
    return false;
  }
}

function parses(certPem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(certPem);
  } catch {
    return undefined;
  }
}

/**
 * A CA kept on disk as `<dir>/<fileName>` + `<dir>/priv_sk` (cryptogen's `ca/` and `tlsca/`).
 * The signing key is imported only when something has to be issued, so that loading existing
 * material stays fast.
 */
export class AuthorityStore {
  private opened: Promise<CertificateAuthority> | undefined;
  private readonly x509: X509Certificate;

  private constructor(
    readonly certPem: string,
    readonly certPath: string,
    private readonly keyPem: string,
  ) {
    const parsed = parses(certPem);
    if (!parsed?.ca) throw new MaterialError(`${certPath} is not a CA certificate`);
    this.x509 = parsed;
  }

  /** Loads the CA in `dir`, creating it when the pass may issue and the files are absent. */
  static async open(dir: string, fileName: string, subject: string, pass: MaterialPass): Promise<AuthorityStore> {
    const certPath = path.join(dir, fileName);
    const keyPath = path.join(dir, 'priv_sk');
    const certPem = readIfExists(certPath);
    const keyPem = readIfExists(keyPath);
    if (certPem !== undefined && keyPem !== undefined && keyMatches(certPem, keyPem)) return new AuthorityStore(certPem, certPath, keyPem);
    if (!pass.issue) throw new MaterialError(`missing CA material: ${certPath}`);
    const ca = await CertificateAuthority.create(subject);
    ensureFile(keyPath, ca.keyPem, 0o600);
    ensureFile(certPath, ca.certPem);
    pass.progress(`created CA ${subject.replace(/^.*CN=/, '')}`);
    const store = new AuthorityStore(ca.certPem, certPath, ca.keyPem);
    store.opened = Promise.resolve(ca);
    return store;
  }

  /** True when this CA signed `certPem` (name chaining and signature). */
  issued(certPem: string): boolean {
    const leaf = parses(certPem);
    return leaf !== undefined && leaf.checkIssued(this.x509) && leaf.verify(this.x509.publicKey);
  }

  /** The CA ready to issue (imports the key once). */
  authority(): Promise<CertificateAuthority> {
    this.opened ??= CertificateAuthority.load(this.certPem, this.keyPem);
    return this.opened;
  }
}

/** Where a leaf certificate and its key are kept, and what it must look like to be reused. */
export interface LeafSlot {
  certPath: string;
  keyPath: string;
  /** Printed when the leaf is issued, e.g. `peer0.org1.example.com (peer)`. */
  label: string;
  request: LeafRequest;
  /** Extra reuse check (e.g. the user's attributes are still those of the consortium). */
  current?: (certPem: string) => boolean;
}

/**
 * Loads a leaf certificate and key from disk if they exist, were issued by `ca` and pass the
 * slot's check; otherwise (when the pass may) issues a new pair and writes it.
 */
export async function ensureLeaf(slot: LeafSlot, ca: AuthorityStore, pass: MaterialPass): Promise<IssuedCertificate> {
  const certPem = readIfExists(slot.certPath);
  const keyPem = readIfExists(slot.keyPath);
  if (certPem !== undefined && keyPem !== undefined && ca.issued(certPem) && keyMatches(certPem, keyPem) && (slot.current?.(certPem) ?? true)) {
    return { certPem, keyPem };
  }
  if (!pass.issue) throw new MaterialError(`missing or stale material: ${slot.certPath}`);
  const issued = await (await ca.authority()).issue(slot.request);
  ensureFile(slot.keyPath, issued.keyPem, 0o600);
  ensureFile(slot.certPath, issued.certPem);
  pass.progress(`issued ${slot.label}`);
  return issued;
}
