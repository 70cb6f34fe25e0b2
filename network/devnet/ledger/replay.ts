import { common, type ledger } from '@hyperledger/fabric-protos';
import { applyBlock, type WriteTargets } from './block-apply';
import type { BlockStore } from './blockstore';
import { LedgerCorruptError, LedgerError } from './errors';
import { decodePvtRecord } from './pvt-record';
import { RecordDamageError, type RecordLog } from './record-log';
import { readBlockTransactions } from './transaction';

/*
 * Rebuilding a persistent ledger on open: state, history, private stores and indexes
 * are recomputed by replaying every block, so they cannot drift from the block file.
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

/**
 * Replays the block file (with each org's private data) into `target`, then drops private data
 * records of blocks that were never written (a crash between the two fsyncs).
 */
export async function replayLedger(
  target: { readonly blocks: BlockStore; readonly targets: WriteTargets },
  files: { readonly blocks: RecordLog; readonly pvt: ReadonlyMap<string, RecordLog> },
  log: (message: string) => void,
): Promise<void> {
  const pvtFiles = new Map<string, Map<bigint, PvtBlock>>();
  for (const [mspId, file] of files.pvt) pvtFiles.set(mspId, await readPvtFile(file));
  try {
    for await (const record of files.blocks.scan()) {
      const blockNum = BigInt(record.index);
      const block = decodeBlock(record.payload, blockNum);
      try {
        const headerHash = target.blocks.verifyNext(block);
        const txs = readBlockTransactions(block);
        const pvtByOrg = new Map<string, ReadonlyMap<number, ledger.rwset.TxPvtReadWriteSet>>();
        for (const [mspId, records] of pvtFiles) {
          const pvt = records.get(blockNum);
          if (pvt !== undefined) pvtByOrg.set(mspId, pvt.txs);
        }
        target.blocks.append(block, headerHash, txs, { offset: record.offset, length: record.length });
        applyBlock(target.targets, blockNum, txs, pvtByOrg);
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
  await dropOrphans(target.blocks.height, pvtFiles, files.pvt, log);
}

async function dropOrphans(
  height: bigint,
  pvtFiles: ReadonlyMap<string, Map<bigint, PvtBlock>>,
  files: ReadonlyMap<string, RecordLog>,
  log: (message: string) => void,
): Promise<void> {
  for (const [mspId, records] of pvtFiles) {
    const file = files.get(mspId);
    const orphans = [...records].filter(([blockNum]) => blockNum >= height);
    const first = orphans[0];
    if (file === undefined || first === undefined) continue;
    log(`${file.path}: dropped private data of ${orphans.length} block(s) from block ${first[0]} on (never committed)`);
    await file.truncate(first[1].frameOffset);
  }
}
