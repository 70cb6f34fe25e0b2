/**
 * What the chain check needs, read straight from a serialized `common.Block`: the header's number,
 * `previous_hash` and `data_hash`, and the data entries (the envelopes), as views into the bytes
 * the peer sent. Whole-chain verification reads tens of thousands of blocks a second; decoding each
 * into google-protobuf objects (every envelope copied, the metadata and its signatures too) cost
 * more than the hashing it feeds. protobufjs's Reader walks the wire format; fields the check does
 * not need (the metadata, unknown fields) are skipped, never decoded.
 *
 * `common.Block { BlockHeader header = 1; BlockData data = 2; BlockMetadata metadata = 3; }`,
 * `BlockHeader { uint64 number = 1; bytes previous_hash = 2; bytes data_hash = 3; }`,
 * `BlockData { repeated bytes data = 1; }` (fabric-protos, common/common.proto).
 */
import { Reader } from 'protobufjs/minimal';
import type { ChainLink } from './integrity';

/** Protobuf wire type of a length-delimited field (bytes, embedded message). */
const LENGTH_DELIMITED = 2;
/** Protobuf wire type of a varint field. */
const VARINT = 0;

const EMPTY = Buffer.alloc(0);

/** A block the reader cannot walk: truncated, or a field of the wrong wire type. */
export class MalformedBlockError extends Error {
  override readonly name = 'MalformedBlockError';
}

/** A `uint64` as a bigint (protobufjs answers a Long: two 32-bit halves). */
function uint64(reader: Reader): bigint {
  const long = reader.uint64() as unknown as { low: number; high: number };
  return (BigInt(long.high >>> 0) << 32n) | BigInt(long.low >>> 0);
}

/** Reads `BlockHeader` from `bytes` into `link`. */
function readHeader(bytes: Uint8Array, link: ChainLink): void {
  const reader = Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field === 1 && wireType === VARINT) link.number = uint64(reader);
    else if (field === 2 && wireType === LENGTH_DELIMITED) link.previousHash = reader.bytes() as Buffer;
    else if (field === 3 && wireType === LENGTH_DELIMITED) link.dataHash = reader.bytes() as Buffer;
    else if (field >= 1 && field <= 3) throw new MalformedBlockError(`block header field ${field} has wire type ${wireType}`);
    else reader.skipType(wireType);
  }
}

/** Appends the entries of `BlockData` in `bytes` to `data`. */
function readData(bytes: Uint8Array, data: Uint8Array[]): void {
  const reader = Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (tag >>> 3 !== 1) reader.skipType(tag & 7);
    else if ((tag & 7) === LENGTH_DELIMITED) data.push(reader.bytes());
    else throw new MalformedBlockError(`block data entry has wire type ${tag & 7}`);
  }
}

/**
 * The chain link of a serialized block, as `chainLinkOf` reads it from a decoded one (missing
 * fields read as protobuf defaults: 0, empty). The hashes and envelopes are views into `bytes`.
 * Throws {@link MalformedBlockError} on bytes that are not a block.
 */
export function chainLinkOfBytes(bytes: Uint8Array): ChainLink {
  const link: ChainLink = { number: 0n, previousHash: EMPTY, dataHash: EMPTY, data: [] };
  try {
    // Over a Buffer (a view, not a copy) protobufjs's reader answers Buffer views, as ChainLink holds them.
    const reader = Reader.create(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      const field = tag >>> 3;
      const wireType = tag & 7;
      if (field === 1 && wireType === LENGTH_DELIMITED) readHeader(reader.bytes(), link);
      else if (field === 2 && wireType === LENGTH_DELIMITED) readData(reader.bytes(), link.data);
      else reader.skipType(wireType);
    }
  } catch (err) {
    if (err instanceof MalformedBlockError) throw err;
    // protobufjs's RangeError ("index out of range") and "invalid wire type": not a block.
    throw new MalformedBlockError(`not a serialized block: ${(err as Error).message}`);
  }
  return link;
}
