import { createPublicKey, type KeyObject, type X509Certificate } from 'node:crypto';
import { msp } from '@hyperledger/fabric-protos';
import { sha256, SignatureError, verifySignature } from '../crypto';
import { canonicalCertificate } from './canonical';
import { MspError } from './errors';
import type { Msp, NodeRole } from './msp';
import { checkPrincipal, principalMismatch } from './principal';

/** A deserialized X.509 identity of a channel MSP. */
export interface Identity {
  mspId: string;
  certPem: string;
  /** The `SerializedIdentity` bytes it was read from. */
  serialized: Uint8Array;
  /** `mspid` + hex(SHA-256(certificate DER, signature in low-S form)): Fabric's identity identifier, used to de-duplicate signers. */
  uniqueKey: string;
  /** The subject's OU values, in certificate order. */
  ous: string[];
  /** Listed in the MSP's admin certificates or carries the `admin` NodeOU. */
  isAdmin: boolean;
  certificate: X509Certificate;
  /**
   * The certificate's notAfter (Fabric's `crypto.ExpiresAt`). MSP validation ignores it; the
   * orderer's Broadcast ("broadcast client identity expired") and Deliver ("client identity
   * expired") check it.
   */
  expiresAt: Date;
  /** Throws {@link MspError} (stage `validate`) when the MSP does not accept the identity. */
  validate(): void;
  /** Throws {@link MspError} (stage `verify`) unless `signature` is this identity's over SHA-256(message). */
  verify(message: Uint8Array, signature: Uint8Array): void;
  /**
   * Records `signature` over `message` as verified without an ECDSA verification, because this
   * process has just made it with `privateKey` (a simulated peer's endorsement). Does nothing
   * unless `privateKey` is this identity's key, so a mismatched key still fails at verification.
   */
  vouch(message: Uint8Array, signature: Uint8Array, privateKey: KeyObject): void;
  satisfies(principal: msp.MSPPrincipal): boolean;
  /** Like {@link satisfies} but throws an {@link MspError} (stage `principal`) saying why not. */
  checkPrincipal(principal: msp.MSPPrincipal): void;
}

/**
 * Signatures already verified, by (identity, SHA-256 of the data, signature). The same signature
 * is checked several times along a transaction's path (gateway ACL, each endorsing peer, orderer
 * intake, committer); hashing is far cheaper than ECDSA verification. Only successes are kept.
 */
const verified = new Set<string>();
const VERIFIED_LIMIT = 50_000;

function remember(key: string): void {
  if (verified.size >= VERIFIED_LIMIT) verified.clear();
  verified.add(key);
}

function verifiedKey(uniqueKey: string, message: Uint8Array, signature: Uint8Array): string {
  return `${uniqueKey}|${Buffer.from(signature).toString('base64')}|${sha256(message).toString('base64')}`;
}

function subjectOUs(cert: X509Certificate): string[] {
  // node prints one `KEY=value` per line (multi-valued RDNs joined with '+').
  return cert.subject
    .split('\n')
    .flatMap((line) => line.split('+'))
    .filter((part) => part.startsWith('OU='))
    .map((part) => part.slice(3));
}

/** An identity of one {@link Msp}; validation is computed once and cached, like Fabric does. */
export class MspIdentity implements Identity {
  readonly uniqueKey: string;
  readonly ous: string[];
  readonly expiresAt: Date;
  /** The certificate that signed this one (itself for a CA certificate), as found while deserializing. */
  readonly issuer: X509Certificate;
  /** Certificate DER with a low-S signature: what Fabric hashes and compares. */
  readonly canonical: Buffer;
  /** node re-creates the KeyObject on every `certificate.publicKey` access. */
  private readonly publicKey: KeyObject;
  /** Private keys shown to match {@link publicKey} (see {@link vouch}). */
  private readonly ownKeys = new WeakSet<KeyObject>();
  private validation: { error?: MspError; chain?: X509Certificate[]; role?: NodeRole } | undefined;

  constructor(
    readonly msp: Msp,
    readonly serialized: Uint8Array,
    readonly certPem: string,
    readonly certificate: X509Certificate,
    private readonly knownChain: X509Certificate[] | undefined,
  ) {
    this.issuer = knownChain?.[1] ?? certificate;
    this.canonical = canonicalCertificate(certificate, this.issuer);
    this.uniqueKey = `${msp.mspId}${sha256(this.canonical).toString('hex')}`;
    this.ous = subjectOUs(certificate);
    this.publicKey = certificate.publicKey;
    this.expiresAt = new Date(certificate.validTo);
  }

  get mspId(): string {
    return this.msp.mspId;
  }

  validate(): void {
    this.validation ??= this.runValidation();
    if (this.validation.error) throw this.validation.error;
  }

  private runValidation(): { error?: MspError; chain?: X509Certificate[]; role?: NodeRole } {
    try {
      if (this.certificate.ca) {
        throw new MspError('validate', 'could not obtain certification chain: An X509 certificate with Basic Constraint: Certificate Authority equals true cannot be used as an identity');
      }
      const chain = this.knownChain ?? this.msp.chain(this.certificate, 'validate');
      if (this.msp.revoked(chain)) {
        throw new MspError('validate', 'could not validate identity against certification chain: The certificate has been revoked');
      }
      return { chain, role: this.msp.nodeRole(this.ous, this.msp.certifiersIdentifier(chain)) };
    } catch (err) {
      if (err instanceof MspError) return { error: err };
      throw err;
    }
  }

  /** The certification chain (leaf first) of a valid identity. */
  get chain(): X509Certificate[] {
    this.validate();
    return this.validation?.chain ?? [];
  }

  /** The NodeOU role of a valid identity (undefined when the MSP has NodeOUs disabled). */
  get nodeRole(): NodeRole | undefined {
    this.validate();
    return this.validation?.role;
  }

  get isAdmin(): boolean {
    if (this.msp.isAdminCertificate(this.canonical)) return true;
    try {
      return this.nodeRole === 'admin';
    } catch {
      return false;
    }
  }

  verify(message: Uint8Array, signature: Uint8Array): void {
    const key = verifiedKey(this.uniqueKey, message, signature);
    if (verified.has(key)) return;
    try {
      verifySignature(this.publicKey, message, signature);
      remember(key);
    } catch (err) {
      if (!(err instanceof SignatureError)) throw err;
      const text = err.message === 'The signature is invalid' ? err.message : `could not determine the validity of the signature: ${err.message}`;
      throw new MspError('verify', text);
    }
  }

  vouch(message: Uint8Array, signature: Uint8Array, privateKey: KeyObject): void {
    if (!this.ownKeys.has(privateKey)) {
      if (!createPublicKey(privateKey).equals(this.publicKey)) return;
      this.ownKeys.add(privateKey);
    }
    remember(verifiedKey(this.uniqueKey, message, signature));
  }

  checkPrincipal(principal: msp.MSPPrincipal): void {
    checkPrincipal(this, principal);
  }

  satisfies(principal: msp.MSPPrincipal): boolean {
    return principalMismatch(this, principal) === undefined;
  }
}
