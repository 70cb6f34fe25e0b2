import * as asn1js from 'asn1js';
import type { X509Certificate } from 'node:crypto';
import { toLowS } from '../crypto';

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.of(length);
  const hex = length.toString(16);
  const bytes = Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
  return Buffer.concat([Buffer.of(0x80 | bytes.length), bytes]);
}

function tlv(tag: number, body: Uint8Array): Buffer {
  return Buffer.concat([Buffer.of(tag), derLength(body.length), body]);
}

/**
 * The certificate's DER with its signature in low-S form, as Fabric's MSP "sanitizes" every
 * certificate before hashing or comparing it. ECDSA signatures are malleable (s and n − s both
 * verify), so without this one certificate could pose as two identities. `issuer` gives the
 * curve (the certificate itself for self-signed ones). Returns the DER unchanged when it is not
 * an ECDSA-signed certificate.
 */
export function canonicalCertificate(cert: X509Certificate, issuer: X509Certificate): Buffer {
  const parsed = asn1js.fromBER(cert.raw);
  const [tbs, algorithm, signature] = parsed.result instanceof asn1js.Sequence ? parsed.result.valueBlock.value : [];
  if (!tbs || !algorithm || !(signature instanceof asn1js.BitString) || issuer.publicKey.asymmetricKeyType !== 'ec') return cert.raw;
  const sig = signature.valueBlock.valueHexView;
  const low = toLowS(issuer.publicKey, sig);
  if (low === undefined || low.equals(sig)) return cert.raw;
  // Splice the original TBS and algorithm bytes: only the signature changes.
  const bitString = tlv(0x03, Buffer.concat([Buffer.of(0), low]));
  return tlv(0x30, Buffer.concat([tbs.valueBeforeDecodeView, algorithm.valueBeforeDecodeView, bitString]));
}
