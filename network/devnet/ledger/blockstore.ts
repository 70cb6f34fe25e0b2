import { createHash } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import { LedgerError } from './errors';
import { blockHeaderHash } from '@healthledger/fabric-core/crypto';
import { tableKey, u64 } from './codec';
import type { KvStore } from './kv';
import { FRAME_HEADER, type RecordLog, type RecordSpan } from './record-log';
import type { BlockTransaction } from './transaction';

/** Where a transaction id was first seen, with the code the committer gave it. */
export interface TxLocation {
  readonly blockNum: bigint;
  readonly txNum: number;
  readonly code: number;
}

interface HeightWaiter {
  readonly height: bigint;
  readonly resolve: () => void;
}

/** SHA-256 over the concatenated envelopes: what `header.data_hash` must be. */
export function blockDataHash(block: common.Block): Buffer {
  const hash = createHash('sha256');
  for (const envelope of block.getData()?.getDataList_asU8() ?? []) hash.update(envelope);
  return hash.digest();
}

/**
 * The block at `at` (`length` bytes) of a run read from the block file, as a view; with `prefix`,
 * the prefix is written into the frame header bytes before it and the view starts there.
 */
function wrapInPlace(run: Buffer, at: number, length: number, prefix: ((length: number) => Uint8Array) | undefined): Buffer {
  if (!prefix) return run.subarray(at, at + length);
  const head = prefix(length);
  if (head.length > FRAME_HEADER) throw new RangeError(`a block prefix of ${head.length} bytes does not fit in a frame header`);
  run.set(head, at - head.length);
  return run.subarray(at - head.length, at + length);
}

/** Largest gap between two block records still read in one run (the file's frame header is 8 bytes). */
const RUN_GAP_BYTES = 64;

/** Where block `n` is: `u8 0 ‖ u64 offset ‖ u32 length` in the block file, or `u8 1 ‖ bytes` (in memory). */
const blockKey = (n: bigint): Buffer => tableKey('n', u64(n));
const hashKey = (hash: Uint8Array): Buffer => tableKey('b', Buffer.from(hash));
const txKey = (txId: string): Buffer => tableKey('t', txId);
/** The savepoint: the last block applied to the key-value store (see {@link Savepoint}). */
const SAVEPOINT_KEY = tableKey('S');

/** The last applied block, written in the same batch as the block's state (Fabric's savepoint). */
export interface Savepoint {
  readonly blockNum: bigint;
  readonly headerHash: Buffer;
  readonly previousHash: Buffer;
  /** Where the block's record ends in the block file (0 in memory). */
  readonly fileEnd: number;
}

function encodeSavepoint(s: Savepoint): Buffer {
  const head = Buffer.alloc(8 + 8 + 1);
  head.writeBigUInt64BE(s.blockNum, 0);
  head.writeBigUInt64BE(BigInt(s.fileEnd), 8);
  head.writeUInt8(s.headerHash.length, 16);
  return Buffer.concat([head, s.headerHash, s.previousHash]);
}

function decodeSavepoint(b: Buffer): Savepoint {
  const hashLength = b.readUInt8(16);
  return {
    blockNum: b.readBigUInt64BE(0),
    fileEnd: Number(b.readBigUInt64BE(8)),
    headerHash: Buffer.from(b.subarray(17, 17 + hashLength)),
    previousHash: Buffer.from(b.subarray(17 + hashLength)),
  };
}

/**
 * The chain of blocks and its indexes: by number, by header hash, by transaction id (first
 * occurrence, invalid transactions included), in the ledger's key-value store. Blocks are read
 * from the block file on demand (or kept in the store when the ledger is in memory); only the
 * height and the last hashes are held in memory.
 */
export class BlockStore {
  #height = 0n;
  #currentHash: Buffer = Buffer.alloc(0);
  #previousHash: Buffer = Buffer.alloc(0);
  #waiters: HeightWaiter[] = [];

  /** @param file the block file when persistent: stored spans are read back from it */
  constructor(
    private readonly kv: KvStore,
    private readonly file?: RecordLog,
  ) {
    const stored = kv.get(SAVEPOINT_KEY);
    if (stored === undefined) return;
    const savepoint = decodeSavepoint(stored);
    this.#height = savepoint.blockNum + 1n;
    this.#currentHash = savepoint.headerHash;
    this.#previousHash = savepoint.previousHash;
  }

  /** The last block applied to the store, or undefined for an empty ledger. */
  savepoint(): Savepoint | undefined {
    const stored = this.kv.get(SAVEPOINT_KEY);
    return stored === undefined ? undefined : decodeSavepoint(stored);
  }

  /** Number of blocks (the next block's number). */
  get height(): bigint {
    return this.#height;
  }

  /** Serialized block `n`, exactly as stored. */
  getBlockBytes(n: bigint): Uint8Array | undefined {
    if (n < 0n || n >= this.height) return undefined;
    const stored = this.kv.get(blockKey(n));
    if (stored === undefined) return undefined;
    if (stored.readUInt8(0) === 1) return stored.subarray(1);
    if (this.file === undefined) throw new Error('block stored in a file, but the store has none');
    return this.file.readSync({ offset: Number(stored.readBigUInt64BE(1)), length: stored.readUInt32BE(9) });
  }

  /**
   * Serialized blocks from `from` up to `to` (inclusive, below the height), exactly as stored, in
   * order: as many as fit in about `maxBytes` (at least one). Deliver streams the chain with it:
   * consecutive records of the block file come back from one read instead of one read each.
   *
   * With `prefix`, each block comes as `prefix(its length) ‖ block` (a message header of at most
   * {@link FRAME_HEADER} bytes): in a run read from the file the prefix is written over the
   * record's own frame header in the read buffer, so the block is not copied; a block kept in
   * memory is copied once.
   */
  getBlockBytesRun(from: bigint, to: bigint, maxBytes: number, prefix?: (length: number) => Uint8Array): Buffer[] {
    return this.#fileRun(from, to, maxBytes, prefix) ?? this.#indexedRun(from, to, maxBytes, prefix);
  }

  /** Where block `n` is in the block file (undefined: not stored, or kept in the store). */
  #fileSpan(n: bigint): RecordSpan | undefined {
    const stored = n < this.height ? this.kv.get(blockKey(n)) : undefined;
    if (stored === undefined || stored.readUInt8(0) !== 0) return undefined;
    return { offset: Number(stored.readBigUInt64BE(1)), length: stored.readUInt32BE(9) };
  }

  /**
   * A run of the block file found from the index entries of its first and last blocks only: the
   * file holds one record per block, in order, so the records between them are the blocks between
   * them. Reading the thousands of index entries in between cost more than the read itself
   * (whole-chain verification streams the chain with it). The frames read are counted: a run that
   * is not exactly one record per block (or outgrows the estimate) is left to {@link #indexedRun}.
   */
  #fileRun(from: bigint, to: bigint, maxBytes: number, prefix: ((length: number) => Uint8Array) | undefined): Buffer[] | undefined {
    const first = this.file === undefined ? undefined : this.#fileSpan(from);
    if (first === undefined || this.file === undefined) return undefined;
    const end = to < this.height - 1n ? to : this.height - 1n;
    // As many blocks as fit in `maxBytes` if they were the size of the first (at least one).
    const fit = BigInt(Math.max(1, Math.floor(maxBytes / (first.length + FRAME_HEADER))));
    const lastNumber = from + fit - 1n < end ? from + fit - 1n : end;
    const last = this.#fileSpan(lastNumber);
    const start = first.offset - FRAME_HEADER;
    if (last === undefined || last.offset < first.offset || last.offset + last.length - start > 2 * maxBytes + first.length) return undefined;
    const run = this.file.readSync({ offset: start, length: last.offset + last.length - start });
    const spans: RecordSpan[] = [];
    let at = 0;
    while (at + FRAME_HEADER <= run.length) {
      const length = run.readUInt32BE(at);
      spans.push({ offset: at + FRAME_HEADER, length });
      at += FRAME_HEADER + length;
    }
    if (at !== run.length || BigInt(spans.length) !== lastNumber - from + 1n || spans[0]?.length !== first.length || spans[spans.length - 1]?.length !== last.length) return undefined;
    return spans.map((span) => wrapInPlace(run, span.offset, span.length, prefix));
  }

  /** {@link getBlockBytesRun} block by block through the index (blocks kept in the store, runs with gaps). */
  #indexedRun(from: bigint, to: bigint, maxBytes: number, prefix: ((length: number) => Uint8Array) | undefined): Buffer[] {
    const blocks: Buffer[] = [];
    let spans: RecordSpan[] = [];
    let bytes = 0;
    const flush = (): void => {
      const first = spans[0];
      const last = spans[spans.length - 1];
      if (!first || !last || this.file === undefined) return;
      // From the first record's frame header: every block of the run has its header before it.
      const start = first.offset - FRAME_HEADER;
      const run = this.file.readSync({ offset: start, length: last.offset + last.length - start });
      for (const span of spans) blocks.push(wrapInPlace(run, span.offset - start, span.length, prefix));
      spans = [];
    };
    for (let n = from; n <= to && n < this.height && bytes < maxBytes; n++) {
      const stored = this.kv.get(blockKey(n));
      if (stored === undefined) break;
      if (stored.readUInt8(0) === 1) {
        flush();
        const block = stored.subarray(1);
        blocks.push(prefix ? Buffer.concat([prefix(block.length), block]) : block);
        bytes += block.length;
        continue;
      }
      if (this.file === undefined) throw new Error('block stored in a file, but the store has none');
      const span = { offset: Number(stored.readBigUInt64BE(1)), length: stored.readUInt32BE(9) };
      const previous = spans[spans.length - 1];
      // Records follow each other in the file, a frame header apart; anything else is read apart.
      if (previous && (span.offset < previous.offset + previous.length || span.offset - (previous.offset + previous.length) > RUN_GAP_BYTES)) flush();
      spans.push(span);
      bytes += span.length;
    }
    flush();
    return blocks;
  }

  /** Block `n`, freshly decoded (callers may modify it). */
  getBlock(n: bigint): common.Block | undefined {
    const bytes = this.getBlockBytes(n);
    return bytes === undefined ? undefined : common.Block.deserializeBinary(bytes);
  }

  /** The block whose header hash is `hash`. */
  getBlockByHash(hash: Uint8Array): common.Block | undefined {
    const n = this.kv.get(hashKey(hash));
    return n === undefined ? undefined : this.getBlock(n.readBigUInt64BE(0));
  }

  /** The block holding the first occurrence of `txId`. */
  getBlockByTxId(txId: string): common.Block | undefined {
    const location = this.txLocation(txId);
    return location === undefined ? undefined : this.getBlock(location.blockNum);
  }

  /** Block, index and validation code of the first transaction with this id. */
  txLocation(txId: string): TxLocation | undefined {
    const stored = this.kv.get(txKey(txId));
    if (stored === undefined) return undefined;
    return { blockNum: stored.readBigUInt64BE(0), txNum: stored.readUInt32BE(8), code: stored.readUInt8(12) };
  }

  /** Header hash of the last block (empty before block 0). */
  currentHash(): Buffer {
    return Buffer.from(this.#currentHash);
  }

  /** `previous_hash` of the last block (empty before block 1). */
  previousHash(): Buffer {
    return Buffer.from(this.#previousHash);
  }

  /** qscc `GetChainInfo`'s answer. */
  blockchainInfo(): common.BlockchainInfo {
    const info = new common.BlockchainInfo();
    info.setHeight(Number(this.#height));
    info.setCurrentblockhash(this.currentHash());
    info.setPreviousblockhash(this.previousHash());
    return info;
  }

  /**
   * Resolves once `height >= h`. On abort, rejects with the signal's reason (an AbortError unless
   * the caller gave one).
   */
  waitForHeight(h: bigint, signal?: AbortSignal): Promise<void> {
    if (this.height >= h) return Promise.resolve();
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(signal?.reason as Error);
      };
      const waiter: HeightWaiter = {
        height: h,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.#waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Checks that `block` extends the chain: next number, `previous_hash` = current header hash,
   * `data_hash` = hash of its envelopes. Returns its header hash; throws {@link LedgerError}.
   */
  verifyNext(block: common.Block): Buffer {
    const header = block.getHeader();
    if (header === undefined) throw new LedgerError(`block ${this.height}: no header`);
    const number = BigInt(header.getNumber());
    if (number !== this.height) throw new LedgerError(`block ${number}: expected block ${this.height}`);
    if (!Buffer.from(header.getPreviousHash_asU8()).equals(this.#currentHash)) {
      throw new LedgerError(`block ${number}: previous_hash does not match the header hash of block ${number - 1n}`);
    }
    const dataHash = header.getDataHash_asU8();
    if (!blockDataHash(block).equals(dataHash)) throw new LedgerError(`block ${number}: data_hash does not match its transactions`);
    return blockHeaderHash(number, header.getPreviousHash_asU8(), dataHash);
  }

  /**
   * @internal Commit path: indexes a verified block and moves the savepoint to it, in the store's
   * pending batch (waiters are woken by {@link notify}).
   */
  append(block: common.Block, headerHash: Buffer, txs: readonly BlockTransaction[], stored: Uint8Array | RecordSpan): void {
    const blockNum = this.#height;
    for (const tx of txs) {
      if (tx.txId === '' || this.kv.get(txKey(tx.txId)) !== undefined) continue;
      const location = Buffer.alloc(13);
      location.writeBigUInt64BE(blockNum, 0);
      location.writeUInt32BE(tx.txNum, 8);
      location.writeUInt8(tx.code, 12);
      this.kv.put(txKey(tx.txId), location);
    }
    this.kv.put(hashKey(headerHash), u64(blockNum));
    let where: Buffer;
    let fileEnd = 0;
    if (stored instanceof Uint8Array) {
      where = Buffer.concat([Buffer.from([1]), stored]);
    } else {
      where = Buffer.alloc(13);
      where.writeBigUInt64BE(BigInt(stored.offset), 1);
      where.writeUInt32BE(stored.length, 9);
      fileEnd = stored.offset + stored.length;
    }
    this.kv.put(blockKey(blockNum), where);
    const previousHash = Buffer.from(block.getHeader()?.getPreviousHash_asU8() ?? []);
    this.kv.put(SAVEPOINT_KEY, encodeSavepoint({ blockNum, headerHash, previousHash, fileEnd }));
    this.#previousHash = previousHash;
    this.#currentHash = headerHash;
    this.#height = blockNum + 1n;
  }

  /** @internal Wakes height waiters; called once the block's state is readable. */
  notify(): void {
    const height = this.height;
    const ready = this.#waiters.filter((w) => w.height <= height);
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.height > height);
    for (const waiter of ready) waiter.resolve();
  }
}
