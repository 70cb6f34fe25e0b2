import { ledger } from '@hyperledger/fabric-protos';

/*
 * One record of an org's private data file: the private write sets the org keeps for one block.
 * Layout (big-endian): u64 blockNum ‖ u32 count ‖ count × (u32 txNum ‖ u32 length ‖
 * TxPvtReadWriteSet bytes). The collection rwset bytes inside are the ones the endorser produced,
 * so their hashes match the block's `pvt_rwset_hash` — except where a purge or expiry has since
 * removed writes and the file was rewritten (Ledger compaction); replay does not re-check them.
 */

/** The private data of one block for one org, by tx index. */
export interface BlockPvtRecord {
  readonly blockNum: bigint;
  readonly txs: ReadonlyMap<number, ledger.rwset.TxPvtReadWriteSet>;
}

/**
 * Each write set is serialized once and copied once, into the record: a private write set can hold
 * a 4 MiB document, and every further copy is that much more garbage at commit.
 */
export function encodePvtRecord(record: BlockPvtRecord): Buffer {
  const head = Buffer.alloc(12);
  head.writeBigUInt64BE(record.blockNum, 0);
  head.writeUInt32BE(record.txs.size, 8);
  const parts: Uint8Array[] = [head];
  for (const [txNum, pvt] of record.txs) {
    const bytes = pvt.serializeBinary();
    const entryHead = Buffer.alloc(8);
    entryHead.writeUInt32BE(txNum, 0);
    entryHead.writeUInt32BE(bytes.length, 4);
    parts.push(entryHead, bytes);
  }
  return Buffer.concat(parts);
}

/** Decodes a record; throws on any inconsistency (the caller reports the file and record). */
export function decodePvtRecord(payload: Buffer): BlockPvtRecord {
  const { record, end } = decodePvtRecordHead(payload);
  if (end !== payload.length) throw new RangeError(`${payload.length - end} trailing bytes`);
  return record;
}

/** Decodes a record at the start of `payload`; `end`: where it ends (the ledger's `w` records go on with blob references). */
export function decodePvtRecordHead(payload: Buffer): { record: BlockPvtRecord; end: number } {
  const blockNum = payload.readBigUInt64BE(0);
  const count = payload.readUInt32BE(8);
  const txs = new Map<number, ledger.rwset.TxPvtReadWriteSet>();
  let at = 12;
  for (let i = 0; i < count; i++) {
    const txNum = payload.readUInt32BE(at);
    const length = payload.readUInt32BE(at + 4);
    at += 8;
    if (at + length > payload.length) throw new RangeError(`entry ${i} overruns the record`);
    txs.set(txNum, ledger.rwset.TxPvtReadWriteSet.deserializeBinary(payload.subarray(at, at + length)));
    at += length;
  }
  return { record: { blockNum, txs }, end: at };
}
