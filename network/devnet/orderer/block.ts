/**
 * Block construction: header hash chain, data hash, and the five metadata slots an
 * orderer fills — SIGNATURES signed by the orderer, LAST_CONFIG, and empty TRANSACTIONS_FILTER,
 * ORDERER and COMMIT_HASH slots that the committer completes.
 */
import { randomBytes } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import { blockHeaderBytes, sha256 } from '@healthledger/fabric-core/crypto';
import type { SigningIdentity } from '@healthledger/fabric-core/pki';

/** Number of `BlockMetadataIndex` slots every block carries. */
export const METADATA_SLOTS = 5;

/** Inputs of one block; `nonce` is injectable for deterministic tests. */
export interface BlockInput {
  number: bigint;
  previousHash: Uint8Array;
  envelopes: Uint8Array[];
  signer: SigningIdentity;
  /** Index of the last config block (0 until a config update, see channelconfig/config-update.ts). */
  lastConfigIndex?: bigint;
  nonce?: () => Uint8Array;
}

/** Builds and signs a block whose TRANSACTIONS_FILTER the committer has yet to fill. */
export function buildBlock(input: BlockInput): common.Block {
  const header = new common.BlockHeader();
  header.setNumber(Number(input.number));
  header.setPreviousHash(input.previousHash);
  header.setDataHash(sha256(...input.envelopes));
  const data = new common.BlockData();
  data.setDataList(input.envelopes);

  const lastConfig = new common.LastConfig();
  lastConfig.setIndex(Number(input.lastConfigIndex ?? 0n));
  const lastConfigMetadata = new common.Metadata();
  lastConfigMetadata.setValue(lastConfig.serializeBinary());

  const metadata = new common.BlockMetadata();
  const slots: Uint8Array[] = new Array<Uint8Array>(METADATA_SLOTS).fill(new Uint8Array(0));
  slots[common.BlockMetadataIndex.SIGNATURES] = signaturesMetadata(header, input).serializeBinary();
  slots[common.BlockMetadataIndex.LAST_CONFIG] = lastConfigMetadata.serializeBinary();
  metadata.setMetadataList(slots);

  const block = new common.Block();
  block.setHeader(header);
  block.setData(data);
  block.setMetadata(metadata);
  return block;
}

/**
 * SIGNATURES = Metadata{value: OrdererBlockMetadata{last_config, consenter_metadata}, signatures:
 * [orderer signature over value ‖ signature_header ‖ header DER]}.
 */
function signaturesMetadata(header: common.BlockHeader, input: BlockInput): common.Metadata {
  const lastConfig = new common.LastConfig();
  lastConfig.setIndex(Number(input.lastConfigIndex ?? 0n));
  const ordererMetadata = new common.OrdererBlockMetadata();
  ordererMetadata.setLastConfig(lastConfig);
  // A solo-style orderer has no consenter state; Metadata{} serializes to zero bytes.
  ordererMetadata.setConsenterMetadata(new common.Metadata().serializeBinary());
  const value = ordererMetadata.serializeBinary();

  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(input.signer.serialized);
  signatureHeader.setNonce(input.nonce ? input.nonce() : randomBytes(24));
  const signatureHeaderBytes = signatureHeader.serializeBinary();
  const headerDer = blockHeaderBytes(BigInt(header.getNumber()), header.getPreviousHash_asU8(), header.getDataHash_asU8());

  const signature = new common.MetadataSignature();
  signature.setSignatureHeader(signatureHeaderBytes);
  signature.setSignature(input.signer.sign(Buffer.concat([value, signatureHeaderBytes, headerDer])));
  const metadata = new common.Metadata();
  metadata.setValue(value);
  metadata.setSignaturesList([signature]);
  return metadata;
}
