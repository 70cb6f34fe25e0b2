/**
 * COMMIT_HASH metadata. Fabric chains SHA-256(varint(len(filter)) ‖ filter ‖ update
 * bytes ‖ previous commit hash) over an internal update encoding; ours uses the rwset bytes of the
 * valid transactions instead. It chains and changes with every state update, but it is NOT
 * byte-compatible with Fabric's value (no client verifies it; see docs/design/devnet-fidelity.md).
 */
import { common } from '@hyperledger/fabric-protos';
import { sha256 } from '@healthledger/fabric-core/crypto';

function varint(n: number): Buffer {
  const bytes: number[] = [];
  let v = n;
  while (v >= 0x80) {
    bytes.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  bytes.push(v);
  return Buffer.from(bytes);
}

/** The commit hash stored in a block's COMMIT_HASH slot, or empty bytes (block 0). */
export function storedCommitHash(block: common.Block | undefined): Uint8Array {
  const slot = block?.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.COMMIT_HASH];
  if (!slot || slot.length === 0) return new Uint8Array(0);
  return common.Metadata.deserializeBinary(slot).getValue_asU8();
}

/** Serialized `Metadata{value: hash}` for the COMMIT_HASH slot. */
export function commitHashMetadata(filter: Uint8Array, validRwsets: readonly Uint8Array[], previous: Uint8Array): Uint8Array {
  const metadata = new common.Metadata();
  metadata.setValue(sha256(varint(filter.length), filter, ...validRwsets, previous));
  return metadata.serializeBinary();
}
