import { createHash } from 'node:crypto';

/*
 * Private copy of the block header hash (spec §8.2) until the identity engineer's
 * `blockHeaderHash` in `network/devnet/crypto` lands; then this module re-exports that one.
 */

/** DER length octets (short form below 128, long form otherwise). */
function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const octets: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) octets.unshift(n & 0xff);
  return Buffer.from([0x80 | octets.length, ...octets]);
}

function derTlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

/** Minimal two's-complement big-endian octets of a non-negative integer (0 → `00`, 128 → `00 80`). */
function derIntegerContent(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  // A set high bit would read as negative: prefix a zero octet.
  return (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/**
 * Fabric's block header hash: SHA-256 of the DER encoding of
 * `SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }`.
 * Used for `previous_hash`, `BlockchainInfo.currentBlockHash` and lookups by hash.
 */
export function blockHeaderHash(number: bigint, previousHash: Uint8Array, dataHash: Uint8Array): Buffer {
  if (number < 0n) throw new RangeError(`block number must be non-negative, got ${number}`);
  const der = derTlv(
    0x30,
    Buffer.concat([
      derTlv(0x02, derIntegerContent(number)),
      derTlv(0x04, Buffer.from(previousHash)),
      derTlv(0x04, Buffer.from(dataHash)),
    ]),
  );
  return createHash('sha256').update(der).digest();
}
