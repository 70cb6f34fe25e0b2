/**
 * Ledger integrity: each block's `data_hash` must be the SHA-256 of its envelopes, and each
 * block's `previous_hash` the header hash of the block before it — SHA-256 of the DER encoding of
 * `SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }` (Fabric's
 * protoutil.BlockHeaderBytes; docs/design/fabric-conformance.md, section l), not of the protobuf bytes.
 */
import { createHash } from 'node:crypto';
import type { common } from '@hyperledger/fabric-protos';

/** DER length octets. */
function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function derTlv(tag: number, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(value.length), value]);
}

/** Minimal two's-complement big-endian encoding of a non-negative integer (0 → 00, 128 → 00 80). */
function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, 'hex');
  if ((bytes[0] ?? 0) & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return derTlv(0x02, bytes);
}

/** The header hash of a block header (what the next block's `previous_hash` must equal). */
export function blockHeaderHash(number: bigint, previousHash: Uint8Array, dataHash: Uint8Array): Buffer {
  const der = derTlv(0x30, Buffer.concat([derInteger(number), derTlv(0x04, Buffer.from(previousHash)), derTlv(0x04, Buffer.from(dataHash))]));
  return createHash('sha256').update(der).digest();
}

/** SHA-256 over the concatenated envelopes of a block. */
export function blockDataHash(data: readonly Uint8Array[]): Buffer {
  const hash = createHash('sha256');
  for (const envelope of data) hash.update(envelope);
  return hash.digest();
}

/** A block reduced to what the chain check needs. */
export interface ChainLink {
  number: bigint;
  previousHash: Buffer;
  dataHash: Buffer;
  data: Uint8Array[];
}

export function chainLinkOf(block: common.Block): ChainLink {
  const header = block.getHeader();
  return {
    number: BigInt(header?.getNumber() ?? 0),
    previousHash: Buffer.from(header?.getPreviousHash_asU8() ?? new Uint8Array()),
    dataHash: Buffer.from(header?.getDataHash_asU8() ?? new Uint8Array()),
    data: block.getData()?.getDataList_asU8() ?? [],
  };
}

/** The first inconsistency found, if any. */
export interface IntegrityFailure {
  block: string;
  reason: 'DATA_HASH_MISMATCH' | 'PREVIOUS_HASH_MISMATCH' | 'CHAIN_HEAD_MISMATCH' | 'NUMBER_GAP';
}

/**
 * Checks one block against its predecessor's header hash (undefined for the first block checked,
 * whose own previous hash is then trusted). Returns the block's header hash, or a failure.
 */
export function checkLink(link: ChainLink, expectedNumber: bigint, previousHeaderHash: Buffer | undefined): Buffer | IntegrityFailure {
  const block = link.number.toString();
  if (link.number !== expectedNumber) return { block, reason: 'NUMBER_GAP' };
  if (!blockDataHash(link.data).equals(link.dataHash)) return { block, reason: 'DATA_HASH_MISMATCH' };
  if (previousHeaderHash && !previousHeaderHash.equals(link.previousHash)) return { block, reason: 'PREVIOUS_HASH_MISMATCH' };
  return blockHeaderHash(link.number, link.previousHash, link.dataHash);
}
