/**
 * The devnet's CA for one organisation: the org CA of the generated material (the key that issued
 * every demo identity), with a registry kept on disk beside the devnet's data
 * (`<devnet data>/ca-registry/<MSP id>.json`): registered names, attributes, a hash of the
 * one-time enrollment secret, issued serials, revocations. Secrets are stored as SHA-256 digests.
 */
import { createHash, randomBytes, timingSafeEqual, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CertificateAuthority as IssuingCa } from '@healthledger/fabric-core/pki';
import { loadPki } from './pki';
import { CaError, type CertificateAuthority, type CurrentEnrollment, type RegistrationRequest } from './authority';

/** Subject of enrollment certificates, as the generated material writes them (NodeOU `client`). */
const SUBJECT_PREFIX = 'C=US, ST=California, L=San Francisco, OU=client';

interface RegistryEntry {
  affiliation: string;
  attrs: Record<string, string>;
  /** SHA-256 of the secret (hex) until the one enrollment it allows has happened. */
  secretHash?: string;
  serials: string[];
  revoked: boolean;
}

interface Registry {
  identities: Record<string, RegistryEntry>;
  revokedSerials: string[];
}

const digest = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** One organisation's devnet CA. */
export class DevnetCa implements CertificateAuthority {
  readonly kind = 'devnet';
  private issuer: Promise<IssuingCa> | undefined;
  /** Serializes changes to the registry file. */
  private queue: Promise<unknown> = Promise.resolve();

  /**
   * @param registryPath - The registry file (created on first change).
   * @param caCertPem - The org CA certificate.
   * @param caKeyPem - Its PKCS#8 private key.
   */
  constructor(
    private readonly registryPath: string,
    private readonly caCertPem: string,
    private readonly caKeyPem: string,
  ) {}

  register(request: RegistrationRequest): Promise<string> {
    return this.change((registry) => {
      if (registry.identities[request.name]) throw new CaError('exists', `identity '${request.name}' is already registered`);
      const secret = randomBytes(18).toString('base64url');
      registry.identities[request.name] = { affiliation: request.affiliation, attrs: request.attrs, secretHash: digest(secret), serials: [], revoked: false };
      return Promise.resolve(secret);
    });
  }

  enroll(name: string, secret: string, csrPem: string): Promise<string> {
    return this.change(async (registry) => {
      const entry = this.active(registry, name);
      const expected = entry.secretHash === undefined ? undefined : Buffer.from(entry.secretHash, 'hex');
      const given = Buffer.from(digest(secret), 'hex');
      if (!expected || !timingSafeEqual(expected, given)) throw new CaError('bad-secret', `the enrollment secret of '${name}' is wrong or already used`);
      const certPem = await this.issue(name, entry, csrPem);
      delete entry.secretHash;
      return certPem;
    });
  }

  reenroll(name: string, current: CurrentEnrollment, csrPem: string): Promise<string> {
    return this.change(async (registry) => {
      const entry = this.active(registry, name);
      if (!entry.serials.includes(serialOf(current.certPem))) throw new CaError('bad-request', `the certificate given is not one of '${name}'`);
      return this.issue(name, entry, csrPem);
    });
  }

  revoke(name: string, _reason: string): Promise<string[]> {
    return this.change((registry) => {
      const entry = registry.identities[name];
      if (!entry) throw new CaError('unknown', `identity '${name}' is not registered`);
      entry.revoked = true;
      delete entry.secretHash;
      registry.revokedSerials = [...new Set([...registry.revokedSerials, ...entry.serials])];
      return Promise.resolve([...entry.serials]);
    });
  }

  async generateCrl(): Promise<string> {
    const registry = this.read();
    return (await this.ca()).issueCrl(registry.revokedSerials);
  }

  private active(registry: Registry, name: string): RegistryEntry {
    const entry = registry.identities[name];
    if (!entry) throw new CaError('unknown', `identity '${name}' is not registered`);
    if (entry.revoked) throw new CaError('revoked', `identity '${name}' is revoked`);
    return entry;
  }

  private async issue(name: string, entry: RegistryEntry, csrPem: string): Promise<string> {
    const { CsrError, enrollmentAttributes } = await loadPki();
    const attributes = enrollmentAttributes(name, 'client', entry.attrs);
    attributes['hf.Affiliation'] = entry.affiliation;
    let certPem: string;
    try {
      certPem = await (await this.ca()).issueForRequest(csrPem, { subject: `${SUBJECT_PREFIX}, CN=${name}`, attributes });
    } catch (err) {
      if (err instanceof CsrError) throw new CaError('bad-request', err.message);
      throw err;
    }
    entry.serials.push(serialOf(certPem));
    return certPem;
  }

  private ca(): Promise<IssuingCa> {
    this.issuer ??= loadPki().then((pki) => pki.CertificateAuthority.load(this.caCertPem, this.caKeyPem));
    return this.issuer;
  }

  private read(): Registry {
    if (!existsSync(this.registryPath)) return { identities: {}, revokedSerials: [] };
    return JSON.parse(readFileSync(this.registryPath, 'utf8')) as Registry;
  }

  /** Runs `fn` on the registry and writes it back (atomically) when `fn` succeeds. */
  private change<T>(fn: (registry: Registry) => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      const registry = this.read();
      const result = await fn(registry);
      mkdirSync(dirname(this.registryPath), { recursive: true });
      const tmp = `${this.registryPath}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(registry, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, this.registryPath);
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** A certificate's serial number, hex in lower case. */
export function serialOf(certPem: string): string {
  return new X509Certificate(certPem).serialNumber.toLowerCase();
}
