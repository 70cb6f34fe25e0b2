import { mkdir, open as openFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { common, type ledger } from '@hyperledger/fabric-protos';
import { applyBlock, type WriteTargets } from './block-apply';
import { BlockStore } from './blockstore';
import { CommitLock } from './commit-lock';
import { LedgerClosedError, LedgerError } from './errors';
import { ExpirySchedule, type CollectionBlockToLive } from './expiry';
import { HistoryDb } from './history';
import { PrivateStore } from './private-store';
import { encodePvtRecord } from './pvt-record';
import { selectPrivateData, type CollectionMembers, type PvtDataByOrg } from './pvt-selection';
import { PurgeMarkers } from './purge-markers';
import { RecordLog } from './record-log';
import { replayLedger } from './replay';
import { StateDb } from './statedb';
import { readBlockTransactions, transactionsFilter, TX_VALID } from './transaction';

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
}

/** Per-block commit options. */
export interface CommitOptions {
  /** Member orgs of a collection: they keep its private data. Required when `pvtData` is not empty. */
  readonly collectionMembers?: CollectionMembers;
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
 * and one private store per organisation. Persistent (crash-safe, rebuilt by replay on open) or
 * in memory.
 */
export class Ledger {
  readonly blocks: BlockStore;
  readonly state = new StateDb();
  readonly history = new HistoryDb();
  readonly #purges = new PurgeMarkers();
  readonly #expiry: ExpirySchedule;
  readonly #privateStores: ReadonlyMap<string, PrivateStore>;
  readonly #listeners = new Set<(blockNum: bigint) => void>();
  readonly #log: (message: string) => void;
  /** Simulations hold it shared, block commits exclusively (see {@link holdForSimulation}). */
  readonly #commitLock = new CommitLock();
  #queue: Promise<unknown> = Promise.resolve();
  /** Set when closed or when a write failed half-way: the ledger must be reopened. */
  #unusable?: string;

  private constructor(
    readonly orgs: readonly string[],
    private readonly files: LedgerFiles | undefined,
    opts: LedgerOptions,
  ) {
    this.blocks = new BlockStore(files?.blocks);
    this.#expiry = new ExpirySchedule(opts.blockToLive ?? (() => 0n));
    this.#privateStores = new Map(orgs.map((mspId) => [mspId, new PrivateStore(mspId, this.#purges)]));
    this.#log = opts.log ?? ((message) => console.warn(`[ledger] ${message}`));
  }

  /**
   * Opens a ledger. With `dir`, replays its files (verifying CRCs and the hash chain, cutting a
   * torn last record) and throws {@link LedgerCorruptError} naming the damaged block otherwise.
   */
  static async open(opts: LedgerOptions): Promise<Ledger> {
    if (opts.dir === undefined) return new Ledger(opts.orgs, undefined, opts);
    await mkdir(opts.dir, { recursive: true });
    const blocks = await RecordLog.open(join(opts.dir, 'blocks.dat'));
    const pvt = new Map<string, RecordLog>();
    const ledger = new Ledger(opts.orgs, { blocks, pvt }, opts);
    try {
      for (const mspId of opts.orgs) {
        const path = join(opts.dir, pvtFileName(mspId));
        // A compaction's temporary file, left by a crash before its rename: the old file is in force.
        await rm(`${path}.compact`, { force: true });
        pvt.set(mspId, await RecordLog.open(path));
      }
      await syncDirectory(opts.dir); // the new files' directory entries must survive a crash too
      await replayLedger(ledger.#replayTarget(), { blocks, pvt }, ledger.#log);
      await ledger.#compactPrivateData();
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
   * (each fsynced when persistent), then state, history and indexes in one synchronous step, then
   * height waiters and listeners. Calls are serialised, and each waits for running simulations
   * (while later ones wait for it).
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
    const txs = readBlockTransactions(block);
    if (pvtData.size > 0 && opts.collectionMembers === undefined) {
      throw new LedgerError(`block ${blockNum}: private data given without collectionMembers`);
    }
    const members = opts.collectionMembers ?? (() => []);
    const pvtByOrg = selectPrivateData(blockNum, txs, pvtData, this.orgs, members, this.#log);
    const bytes = block.serializeBinary();
    let stored: Uint8Array | { offset: number; length: number } = bytes;
    if (this.files !== undefined) {
      try {
        await this.#persistPvt(blockNum, pvtByOrg);
        const [span] = await this.files.blocks.append([bytes]);
        if (span !== undefined) stored = span;
      } catch (err) {
        this.#unusable = `ledger unusable after a failed write of block ${blockNum}: ${(err as Error).message}`;
        throw err;
      }
    }
    this.blocks.append(block, headerHash, txs, stored);
    applyBlock(this.#targets(), blockNum, txs, pvtByOrg);
    // Before anyone learns of the commit: an erasure is answered only once its bytes are gone.
    await this.#compactPrivateData();
    this.blocks.notify();
    for (const listener of this.#listeners) {
      try {
        listener(blockNum);
      } catch (err) {
        this.#log(`commit listener failed for block ${blockNum}: ${(err as Error).message}`);
      }
    }
  }

  async #persistPvt(blockNum: bigint, pvtByOrg: PvtDataByOrg): Promise<void> {
    const writes: Promise<unknown>[] = [];
    for (const [mspId, txs] of pvtByOrg) {
      const log = this.files?.pvt.get(mspId);
      if (log !== undefined && txs.size > 0) writes.push(log.append([encodePvtRecord({ blockNum, txs })]));
    }
    await Promise.all(writes);
  }

  /**
   * Purges and block-to-live expiry must remove private values from disk (GDPR erasure), not
   * only hide them: each org's private data file whose stored write sets changed is rewritten
   * (crash-safe replace). Also run after replay, for a crash between a block's fsync and this.
   * A failed rewrite leaves the previous file, which replays correctly; it is logged and retried
   * at the next purge or open rather than failing a block that is already durable.
   */
  async #compactPrivateData(): Promise<void> {
    for (const [mspId, store] of this.#privateStores) {
      if (!store.compact()) continue;
      const file = this.files?.pvt.get(mspId);
      if (file === undefined) continue;
      try {
        await file.replace([...store.storedWriteSets()].map((record) => encodePvtRecord(record)));
      } catch (err) {
        this.#log(`${file.path}: rewrite after a purge or expiry failed, removed values remain on disk until the next one: ${(err as Error).message}`);
        store.markForCompaction();
      }
    }
  }

  #targets(): WriteTargets {
    return { state: this.state, history: this.history, purges: this.#purges, expiry: this.#expiry, privateStores: this.#privateStores };
  }

  #replayTarget(): { blocks: BlockStore; targets: WriteTargets } {
    return { blocks: this.blocks, targets: this.#targets() };
  }

  /** Calls `listener(blockNum)` after each block's state is applied; returns the unsubscribe. */
  onCommit(listener: (blockNum: bigint) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Waits for pending commits, then closes the files. Later commits reject. */
  async close(): Promise<void> {
    await this.#queue;
    this.#unusable ??= 'ledger is closed';
    await this.#closeFiles();
  }

  #filesClosed = false;

  async #closeFiles(): Promise<void> {
    if (this.files === undefined || this.#filesClosed) return;
    this.#filesClosed = true;
    await Promise.all([this.files.blocks.close(), ...[...this.files.pvt.values()].map((log) => log.close())]);
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await openFile(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
