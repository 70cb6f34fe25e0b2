/**
 * The gateway's side of the identity lifecycle: what it keeps about the identities its
 * organisations' admins manage (`<dataDir>/identities/registry.json`: name, role, attributes,
 * status, serials and the current certificate — never secrets), the private keys it holds for the
 * custodial model (`<dataDir>/identities/keys/<MSP>/<name>.pem`, mode 0600, never logged), and the
 * wallet, which learns each enrollment at once and forgets a revoked identity. Revocation ends with
 * the organisation's new CRL in the channel config, so the ledger itself refuses the certificates.
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { HttpProblem } from '../errors/problem';
import { userFromPem, type Wallet } from '../fabric/wallet';
import { CaError, type CertificateAuthority, type CaRefusal } from './authority';
import { loadPki } from './pki';
import type { ChannelCrlPublisher } from './channel-crl';

/** Lifecycle state of an identity. */
export type IdentityStatus = 'registered' | 'enrolled' | 'revoked';

/** What the gateway records about one identity (answered by GET /identities). */
export interface IdentityRecord {
  name: string;
  mspId: string;
  role: string;
  affiliation: string;
  attrs: Record<string, string>;
  status: IdentityStatus;
  /** `gateway`: the gateway holds the key; `user`: the user does (enrolled with a CSR). */
  custody?: 'gateway' | 'user';
  /** Every certificate serial issued to it (hex), oldest first. */
  serials: string[];
  /** Serials revoked (all of them once the identity is revoked). */
  revokedSerials: string[];
  certPem?: string;
  registeredAt: string;
  updatedAt: string;
}

/** What registering takes. */
export interface Registration {
  name: string;
  role: string;
  affiliation?: string;
  practitionerId?: string;
  patientId?: string;
}

/** One organisation's CA and, where the gateway may, how its CRL reaches the channel. */
export interface OrgAuthority {
  ca: CertificateAuthority;
  crl?: ChannelCrlPublisher;
}

const REFUSALS: Record<CaRefusal, ConstructorParameters<typeof HttpProblem>[0]> = {
  exists: 'IDENTITY_EXISTS',
  unknown: 'IDENTITY_NOT_FOUND',
  'bad-secret': 'ENROLLMENT_SECRET_INVALID',
  revoked: 'IDENTITY_STATE_CONFLICT',
  'bad-request': 'CSR_INVALID',
  'needs-key': 'REENROLLMENT_NEEDS_KEY',
  unavailable: 'CERTIFICATE_AUTHORITY_UNAVAILABLE',
};

/** Identity lifecycle for the organisations that have a CA here. */
export class IdentityService {
  private readonly records = new Map<string, IdentityRecord>();
  private readonly file: string;

  constructor(
    private readonly dataDir: string,
    private readonly wallet: Wallet,
    private readonly authorities: ReadonlyMap<string, OrgAuthority>,
  ) {
    this.file = join(dataDir, 'identities', 'registry.json');
    if (existsSync(this.file)) {
      for (const record of JSON.parse(readFileSync(this.file, 'utf8')) as IdentityRecord[]) this.records.set(key(record.mspId, record.name), record);
    }
    for (const record of this.records.values()) if (record.status === 'enrolled') this.learn(record);
  }

  /** True when the identity was revoked here (the edge answers 401 IDENTITY_REVOKED). */
  isRevoked(mspId: string, name: string): boolean {
    return this.records.get(key(mspId, name))?.status === 'revoked';
  }

  list(mspId: string): IdentityRecord[] {
    return [...this.records.values()].filter((r) => r.mspId === mspId);
  }

  get(mspId: string, name: string): IdentityRecord {
    const record = this.records.get(key(mspId, name));
    if (!record) throw new HttpProblem('IDENTITY_NOT_FOUND');
    return record;
  }

  async register(mspId: string, registration: Registration): Promise<{ record: IdentityRecord; secret: string }> {
    const { ca } = this.authority(mspId);
    if (this.records.has(key(mspId, registration.name)) || this.wallet.get(mspId, registration.name)) throw new HttpProblem('IDENTITY_EXISTS');
    const attrs: Record<string, string> = { role: registration.role };
    if (registration.practitionerId !== undefined) attrs['practitioner_id'] = registration.practitionerId;
    if (registration.patientId !== undefined) attrs['patient_id'] = registration.patientId;
    const affiliation = registration.affiliation ?? '';
    const secret = await refused(() => ca.register({ name: registration.name, affiliation, attrs }));
    const now = new Date().toISOString();
    const record: IdentityRecord = { name: registration.name, mspId, role: registration.role, affiliation, attrs, status: 'registered', serials: [], revokedSerials: [], registeredAt: now, updatedAt: now };
    this.records.set(key(mspId, record.name), record);
    this.save();
    return { record, secret };
  }

  /** Enrolls with the secret; without `csrPem` the gateway makes and keeps the key. */
  async enroll(mspId: string, name: string, secret: string, csrPem?: string): Promise<IdentityRecord> {
    const { ca } = this.authority(mspId);
    const record = this.get(mspId, name);
    if (record.status !== 'registered') throw new HttpProblem('IDENTITY_STATE_CONFLICT', `The identity is ${record.status}`);
    const request = csrPem ? { csrPem, keyPem: undefined } : await (await loadPki()).newKeyAndRequest(name);
    const certPem = await refused(() => ca.enroll(name, secret, request.csrPem));
    this.issued(record, certPem, request.keyPem);
    return record;
  }

  /** A new certificate (and, custodial, a new key): key rotation. The old certificate stays valid until revoked. */
  async reenroll(mspId: string, name: string, csrPem?: string): Promise<IdentityRecord> {
    const { ca } = this.authority(mspId);
    const record = this.get(mspId, name);
    if (record.status !== 'enrolled' || !record.certPem) throw new HttpProblem('IDENTITY_STATE_CONFLICT', `The identity is ${record.status}`);
    if (!csrPem && record.custody === 'user') throw new HttpProblem('CSR_INVALID', 'The user holds this key: send a certificate signing request for the new key');
    const current = { certPem: record.certPem, privateKey: this.wallet.get(mspId, name)?.privateKey };
    const request = csrPem ? { csrPem, keyPem: undefined } : await (await loadPki()).newKeyAndRequest(name);
    const certPem = await refused(() => ca.reenroll(name, current, request.csrPem));
    this.issued(record, certPem, request.keyPem);
    return record;
  }

  /** Revokes every certificate of the identity, then puts the CA's new CRL into the channel config. */
  async revoke(mspId: string, name: string, reason: string): Promise<IdentityRecord> {
    const authority = this.authority(mspId);
    const record = this.get(mspId, name);
    if (record.status === 'revoked') throw new HttpProblem('IDENTITY_STATE_CONFLICT', 'The identity is already revoked');
    const serials = await refused(() => authority.ca.revoke(name, reason));
    record.status = 'revoked';
    record.revokedSerials = [...new Set([...record.revokedSerials, ...serials, ...record.serials])];
    record.updatedAt = new Date().toISOString();
    this.wallet.remove(mspId, name);
    this.save();
    if (authority.crl) {
      const crl = await refused(() => authority.ca.generateCrl());
      await authority.crl.publish(crl).catch((err: unknown) => {
        throw new HttpProblem('CERTIFICATE_AUTHORITY_UNAVAILABLE', `The identity is revoked at the CA but the channel config update failed: ${(err as Error).message}`);
      });
    }
    return record;
  }

  /** True when the organisation has a CA here. */
  manages(mspId: string): boolean {
    return this.authorities.has(mspId);
  }

  private authority(mspId: string): OrgAuthority {
    const authority = this.authorities.get(mspId);
    if (!authority) throw new HttpProblem('IDENTITY_LIFECYCLE_UNAVAILABLE');
    return authority;
  }

  private issued(record: IdentityRecord, certPem: string, keyPem: string | undefined): void {
    record.status = 'enrolled';
    record.custody = keyPem ? 'gateway' : 'user';
    record.certPem = certPem;
    record.serials.push(new X509Certificate(certPem).serialNumber.toLowerCase());
    record.updatedAt = new Date().toISOString();
    if (keyPem) writePrivate(this.keyFile(record), keyPem);
    this.save();
    this.learn(record);
  }

  /** Puts the enrolled identity into the wallet, with its key when the gateway holds it. */
  private learn(record: IdentityRecord): void {
    if (!record.certPem) return;
    const keyFile = this.keyFile(record);
    const keyPem = record.custody === 'gateway' && existsSync(keyFile) ? readFileSync(keyFile, 'utf8') : undefined;
    const user = userFromPem(record.mspId, record.name, record.certPem, undefined, record.role);
    this.wallet.put({ ...user, privateKey: keyPem === undefined ? undefined : createPrivateKey(keyPem) });
  }

  private keyFile(record: IdentityRecord): string {
    return join(this.dataDir, 'identities', 'keys', record.mspId, `${record.name}.pem`);
  }

  private save(): void {
    writePrivate(this.file, `${JSON.stringify([...this.records.values()], null, 2)}\n`);
  }
}

function key(mspId: string, name: string): string {
  return `${mspId}\u0000${name}`;
}

function writePrivate(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  renameSync(tmp, file);
}

/** Runs a CA call, turning its refusals into problems. */
async function refused<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof CaError) {
      const code = REFUSALS[err.refusal];
      throw new HttpProblem(code, err.message);
    }
    throw err;
  }
}
