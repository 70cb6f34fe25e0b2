import * as asn1js from 'asn1js';

/**
 * DER encodings Fabric computes itself (asn1js writes minimal two's-complement INTEGERs, which
 * Go's encoding/asn1 also does; that is what makes the bytes match).
 */

/** DER `SEQUENCE { INTEGER r, INTEGER s }`, the ECDSA signature form Fabric signs and checks. */
export function encodeEcdsaSignature(r: bigint, s: bigint): Buffer {
  return encodeShortPair(r, s) ?? encodeWithAsn1js(r, s);
}

function encodeWithAsn1js(r: bigint, s: bigint): Buffer {
  const seq = new asn1js.Sequence({ value: [asn1js.Integer.fromBigInt(r), asn1js.Integer.fromBigInt(s)] });
  return Buffer.from(seq.toBER(false));
}

/**
 * Parses a DER ECDSA signature like Go's `asn1.Unmarshal` into `ECDSASignature`: exactly one
 * SEQUENCE of two INTEGERs. Returns undefined when the bytes are not that shape.
 */
export function decodeEcdsaSignature(der: Uint8Array): { r: bigint; s: bigint } | undefined {
  return decodeShortPair(der) ?? decodeWithAsn1js(der);
}

function decodeWithAsn1js(der: Uint8Array): { r: bigint; s: bigint } | undefined {
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    parsed = asn1js.fromBER(der);
  } catch {
    // asn1js throws on some malformed inner values (a GeneralizedTime that does not parse, an
    // odd-length BMPString): for Go's asn1.Unmarshal these are structure errors like any other.
    return undefined;
  }
  if (parsed.offset === -1 || parsed.offset !== der.length) return undefined;
  const seq = parsed.result;
  if (!(seq instanceof asn1js.Sequence)) return undefined;
  const [r, s, ...rest] = seq.valueBlock.value;
  if (!(r instanceof asn1js.Integer) || !(s instanceof asn1js.Integer) || rest.length > 0) return undefined;
  return { r: r.toBigInt(), s: s.toBigInt() };
}

/*
 * Fast paths for the one shape every ECDSA signature on the hot path has (P-256 and P-384: a
 * SEQUENCE under 128 bytes of two positive minimal INTEGERs). Going through asn1js's general BER
 * object model cost about as much as the OpenSSL verification itself. Anything else (long forms,
 * negative or non-minimal integers, other tags) falls back to asn1js, so results are unchanged:
 * strict DER is a subset of what asn1js reads, and the encoder writes the bytes asn1js writes.
 */

const SEQUENCE = 0x30;
const INTEGER = 0x02;

/** A positive INTEGER's minimal two's-complement content octets. */
function positiveIntegerContent(value: bigint): Buffer {
  const hex = value.toString(16);
  const bytes = Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
  return (bytes[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

function encodeShortPair(r: bigint, s: bigint): Buffer | undefined {
  if (r <= 0n || s <= 0n) return undefined;
  const rBytes = positiveIntegerContent(r);
  const sBytes = positiveIntegerContent(s);
  const length = 2 + rBytes.length + 2 + sBytes.length;
  if (length >= 0x80) return undefined;
  return Buffer.concat([Buffer.from([SEQUENCE, length, INTEGER, rBytes.length]), rBytes, Buffer.from([INTEGER, sBytes.length]), sBytes]);
}

/** Reads a short-form, positive, minimal INTEGER at `at`; undefined for anything else. */
function readPositiveInteger(der: Uint8Array, at: number): { value: bigint; end: number } | undefined {
  const length = der[at + 1];
  if (der[at] !== INTEGER || length === undefined || length === 0 || length >= 0x80) return undefined;
  const first = der[at + 2] ?? 0x80;
  if (first >= 0x80) return undefined; // negative (or truncated)
  if (first === 0 && length > 1 && (der[at + 3] ?? 0) < 0x80) return undefined; // not minimal
  const end = at + 2 + length;
  if (end > der.length) return undefined;
  return { value: fromBytes(der.subarray(at + 2, end)), end };
}

function decodeShortPair(der: Uint8Array): { r: bigint; s: bigint } | undefined {
  if (der[0] !== SEQUENCE || der[1] === undefined || der[1] >= 0x80 || der[1] + 2 !== der.length) return undefined;
  const r = readPositiveInteger(der, 2);
  const s = r && readPositiveInteger(der, r.end);
  if (!r || !s || s.end !== der.length) return undefined;
  return { r: r.value, s: s.value };
}

/** Big-endian unsigned integer of `bytes`. */
export function fromBytes(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}
