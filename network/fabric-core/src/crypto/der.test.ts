/**
 * The DER fast paths against asn1js, the general codec they stand in for: same bytes written,
 * same values (or the same refusal) read, for well-formed and malformed signatures alike.
 */
import { randomBytes } from 'node:crypto';
import * as asn1js from 'asn1js';
import { decodeEcdsaSignature, encodeEcdsaSignature, fromBytes } from './der';

function asn1jsEncode(r: bigint, s: bigint): Buffer {
  return Buffer.from(new asn1js.Sequence({ value: [asn1js.Integer.fromBigInt(r), asn1js.Integer.fromBigInt(s)] }).toBER(false));
}

/** asn1js's reading; its exceptions (some malformed inner values) count as a refusal. */
function asn1jsDecode(der: Uint8Array): { r: bigint; s: bigint } | undefined {
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    parsed = asn1js.fromBER(der);
  } catch {
    return undefined;
  }
  if (parsed.offset === -1 || parsed.offset !== der.length || !(parsed.result instanceof asn1js.Sequence)) return undefined;
  const [r, s, ...rest] = parsed.result.valueBlock.value;
  if (!(r instanceof asn1js.Integer) || !(s instanceof asn1js.Integer) || rest.length > 0) return undefined;
  return { r: r.toBigInt(), s: s.toBigInt() };
}

/** Random positive integers of 1–66 bytes, with and without the high bit set. */
function randomInteger(): bigint {
  const bytes = randomBytes(1 + (randomBytes(1)[0]! % 66));
  if (randomBytes(1)[0]! % 2 === 0) bytes[0]! |= 0x80;
  const value = fromBytes(bytes);
  return value === 0n ? 1n : value;
}

describe('ECDSA signature DER', () => {
  it('writes the bytes asn1js writes, and reads them back', () => {
    const cases: Array<[bigint, bigint]> = [
      [1n, 1n],
      [0x7fn, 0x80n],
      [0xffn, 0x100n],
      ...Array.from({ length: 500 }, (): [bigint, bigint] => [randomInteger(), randomInteger()]),
    ];
    for (const [r, s] of cases) {
      const der = encodeEcdsaSignature(r, s);
      expect(der.toString('hex')).toBe(asn1jsEncode(r, s).toString('hex'));
      expect(decodeEcdsaSignature(der)).toEqual({ r, s });
    }
  });

  it('reads malformed and unusual encodings as asn1js does', () => {
    const hex = [
      '3006020101020101', // minimal
      '300702020001020101', // non-minimal r
      '30060201ff020101', // negative r
      '3006020100020101', // zero r
      '308106020101020101', // long-form sequence length
      '300602010102010100', // trailing byte
      '3007020101020101', // sequence longer than the input
      '300502010102', // truncated s
      '3009020101020101020101', // three integers
      '3006040101020101', // OCTET STRING instead of INTEGER
      '3006180101020101', // GeneralizedTime instead of INTEGER (asn1js throws on it)
      '30061e0141020101', // odd-length BMPString (asn1js throws on it)
      '3100', // SET
      '3000',
      '',
    ];
    for (const h of hex) {
      const der = Buffer.from(h, 'hex');
      expect([h, decodeEcdsaSignature(der)]).toEqual([h, asn1jsDecode(der)]);
    }
    for (let i = 0; i < 3000; i++) {
      const der = encodeEcdsaSignature(randomInteger(), randomInteger());
      der[randomBytes(1)[0]! % der.length] = randomBytes(1)[0]!; // one corrupted byte
      expect(decodeEcdsaSignature(der)).toEqual(asn1jsDecode(der));
    }
  });
});
