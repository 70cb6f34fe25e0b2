import { common, type ledger } from '@hyperledger/fabric-protos';
import { blockHeaderHash } from '@healthledger/fabric-core/crypto';
import type { BlockStore } from './blockstore';
import { LedgerCorruptError, LedgerError } from './errors';
import { decodePvtRecord } from './pvt-record';
import type { PvtDataByOrg } from './pvt-selection';
import { RecordDamageError, type RecordLog, type RecordSpan } from './record-log';
import { readBlockTransactions, type BlockTransaction } from './transaction';

/*
 * Catching the key-value store up with the block file on open: only blocks above the savepoint
 * (the last block whose batch reached the store) are applied again, with the private data the
 * write-ahead files still hold for them. Without a store (first open of an older layout, or a
 * deleted state directory) that is every block, each verified.
 */

interface PvtBlock {
  readonly txs: ReadonlyMap<number, ledger.rwset.TxPvtReadWriteSet>;
  /** Where the record starts in its file (to cut records of blocks that never got written). */
  readonly frameOffset: number;
}

/** Reads an org's private data file into blockNum → record. */
async function readPvtFile(file: RecordLog): Promise<Map<bigint, PvtBlock>> {
  const records = new Map<bigint, PvtBlock>();
  let last = -1n;
  try {
    for await (const record of file.scan()) {
      let decoded;
      try {
        decoded = decodePvtRecord(record.payload);
      } catch (err) {
        throw new LedgerCorruptError(`${file.path}: record ${record.index} does not decode: ${(err as Error).message}`);
      }
      if (decoded.blockNum <= last) {
        throw new LedgerCorruptError(`${file.path}: record ${record.index} is for block ${decoded.blockNum}, after block ${last}`, decoded.blockNum);
      }
      last = decoded.blockNum;
      records.set(decoded.blockNum, { txs: decoded.txs, frameOffset: record.frameOffset });
    }
  } catch (err) {
    if (err instanceof RecordDamageError) throw new LedgerCorruptError(`private data file damaged: ${err.message}`);
    throw err;
  }
  return records;
}

function decodeBlock(payload: Buffer, expected: bigint): common.Block {
  let block: common.Block;
  try {
    block = common.Block.deserializeBinary(payload);
  } catch (err) {
    throw new LedgerCorruptError(`block ${expected} does not decode: ${(err as Error).message}`, expected);
  }
  const number = block.getHeader()?.getNumber();
  if (number === undefined || BigInt(number) !== expected) {
    throw new LedgerCorruptError(`block file record ${expected} holds block ${number ?? '(no header)'}`, expected);
  }
  return block;
}

/** What replay drives: the ledger's block store and its apply-and-flush step. */
export interface ReplayTarget {
  readonly blocks: BlockStore;
  /** Indexes and applies one verified block, then writes it to the store with its savepoint. */
  apply(block: common.Block, headerHash: Buffer, txs: BlockTransaction[], span: RecordSpan, pvtByOrg: PvtDataByOrg): Promise<void>;
}

/** Checks that the block file still holds the savepoint's block, unchanged. */
function checkSavepointBlock(blocks: BlockStore): void {
  const savepoint = blocks.savepoint();
  if (savepoint === undefined) return;
  let bytes: Uint8Array | undefined;
  try {
    bytes = blocks.getBlockBytes(savepoint.blockNum);
  } catch (err) {
    throw new LedgerCorruptError(`block file does not hold block ${savepoint.blockNum}, the last block applied: ${(err as Error).message}`, savepoint.blockNum);
  }
  const block = bytes === undefined ? undefined : decodeBlock(Buffer.from(bytes), savepoint.blockNum);
  const header = block?.getHeader();
  const hash = header === undefined ? undefined : blockHeaderHash(savepoint.blockNum, header.getPreviousHash_asU8(), header.getDataHash_asU8());
  if (hash === undefined || !hash.equals(savepoint.headerHash)) {
    throw new LedgerCorruptError(`block file: block ${savepoint.blockNum} is not the block the state was built from`, savepoint.blockNum);
  }
}

/**
 * Applies the block file's records above the savepoint (with each org's private data), cuts a torn
 * last record, then empties the private data files: everything they held is either applied or
 * belongs to a block that never reached the block file (logged).
 */
export async function replayLedger(
  target: ReplayTarget,
  files: { readonly blocks: RecordLog; readonly pvt: ReadonlyMap<string, RecordLog> },
  log: (message: string) => void,
): Promise<void> {
  checkSavepointBlock(target.blocks);
  const pvtFiles = new Map<string, Map<bigint, PvtBlock>>();
  for (const [mspId, file] of files.pvt) pvtFiles.set(mspId, await readPvtFile(file));
  const savepoint = target.blocks.savepoint();
  const from = { offset: savepoint?.fileEnd ?? 0, index: Number(target.blocks.height) };
  try {
    for await (const record of files.blocks.scan(from)) {
      const blockNum = BigInt(record.index);
      const block = decodeBlock(record.payload, blockNum);
      try {
        const headerHash = target.blocks.verifyNext(block);
        const txs = readBlockTransactions(block);
        const pvtByOrg: PvtDataByOrg = new Map();
        for (const [mspId, records] of pvtFiles) {
          const pvt = records.get(blockNum);
          if (pvt !== undefined) pvtByOrg.set(mspId, new Map(pvt.txs));
        }
        await target.apply(block, headerHash, txs, { offset: record.offset, length: record.length }, pvtByOrg);
      } catch (err) {
        if (err instanceof LedgerError) throw new LedgerCorruptError(`block file: ${err.message}`, blockNum);
        throw err;
      }
    }
  } catch (err) {
    if (err instanceof RecordDamageError) {
      throw new LedgerCorruptError(`block file damaged at block ${err.index}: ${err.message}`, BigInt(err.index));
    }
    throw err;
  }
  if (files.blocks.truncatedBytes > 0) {
    log(`${files.blocks.path}: cut a torn last record (${files.blocks.truncatedBytes} bytes) after block ${target.blocks.height - 1n}`);
  }
  await emptyPvtFiles(target.blocks.height, pvtFiles, files.pvt, log);
}

async function emptyPvtFiles(
  height: bigint,
  pvtFiles: ReadonlyMap<string, Map<bigint, PvtBlock>>,
  files: ReadonlyMap<string, RecordLog>,
  log: (message: string) => void,
): Promise<void> {
  for (const [mspId, records] of pvtFiles) {
    const file = files.get(mspId);
    if (file === undefined) continue;
    const orphans = [...records.keys()].filter((blockNum) => blockNum >= height);
    const first = orphans[0];
    if (first !== undefined) log(`${file.path}: dropped private data of ${orphans.length} block(s) from block ${first} on (never committed)`);
    if (file.size > 0) await file.truncate(0);
  }
}
