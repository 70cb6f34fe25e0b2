import { hash } from 'node:crypto';

/** DER length octets: short form below 128, else `0x80 | n` then n big-endian bytes. */
function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return [0x80 | bytes.length, ...bytes];
}

/** The content octets of a non-negative DER INTEGER: minimal big-endian, a 0x00 first when the top bit is set. */
function derUnsignedInteger(value: bigint): number[] {
  const bytes: number[] = [];
  for (let rest = value; ; rest >>= 8n) {
    bytes.unshift(Number(rest & 0xffn));
    if (rest < 0x100n) break;
  }
  return (bytes[0] ?? 0) & 0x80 ? [0, ...bytes] : bytes;
}

/**
 * DER encoding of a block header as Fabric hashes it (protoutil.BlockHeaderBytes):
 * `SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }`.
 * Not the protobuf bytes. Also the last part of what orderers sign in block metadata.
 *
 * Written out by hand (three fixed fields) rather than through a general ASN.1 library, into one
 * buffer: it runs once per block wherever the chain is built or checked, and whole-chain
 * verification checks tens of thousands of blocks a second (the library's object tree, and then
 * a buffer per part, cost more than the hashing).
 */
export function blockHeaderBytes(number: bigint, previousHash: Uint8Array, dataHash: Uint8Array): Buffer {
  if (number < 0n) throw new RangeError(`block number must not be negative: ${number}`);
  const integer = derUnsignedInteger(number);
  const head = [0x02, ...derLength(integer.length), ...integer, 0x04, ...derLength(previousHash.length)];
  const dataHead = [0x04, ...derLength(dataHash.length)];
  const content = head.length + previousHash.length + dataHead.length + dataHash.length;
  const sequence = [0x30, ...derLength(content)];
  const out = Buffer.allocUnsafe(sequence.length + content);
  let at = 0;
  for (const part of [sequence, head, previousHash, dataHead, dataHash]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * The block header hash (`previous_hash` of the next block, `BlockchainInfo.currentBlockHash`,
 * the key of `GetBlockByHash`): SHA-256 of {@link blockHeaderBytes}.
 */
export function blockHeaderHash(number: bigint, previousHash: Uint8Array, dataHash: Uint8Array): Buffer {
  return hash('sha256', blockHeaderBytes(number, previousHash, dataHash), 'buffer');
}
