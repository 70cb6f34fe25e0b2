/**
 * The certificate authority of an organisation, as the identity routes use it: Fabric CA's
 * register / enroll / reenroll / revoke / gencrl. Two implementations: the devnet's own CA
 * (devnet-ca.ts, the org CA key of the generated material) and a Fabric CA server's REST API
 * (fabric-ca-client.ts). Neither logs or returns private keys; enrollment always takes a PKCS#10
 * request, so the key is made wherever the caller chooses (the gateway's wallet or the user).
 */
import type { KeyObject } from 'node:crypto';

/** What registering an identity records at the CA. */
export interface RegistrationRequest {
  /** Enrollment id, unique within the CA. */
  name: string;
  /** Fabric CA affiliation (e.g. `hospital1.cardiology`); empty = the root affiliation. */
  affiliation: string;
  /** Attributes put into every enrollment certificate (Fabric CA `ecert` attributes). */
  attrs: Record<string, string>;
}

/** The identity's current certificate and key, which Fabric CA's reenroll is authenticated with. */
export interface CurrentEnrollment {
  certPem: string;
  /** Absent when the user holds the key (the devnet CA does not need it). */
  privateKey: KeyObject | undefined;
}

/** Why a CA refused; the identity service maps each to a problem code. */
export type CaRefusal = 'exists' | 'unknown' | 'bad-secret' | 'revoked' | 'bad-request' | 'needs-key' | 'unavailable';

/** A CA's refusal with its reason (never a secret or key in the message). */
export class CaError extends Error {
  constructor(
    readonly refusal: CaRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'CaError';
  }
}

/** One organisation's CA. */
export interface CertificateAuthority {
  /** Where it runs, for operators (`devnet` or the Fabric CA URL). */
  readonly kind: 'devnet' | 'fabric-ca';
  /** Registers an identity of type `client`; answers its enrollment secret. */
  register(request: RegistrationRequest): Promise<string>;
  /** Enrolls with the secret: a certificate (PEM) for the request's public key. */
  enroll(name: string, secret: string, csrPem: string): Promise<string>;
  /** A new certificate (new key, new serial) for an enrolled identity. */
  reenroll(name: string, current: CurrentEnrollment, csrPem: string): Promise<string>;
  /** Revokes the identity and every certificate issued to it; answers their serials (hex, lower case). */
  revoke(name: string, reason: string): Promise<string[]>;
  /** The CA's current CRL (PEM). */
  generateCrl(): Promise<string>;
}

/** RFC 5280 reason codes Fabric CA accepts by name. */
export const REVOCATION_REASONS = ['unspecified', 'keycompromise', 'affiliationchanged', 'superseded', 'cessationofoperation', 'certificatehold', 'privilegewithdrawn'] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];
