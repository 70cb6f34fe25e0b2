import { createHash } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import { LedgerError } from './errors';
import { blockHeaderHash } from '@healthledger/fabric-core/crypto';
import type { RecordLog, RecordSpan } from './record-log';
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
 * The chain of blocks and its indexes: by number, by header hash, by transaction id (first
 * occurrence, invalid transactions included). Blocks are kept as bytes in memory, or as positions
 * in the block file when the ledger is persistent.
 */
export class BlockStore {
  readonly #blocks: Array<Uint8Array | RecordSpan> = [];
  readonly #byHash = new Map<string, number>();
  readonly #byTxId = new Map<string, TxLocation>();
  #currentHash: Buffer = Buffer.alloc(0);
  #previousHash: Buffer = Buffer.alloc(0);
  #waiters: HeightWaiter[] = [];

  /** @param file the block file when persistent: stored spans are read back from it */
  constructor(private readonly file?: RecordLog) {}

  /** Number of blocks (the next block's number). */
  get height(): bigint {
    return BigInt(this.#blocks.length);
  }

  /** Serialized block `n`, exactly as stored. */
  getBlockBytes(n: bigint): Uint8Array | undefined {
    if (n < 0n || n >= this.height) return undefined;
    const stored = this.#blocks[Number(n)];
    if (stored === undefined || stored instanceof Uint8Array) return stored;
    if (this.file === undefined) throw new Error('block stored in a file, but the store has none');
    return this.file.readSync(stored);
  }

  /** Block `n`, freshly decoded (callers may modify it). */
  getBlock(n: bigint): common.Block | undefined {
    const bytes = this.getBlockBytes(n);
    return bytes === undefined ? undefined : common.Block.deserializeBinary(bytes);
  }

  /** The block whose header hash is `hash`. */
  getBlockByHash(hash: Uint8Array): common.Block | undefined {
    const n = this.#byHash.get(Buffer.from(hash).toString('hex'));
    return n === undefined ? undefined : this.getBlock(BigInt(n));
  }

  /** The block holding the first occurrence of `txId`. */
  getBlockByTxId(txId: string): common.Block | undefined {
    const location = this.#byTxId.get(txId);
    return location === undefined ? undefined : this.getBlock(location.blockNum);
  }

  /** Block, index and validation code of the first transaction with this id. */
  txLocation(txId: string): TxLocation | undefined {
    return this.#byTxId.get(txId);
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
    info.setHeight(this.#blocks.length);
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

  /** @internal Commit path: indexes a verified block (waiters are woken by {@link notify}). */
  append(block: common.Block, headerHash: Buffer, txs: readonly BlockTransaction[], stored: Uint8Array | RecordSpan): void {
    const blockNum = this.height;
    for (const tx of txs) {
      if (tx.txId !== '' && !this.#byTxId.has(tx.txId)) {
        this.#byTxId.set(tx.txId, { blockNum, txNum: tx.txNum, code: tx.code });
      }
    }
    this.#byHash.set(headerHash.toString('hex'), this.#blocks.length);
    this.#previousHash = Buffer.from(block.getHeader()?.getPreviousHash_asU8() ?? []);
    this.#currentHash = headerHash;
    this.#blocks.push(stored);
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
