import 'reflect-metadata'; // @peculiar/x509's ASN.1 schemas need it loaded first
import * as x509 from '@peculiar/x509';
import { randomBytes, webcrypto } from 'node:crypto';
import { encodeAttributes, FABRIC_ATTRS_OID } from './attributes';
import { requestPublicKey } from './csr';

x509.cryptoProvider.set(webcrypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;
/** Back-dating absorbs clock skew between the machine that issues and the one that verifies. */
const BACKDATE_MS = 5 * 60 * 1000;

/** A PEM certificate and its PKCS#8 PEM private key (both with a trailing newline). */
export interface IssuedCertificate {
  certPem: string;
  keyPem: string;
}

/** Validity period override (tests: expired or not-yet-valid certificates). */
export interface Validity {
  notBefore?: Date;
  notAfter?: Date;
}

/** What a leaf certificate is for. */
export type LeafRequest = Validity &
  (
    | { usage: 'identity'; subject: string; attributes: Record<string, string> }
    | { usage: 'tls-server'; subject: string; dnsNames: string[]; ipAddresses: string[] }
  );

function withNewline(pem: string): string {
  const unix = pem.replace(/\r\n/g, '\n');
  return unix.endsWith('\n') ? unix : `${unix}\n`;
}

/** A positive 128-bit serial number, as Fabric CA and cryptogen issue. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f || 0x01;
  return bytes.toString('hex');
}

async function newKeyPair(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function keyPem(key: webcrypto.CryptoKey): Promise<string> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key);
  return withNewline(x509.PemConverter.encode(pkcs8, 'PRIVATE KEY'));
}

/**
 * A certificate authority (ECDSA P-256) that issues Fabric-style certificates: the org CA for
 * enrollment certificates and the TLS CA for server certificates.
 */
export class CertificateAuthority {
  private constructor(
    readonly certificate: x509.X509Certificate,
    readonly certPem: string,
    readonly keyPem: string,
    private readonly signingKey: webcrypto.CryptoKey,
  ) {}

  /** Creates a self-signed root CA named `subject` (e.g. `C=US, …, O=org1.example.com, CN=ca.org1.example.com`). */
  static async create(subject: string): Promise<CertificateAuthority> {
    const keys = await newKeyPair();
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serialNumber(),
      name: subject,
      notBefore: new Date(now - BACKDATE_MS),
      notAfter: new Date(now + TEN_YEARS_MS),
      keys,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.KeyUsagesExtension(
          x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
          true,
        ),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth, x509.ExtendedKeyUsage.serverAuth]),
        new x509.BasicConstraintsExtension(true, undefined, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    return new CertificateAuthority(cert, withNewline(cert.toString('pem')), await keyPem(keys.privateKey), keys.privateKey);
  }

  /** Re-opens a CA from its PEM certificate and PKCS#8 PEM key. */
  static async load(certPem: string, privateKeyPem: string): Promise<CertificateAuthority> {
    const cert = new x509.X509Certificate(certPem);
    const der = x509.PemConverter.decodeFirst(privateKeyPem);
    const key = await webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, true, ['sign']);
    return new CertificateAuthority(cert, withNewline(certPem), withNewline(privateKeyPem), key);
  }

  /** Issues a leaf certificate with a fresh key pair. */
  async issue(request: LeafRequest): Promise<IssuedCertificate> {
    const keys = await newKeyPair();
    const certPem = await this.signLeaf(keys.publicKey, request, leafExtensions(request));
    return { certPem, keyPem: await keyPem(keys.privateKey) };
  }

  /** Signs a leaf certificate for `publicKey`: backdated, and never outliving this CA by default. */
  private async signLeaf(publicKey: webcrypto.CryptoKey | x509.PublicKey, request: Validity & { subject: string }, extensions: x509.Extension[]): Promise<string> {
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: request.subject,
      issuer: this.certificate.subject,
      notBefore: request.notBefore ?? new Date(now - BACKDATE_MS),
      notAfter: request.notAfter ?? new Date(Math.min(now + TEN_YEARS_MS, this.certificate.notAfter.getTime())),
      publicKey,
      signingKey: this.signingKey,
      signingAlgorithm: ALGORITHM,
      extensions: [...(await this.commonExtensions(publicKey)), ...extensions],
    });
    return withNewline(cert.toString('pem'));
  }

  /**
   * Issues an identity certificate for the public key of a PKCS#10 request, as Fabric CA's enroll
   * does: the request's signature must verify (proof of possession); its subject is ignored in
   * favour of `request.subject`. Throws {@link CsrError} for a request that does not parse or verify.
   */
  async issueForRequest(csrPem: string, request: Validity & { subject: string; attributes: Record<string, string> }): Promise<string> {
    const publicKey = await requestPublicKey(csrPem);
    return this.signLeaf(publicKey, request, leafExtensions({ usage: 'identity', ...request }));
  }

  /** Issues an intermediate CA certified by this one. */
  async issueIntermediate(subject: string): Promise<CertificateAuthority> {
    const keys = await newKeyPair();
    const now = Date.now();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject,
      issuer: this.certificate.subject,
      notBefore: new Date(now - BACKDATE_MS),
      notAfter: this.certificate.notAfter,
      publicKey: keys.publicKey,
      signingKey: this.signingKey,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        new x509.BasicConstraintsExtension(true, undefined, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(this.certificate),
      ],
    });
    return new CertificateAuthority(cert, withNewline(cert.toString('pem')), await keyPem(keys.privateKey), keys.privateKey);
  }

  /** Issues a CRL (PEM labelled `X509 CRL`, the one label Fabric reads) revoking the given serial numbers (hex). */
  async issueCrl(serialNumbers: string[]): Promise<string> {
    const now = new Date();
    const crl = await x509.X509CrlGenerator.create({
      issuer: this.certificate.subject,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + TEN_YEARS_MS),
      entries: serialNumbers.map((serialNumber) => ({ serialNumber, revocationDate: now })),
      signingKey: this.signingKey,
      signingAlgorithm: ALGORITHM,
      extensions: [await x509.AuthorityKeyIdentifierExtension.create(this.certificate)],
    });
    // @peculiar/x509 labels CRLs `CRL`, which Fabric's x509.ParseCRL does not take for PEM.
    return withNewline(x509.PemConverter.encode(crl.rawData, 'X509 CRL'));
  }

  private async commonExtensions(publicKey: webcrypto.CryptoKey | x509.PublicKey): Promise<x509.Extension[]> {
    return [
      new x509.BasicConstraintsExtension(false, undefined, true),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(this.certificate),
    ];
  }
}

function leafExtensions(request: LeafRequest): x509.Extension[] {
  if (request.usage === 'identity') {
    return [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.Extension(FABRIC_ATTRS_OID, false, encodeAttributes(request.attributes)),
    ];
  }
  return [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    // Fabric's cryptogen gives TLS certificates both usages, so the same cert works for mutual TLS.
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
    new x509.SubjectAlternativeNameExtension([
      ...request.dnsNames.map((value) => ({ type: 'dns' as const, value })),
      ...request.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
    ]),
  ];
}

