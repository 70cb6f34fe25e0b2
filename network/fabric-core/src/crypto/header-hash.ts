import { createHash } from 'node:crypto';

/** DER length octets: short form below 128, else `0x80 | n` then n big-endian bytes. */
function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** The content octets of a non-negative DER INTEGER: minimal big-endian, a 0x00 first when the top bit is set. */
function derUnsignedInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/**
 * DER encoding of a block header as Fabric hashes it (protoutil.BlockHeaderBytes):
 * `SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }`.
 * Not the protobuf bytes. Also the last part of what orderers sign in block metadata.
 *
 * Written out by hand (three fixed fields) rather than through a general ASN.1 library: it runs
 * once per block wherever the chain is built or checked, and whole-chain verification checks
 * tens of thousands of blocks a second (the library's object tree cost more than the hashing).
 */
export function blockHeaderBytes(number: bigint, previousHash: Uint8Array, dataHash: Uint8Array): Buffer {
  if (number < 0n) throw new RangeError(`block number must not be negative: ${number}`);
  const integer = derUnsignedInteger(number);
  const parts = [Buffer.from([0x02]), derLength(integer.length), integer, Buffer.from([0x04]), derLength(previousHash.length), previousHash, Buffer.from([0x04]), derLength(dataHash.length), dataHash];
  const content = parts.reduce((n, part) => n + part.length, 0);
  return Buffer.concat([Buffer.from([0x30]), derLength(content), ...parts]);
}

/**
 * The block header hash (`previous_hash` of the next block, `BlockchainInfo.currentBlockHash`,
 * the key of `GetBlockByHash`): SHA-256 of {@link blockHeaderBytes}.
 */
export function blockHeaderHash(number: bigint, previousHash: Uint8Array, dataHash: Uint8Array): Buffer {
  return createHash('sha256').update(blockHeaderBytes(number, previousHash, dataHash)).digest();
}
