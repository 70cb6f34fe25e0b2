import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { mkdir, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { tableKey } from './codec';
import { syncDirectory, writeDurably } from './durable';
import { LedgerCorruptError } from './errors';
import type { KvStore } from './kv';

/*
 * Large private write sets, stored once, outside LevelDB (docs/design/devnet-commit.md, "Memory of
 * a large private write"). LevelDB takes every value through its write batch, its memtable and its
 * level-0 tables, which compaction then reads through mmap (pages counted in the process's RSS):
 * a 4 MiB record document, kept both as private state and in the block's private write sets, went
 * through it twice. A collection's private rwset at or above the threshold is written instead as
 * one file under `<dir>/blobs/`, which the block's write-set record (`w`) and the private state
 * entries of its values (`p`) refer to; LevelDB holds the references only.
 *
 * A blob's name is its place in the ledger (org, block, transaction, its rank among the
 * transaction's blobs), never anything of its content. It is written and fsynced before the batch
 * that refers to it; the block and its private data are durable by then, so a crash before the
 * batch replays the block and writes the same blob again (a torn file is rewritten whole). A blob
 * no reference keeps is deleted after the batch that drops the last one, which also records the
 * deletion (`D name`): a crash before the unlink finishes it on the next open.
 */

/** A private state value held in a blob: the bytes `[offset, offset + length)` of blob `name`. */
export interface BlobSlice {
  readonly name: string;
  readonly offset: number;
  readonly length: number;
}

const deleteKey = (name: string): Buffer => tableKey('D', name);

/** The blob files of one ledger and the writes and deletions of the block being applied. */
export class BlobStore {
  /** Blobs of the block being applied, written by {@link writeStaged}. */
  readonly #staged = new Map<string, Uint8Array>();
  /** Blobs whose last reference the block being applied drops, deleted by {@link finishDeletes}. */
  readonly #deleting = new Set<string>();

  constructor(
    readonly dir: string,
    private readonly kv: KvStore,
  ) {}

  /** The name of the `rank`-th blob of an org's private data of one transaction. */
  static blobName(mspId: string, blockNum: bigint, txNum: number, rank: number): string {
    return `${encodeURIComponent(mspId)}.${blockNum}.${txNum}.${rank}`;
  }

  /**
   * On open: creates the directory, empties it when the key-value store is new (no reference can
   * remain: the blocks are applied again and write their blobs again), and finishes the deletions
   * a crash interrupted.
   */
  async recover(freshStore: boolean): Promise<void> {
    if (freshStore) await rm(this.dir, { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true });
    const names: string[] = [];
    for await (const [key] of this.kv.scanPrefix(tableKey('D', ''))) names.push(key.toString('utf8', 1));
    for (const name of names) this.#deleting.add(name);
    await this.finishDeletes();
  }

  /** @internal Commit path: a blob to write before the block's batch. */
  stage(name: string, bytes: Uint8Array): void {
    this.#staged.set(name, bytes);
  }

  /** @internal Commit path: no reference to `name` remains once the block's batch is written. */
  release(name: string): void {
    if (this.#staged.delete(name)) return; // never written
    this.#deleting.add(name);
    this.kv.put(deleteKey(name), Buffer.alloc(0));
  }

  /** The whole blob (the collection rwset bytes as the endorser produced them). */
  read(name: string): Uint8Array {
    const staged = this.#staged.get(name);
    if (staged !== undefined) return staged;
    try {
      return readFileSync(join(this.dir, name));
    } catch (err) {
      throw new LedgerCorruptError(`private data blob ${name} cannot be read: ${(err as Error).message}`);
    }
  }

  /** One value inside a blob (synchronous: private reads sit on the endorser's hot path). */
  readSlice(slice: BlobSlice): Buffer {
    const staged = this.#staged.get(slice.name);
    if (staged !== undefined) return Buffer.from(staged.buffer, staged.byteOffset + slice.offset, slice.length);
    const value = Buffer.allocUnsafe(slice.length);
    let fd: number;
    try {
      fd = openSync(join(this.dir, slice.name), 'r');
    } catch (err) {
      throw new LedgerCorruptError(`private data blob ${slice.name} cannot be read: ${(err as Error).message}`);
    }
    try {
      let done = 0;
      while (done < slice.length) {
        const n = readSync(fd, value, done, slice.length - done, slice.offset + done);
        if (n === 0) throw new LedgerCorruptError(`private data blob ${slice.name} is shorter than its reference`);
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    return value;
  }

  /** @internal Before the block's batch: writes and fsyncs the staged blobs and their directory entries. */
  async writeStaged(): Promise<void> {
    if (this.#staged.size === 0) return;
    await Promise.all([...this.#staged].map(([name, bytes]) => writeDurably(join(this.dir, name), bytes)));
    await syncDirectory(this.dir);
    this.#staged.clear();
  }

  /** @internal After the block's batch: deletes the released blobs, then their `D` records. */
  async finishDeletes(): Promise<void> {
    if (this.#deleting.size === 0) return;
    const names = [...this.#deleting];
    await Promise.all(names.map((name) => unlink(join(this.dir, name)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    })));
    await syncDirectory(this.dir);
    for (const name of names) this.kv.del(deleteKey(name));
    await this.kv.flush(false); // lost in a crash: the unlinks are simply done again on open
    this.#deleting.clear();
  }

  /** @internal A commit failed before its batch. */
  discard(): void {
    this.#staged.clear();
    this.#deleting.clear();
  }
}
