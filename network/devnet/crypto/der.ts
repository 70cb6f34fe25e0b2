import * as asn1js from 'asn1js';

/**
 * DER encodings Fabric computes itself (asn1js writes minimal two's-complement INTEGERs, which
 * Go's encoding/asn1 also does; that is what makes the bytes match).
 */

/** DER `SEQUENCE { INTEGER r, INTEGER s }`, the ECDSA signature form Fabric signs and checks. */
export function encodeEcdsaSignature(r: bigint, s: bigint): Buffer {
  const seq = new asn1js.Sequence({ value: [asn1js.Integer.fromBigInt(r), asn1js.Integer.fromBigInt(s)] });
  return Buffer.from(seq.toBER(false));
}

/**
 * Parses a DER ECDSA signature like Go's `asn1.Unmarshal` into `ECDSASignature`: exactly one
 * SEQUENCE of two INTEGERs. Returns undefined when the bytes are not that shape.
 */
export function decodeEcdsaSignature(der: Uint8Array): { r: bigint; s: bigint } | undefined {
  const parsed = asn1js.fromBER(der);
  if (parsed.offset === -1 || parsed.offset !== der.length) return undefined;
  const seq = parsed.result;
  if (!(seq instanceof asn1js.Sequence)) return undefined;
  const [r, s, ...rest] = seq.valueBlock.value;
  if (!(r instanceof asn1js.Integer) || !(s instanceof asn1js.Integer) || rest.length > 0) return undefined;
  return { r: r.toBigInt(), s: s.toBigInt() };
}

/** Big-endian unsigned integer of `bytes`. */
export function fromBytes(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}
