import 'reflect-metadata'; // @peculiar/x509's ASN.1 schemas need it loaded first
import * as x509 from '@peculiar/x509';
import * as asn1js from 'asn1js';
import { verify, type X509Certificate } from 'node:crypto';
import { MspError } from './errors';

/**
 * Fabric reads a CRL with Go's `x509.ParseCRL`: PEM only under the `X509 CRL` label (as Fabric CA
 * and openssl write it), anything else as DER. A PEM with another label (`-----BEGIN CRL-----`) is
 * therefore not a CRL to Fabric, and the config update that carries it is refused.
 */
const PEM_CRL_PREFIX = '-----BEGIN X509 CRL';

/** An X.509 CRL of an MSP: who issued it and which serial numbers it revokes. */
export class RevocationList {
  /** Authority key identifier (hex, lower case), when the CRL carries one. */
  readonly authorityKeyId: string | undefined;
  private readonly revoked: Set<bigint>;
  private readonly tbs: Uint8Array;
  private readonly signature: Uint8Array;

  constructor(pem: string) {
    if (!pem.startsWith(PEM_CRL_PREFIX)) throw new MspError('config', 'could not parse RevocationList: not a PEM block labelled X509 CRL');
    let crl: x509.X509Crl;
    try {
      crl = new x509.X509Crl(x509.PemConverter.decodeFirst(pem));
    } catch (err) {
      throw new MspError('config', `could not parse RevocationList: ${(err as Error).message}`);
    }
    this.authorityKeyId = crl.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId?.toLowerCase();
    this.revoked = new Set(crl.entries.map((entry) => BigInt(`0x${entry.serialNumber}`)));
    // Node can verify the signature if given the exact signed bytes, which asn1js keeps.
    const parsed = asn1js.fromBER(new Uint8Array(crl.rawData));
    const [tbs, , signature] = parsed.result instanceof asn1js.Sequence ? parsed.result.valueBlock.value : [];
    if (!tbs || !(signature instanceof asn1js.BitString)) throw new MspError('config', 'could not parse RevocationList: not a CertificateList');
    this.tbs = new Uint8Array(tbs.valueBeforeDecodeView);
    this.signature = new Uint8Array(signature.valueBlock.valueHexView);
  }

  /** True when this CRL lists `serial` (hex as node prints it). */
  revokes(serial: string): boolean {
    return this.revoked.has(BigInt(`0x${serial}`));
  }

  /** True when `ca` signed this CRL. */
  signedBy(ca: X509Certificate): boolean {
    try {
      return verify('sha256', this.tbs, ca.publicKey, this.signature);
    } catch {
      return false;
    }
  }
}
