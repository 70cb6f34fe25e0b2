import * as asn1js from 'asn1js';
import { sha256 } from './hash';

/**
 * DER encoding of a block header as Fabric hashes it (protoutil.BlockHeaderBytes):
 * `SEQUENCE { INTEGER number, OCTET STRING previous_hash, OCTET STRING data_hash }`.
 * Not the protobuf bytes. Also the last part of what orderers sign in block metadata.
 */
export function blockHeaderBytes(number: bigint, previousHash: Uint8Array, dataHash: Uint8Array): Buffer {
  if (number < 0n) throw new RangeError(`block number must not be negative: ${number}`);
  const seq = new asn1js.Sequence({
    value: [
      asn1js.Integer.fromBigInt(number),
      new asn1js.OctetString({ valueHex: previousHash }),
      new asn1js.OctetString({ valueHex: dataHash }),
    ],
  });
  return Buffer.from(seq.toBER(false));
}

/**
 * The block header hash (`previous_hash` of the next block, `BlockchainInfo.currentBlockHash`,
 * the key of `GetBlockByHash`): SHA-256 of {@link blockHeaderBytes}.
 */
export function blockHeaderHash(number: bigint, previousHash: Uint8Array, dataHash: Uint8Array): Buffer {
  return sha256(blockHeaderBytes(number, previousHash, dataHash));
}
