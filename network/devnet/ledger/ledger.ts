import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { common, type ledger } from '@hyperledger/fabric-protos';
import { applyBlock, type WriteTargets } from './block-apply';
import { BlobStore } from './blob-store';
import { BlockStore } from './blockstore';
import { syncDirectory } from './durable';
import { CommitLock } from './commit-lock';
import { LedgerClosedError, LedgerError } from './errors';
import { ExpirySchedule, type CollectionBlockToLive } from './expiry';
import { HistoryDb } from './history';
import { KvStore } from './kv';
import { PrivateStore } from './private-store';
import { encodePvtRecord } from './pvt-record';
import { selectPrivateData, type CollectionMembers, type PvtDataByOrg } from './pvt-selection';
import { PurgeMarkers } from './purge-markers';
import { RecordLog, type RecordSpan } from './record-log';
import { replayLedger } from './replay';
import { StateDb } from './statedb';
import { readBlockTransactions, transactionsFilter, TX_VALID, type BlockTransaction, type NamespaceWrites } from './transaction';

/** How to open a ledger. */
export interface LedgerOptions {
  /** Data directory; undefined keeps everything in memory. */
  readonly dir?: string;
  /** MSP ids of the organisations whose peers keep private data. */
  readonly orgs: readonly string[];
  /** Where notable events go (torn tail cut on open, private data rejected at commit). */
  readonly log?: (message: string) => void;
  /**
   * `block_to_live` of each collection (default: 0, kept forever). Read at commit and on replay,
   * so it must describe the collections as defined when their blocks were committed.
   */
  readonly blockToLive?: CollectionBlockToLive;
  /**
   * With `dir`: collection rwsets from this many bytes on are kept once, as files under `blobs/`,
   * outside LevelDB (default 64 KiB; blob-store.ts).
   */
  readonly largePrivateRwset?: number;
}

/** Per-block commit options. */
export interface CommitOptions {
  /** Member orgs of a collection: they keep its private data. Required when `pvtData` is not empty. */
  readonly collectionMembers?: CollectionMembers;
  /**
   * The write sets of the block's VALID endorser transactions, by index in the block, as the
   * committer already decoded them while validating: the ledger then skips decoding them again
   * (a transaction missing here is decoded from the block, as without this option).
   */
  readonly decodedWrites?: ReadonlyMap<number, readonly NamespaceWrites[]>;
}

/** The files of a persistent ledger. */
interface LedgerFiles {
  readonly blocks: RecordLog;
  readonly pvt: ReadonlyMap<string, RecordLog>;
}

/** File names are derived from MSP ids; keep them to a safe alphabet. */
function pvtFileName(mspId: string): string {
  return `pvtdata-${encodeURIComponent(mspId)}.dat`;
}

/** Fabric's peer marks every transaction of the genesis block VALID when it joins the channel. */
function fillGenesisFilter(block: common.Block): void {
  if (block.getHeader()?.getNumber() !== 0 || transactionsFilter(block).length > 0) return;
  const count = block.getData()?.getDataList().length ?? 0;
  const metadata = block.getMetadata() ?? new common.BlockMetadata();
  const entries = metadata.getMetadataList_asU8().slice();
  while (entries.length <= common.BlockMetadataIndex.TRANSACTIONS_FILTER) entries.push(new Uint8Array(0));
  entries[common.BlockMetadataIndex.TRANSACTIONS_FILTER] = new Uint8Array(count).fill(TX_VALID);
  metadata.setMetadataList(entries);
  block.setMetadata(metadata);
}

/**
 * The channel's ledger as all simulated peers share it: blocks, public and hashed state, history,
 * and one private store per organisation, kept in an embedded key-value store (LevelDB on disk,
 * its in-memory stand-in otherwise) with a savepoint, so that opening applies only the blocks the
 * store has not seen.
 */
export class Ledger {
  readonly blocks: BlockStore;
  readonly state: StateDb;
  readonly history: HistoryDb;
  readonly #kv: KvStore;
  readonly #purges: PurgeMarkers;
  readonly #expiry: ExpirySchedule;
  readonly #privateStores: ReadonlyMap<string, PrivateStore>;
  readonly #blobs: BlobStore | undefined;
  readonly #listeners = new Set<(blockNum: bigint) => void>();
  readonly #log: (message: string) => void;
  /** Simulations hold it shared, block commits exclusively (see {@link holdForSimulation}). */
  readonly #commitLock = new CommitLock();
  #queue: Promise<unknown> = Promise.resolve();
  /** Set when closed or when a write failed half-way: the ledger must be reopened. */
  #unusable?: string;

  private constructor(
    readonly orgs: readonly string[],
    kv: KvStore,
    private readonly files: LedgerFiles | undefined,
    opts: LedgerOptions,
  ) {
    this.#kv = kv;
    this.blocks = new BlockStore(kv, files?.blocks);
    this.state = new StateDb(kv);
    this.history = new HistoryDb(kv);
    this.#purges = new PurgeMarkers(kv);
    this.#expiry = new ExpirySchedule(kv, opts.blockToLive ?? (() => 0n));
    this.#blobs = opts.dir === undefined ? undefined : new BlobStore(join(opts.dir, 'blobs'), kv);
    const blobs = this.#blobs;
    this.#privateStores = new Map(orgs.map((mspId) => [mspId, new PrivateStore(mspId, kv, this.#purges, blobs, opts.largePrivateRwset)]));
    this.#log = opts.log ?? ((message) => console.warn(`[ledger] ${message}`));
  }

  /**
   * Opens a ledger. With `dir`, opens its key-value store (`state/`), checks that the block file
   * still holds the savepoint's block, applies the blocks above the savepoint (verifying CRCs and
   * the hash chain, cutting a torn last record) and throws {@link LedgerCorruptError} naming the
   * damaged block otherwise.
   */
  static async open(opts: LedgerOptions): Promise<Ledger> {
    if (opts.dir === undefined) return new Ledger(opts.orgs, await KvStore.open(), undefined, opts);
    await mkdir(opts.dir, { recursive: true });
    const kv = await KvStore.open(join(opts.dir, 'state'));
    let blocks: RecordLog;
    try {
      blocks = await RecordLog.open(join(opts.dir, 'blocks.dat'));
    } catch (err) {
      await kv.close();
      throw err;
    }
    const pvt = new Map<string, RecordLog>();
    const ledger = new Ledger(opts.orgs, kv, { blocks, pvt }, opts);
    try {
      for (const mspId of opts.orgs) {
        const path = join(opts.dir, pvtFileName(mspId));
        // The temporary file of an older layout's rewrite, left by a crash before its rename.
        await rm(`${path}.compact`, { force: true });
        pvt.set(mspId, await RecordLog.open(path));
      }
      await ledger.#blobs?.recover(ledger.blocks.savepoint() === undefined);
      await syncDirectory(opts.dir); // the new files' directory entries must survive a crash too
      await replayLedger(
        { blocks: ledger.blocks, apply: (block, hash, txs, span, pvtByOrg) => ledger.#applyAndStore(block, hash, txs, span, pvtByOrg, true) },
        { blocks, pvt },
        ledger.#log,
      );
    } catch (err) {
      await ledger.#closeFiles();
      throw err;
    }
    return ledger;
  }

  /** The private data held by an organisation's peers. */
  privateStore(mspId: string): PrivateStore {
    const store = this.#privateStores.get(mspId);
    if (store === undefined) throw new LedgerError(`no private store for ${mspId}: not one of the ledger's orgs`);
    return store;
  }

  /**
   * A shared hold on the state for one simulation: no block commits until every hold is released,
   * so the simulation reads one consistent state. Call the returned function exactly once.
   */
  holdForSimulation(): Promise<() => void> {
    return this.#commitLock.acquireShared();
  }

  /**
   * Commits a validated block (TRANSACTIONS_FILTER filled): private data first, then the block
   * (each fsynced when persistent), then state, history, indexes and the savepoint in one atomic
   * batch of the key-value store, then height waiters and listeners. Calls are serialised, and
   * each waits for running simulations (while later ones wait for it).
   */
  commitBlock(
    block: common.Block,
    pvtData: ReadonlyMap<number, ledger.rwset.TxPvtReadWriteSet> = new Map(),
    opts: CommitOptions = {},
  ): Promise<void> {
    const run = this.#queue.then(() => this.#commitExclusively(block, pvtData, opts));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #commitExclusively(block: common.Block, pvtData: ReadonlyMap<number, ledger.rwset.TxPvtReadWriteSet>, opts: CommitOptions): Promise<void> {
    const release = await this.#commitLock.acquireExclusive();
    try {
      await this.#commit(block, pvtData, opts);
    } finally {
      release();
    }
  }

  async #commit(block: common.Block, pvtData: ReadonlyMap<number, ledger.rwset.TxPvtReadWriteSet>, opts: CommitOptions): Promise<void> {
    if (this.#unusable !== undefined) throw new LedgerClosedError(this.#unusable);
    fillGenesisFilter(block);
    const headerHash = this.blocks.verifyNext(block);
    const blockNum = this.blocks.height;
    const txs = readBlockTransactions(block, opts.decodedWrites);
    if (pvtData.size > 0 && opts.collectionMembers === undefined) {
      throw new LedgerError(`block ${blockNum}: private data given without collectionMembers`);
    }
    const members = opts.collectionMembers ?? (() => []);
    const pvtByOrg = selectPrivateData(blockNum, txs, pvtData, this.orgs, members, this.#log);
    const bytes = block.serializeBinary();
    try {
      let stored: Uint8Array | RecordSpan = bytes;
      if (this.files !== undefined) {
        await this.#persistPvt(blockNum, pvtByOrg);
        const [span] = await this.files.blocks.append([bytes]);
        if (span !== undefined) stored = span;
      }
      await this.#applyAndStore(block, headerHash, txs, stored, pvtByOrg, false);
    } catch (err) {
      this.#unusable = `ledger unusable after a failed write of block ${blockNum}: ${(err as Error).message}`;
      throw err;
    }
    this.blocks.notify();
    for (const listener of this.#listeners) {
      try {
        listener(blockNum);
      } catch (err) {
        this.#log(`commit listener failed for block ${blockNum}: ${(err as Error).message}`);
      }
    }
  }

  /**
   * Indexes and applies a block whose records are durable, writes it to the key-value store in one
   * batch with the savepoint, empties the private data files it used, and compacts away what a
   * purge or expiry removed. Shared by commit and replay.
   */
  async #applyAndStore(
    block: common.Block,
    headerHash: Buffer,
    txs: readonly BlockTransaction[],
    stored: Uint8Array | RecordSpan,
    pvtByOrg: PvtDataByOrg,
    replaying: boolean,
  ): Promise<void> {
    const blockNum = this.blocks.height;
    try {
      this.blocks.append(block, headerHash, txs, stored);
      applyBlock(this.#targets(), blockNum, txs, pvtByOrg);
    } catch (err) {
      this.#kv.discard();
      this.#blobs?.discard();
      throw err;
    }
    // Durable before the batch that refers to them (the block and its private data already are).
    await this.#blobs?.writeStaged();
    const erased = [...this.#privateStores.values()].flatMap((store) => store.takeErased());
    const hasPvt = [...pvtByOrg.values()].some((txs) => txs.size > 0);
    // The private data files may be emptied only once the store has the block durably.
    await this.#kv.flush(hasPvt || erased.length > 0 || replaying);
    if (hasPvt && !replaying) await this.#emptyPvtFiles();
    await this.#blobs?.finishDeletes();
    // Before anyone learns of the commit: an erasure is answered only once its bytes are gone.
    if (erased.length > 0) await this.#compact(blockNum, erased);
  }

  async #persistPvt(blockNum: bigint, pvtByOrg: PvtDataByOrg): Promise<void> {
    const writes: Promise<unknown>[] = [];
    for (const [mspId, txs] of pvtByOrg) {
      const log = this.files?.pvt.get(mspId);
      if (log !== undefined && txs.size > 0) writes.push(log.append([encodePvtRecord({ blockNum, txs })]));
    }
    await Promise.all(writes);
  }

  async #emptyPvtFiles(): Promise<void> {
    await Promise.all([...(this.files?.pvt.values() ?? [])].filter((log) => log.size > 0).map((log) => log.truncate(0)));
  }

  /**
   * Purges and block-to-live expiry must remove private values from disk (GDPR erasure), not only
   * hide them: LevelDB rewrites the files holding the affected keys. A failure is logged rather
   * than failing a block that is already durable; the next compaction covers it.
   */
  async #compact(blockNum: bigint, erased: readonly Buffer[]): Promise<void> {
    const sorted = [...erased].sort((a, b) => Buffer.compare(a, b));
    const from = sorted[0];
    const to = sorted[sorted.length - 1];
    if (from === undefined || to === undefined) return;
    try {
      await this.#kv.compact(from, to);
    } catch (err) {
      this.#log(`compaction after the purge or expiry of block ${blockNum} failed, removed values may remain on disk: ${(err as Error).message}`);
    }
  }

  #targets(): WriteTargets {
    return { state: this.state, history: this.history, purges: this.#purges, expiry: this.#expiry, privateStores: this.#privateStores };
  }

  /** Calls `listener(blockNum)` after each block's state is applied; returns the unsubscribe. */
  onCommit(listener: (blockNum: bigint) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Waits for pending commits, then closes the files and the key-value store. Later commits reject. */
  async close(): Promise<void> {
    await this.#queue;
    this.#unusable ??= 'ledger is closed';
    await this.#closeFiles();
  }

  #filesClosed = false;

  async #closeFiles(): Promise<void> {
    if (this.#filesClosed) return;
    this.#filesClosed = true;
    const files = this.files === undefined ? [] : [this.files.blocks, ...this.files.pvt.values()];
    await Promise.all([...files.map((log) => log.close()), this.#kv.close()]);
  }
}
