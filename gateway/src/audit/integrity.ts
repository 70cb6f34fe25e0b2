/**
 * Ledger integrity: each block's `data_hash` must be the SHA-256 of its envelopes, and each
 * block's `previous_hash` the header hash of the block before it — SHA-256 of the DER encoding of
 * `SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }` (Fabric's
 * protoutil.BlockHeaderBytes; docs/design/fabric-conformance.md, section l), not of the protobuf bytes.
 * fabric-core's `blockHeaderHash` computes it, as it does for the devnet's orderer and ledger.
 */
import { createHash, hash } from 'node:crypto';
import type { common } from '@hyperledger/fabric-protos';
import { blockHeaderHash } from '@healthledger/fabric-core/crypto';

/** SHA-256 over the concatenated envelopes of a block (Fabric's protoutil.BlockDataHash). */
export function blockDataHash(data: readonly Uint8Array[]): Buffer {
  // One envelope (most blocks of a quiet chain): the one-shot hash, about half the cost of a Hash object.
  if (data.length === 1 && data[0]) return hash('sha256', data[0], 'buffer');
  const sha256 = createHash('sha256');
  for (const envelope of data) sha256.update(envelope);
  return sha256.digest();
}

/** A block reduced to what the chain check needs. */
export interface ChainLink {
  number: bigint;
  /** Buffers (views, when read by raw-block.ts), compared with `equals`. */
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
