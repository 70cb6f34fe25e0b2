import { open as openFile, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { syncDirectory, writeDurably } from './durable';

/*
 * An append-only file of framed records: `u32 length ‖ u32 CRC32(payload) ‖ payload`, big-endian.
 * Used for the block file and the per-org private data files (docs/design/devnet-fidelity.md,
 * "Persistence"). A record is acknowledged only after fsync, so a crash can tear at most the
 * records of the last, unacknowledged append; those are cut off on open. Damage anywhere else is
 * reported, never skipped.
 */

/** Bytes of a record's frame header (`u32 length ‖ u32 CRC32`), just before its payload. */
export const FRAME_HEADER = 8;
/**
 * A length above this cannot come from a torn append of ours (blocks are capped far lower by the
 * orderer), so it is treated as damage rather than as an interrupted write.
 */
const MAX_RECORD_BYTES = 512 * 1024 * 1024;
const SCAN_CHUNK = 1024 * 1024;

/** Where a record's payload lives in the file. */
export interface RecordSpan {
  readonly offset: number;
  readonly length: number;
}

/** One verified record met during a scan. */
export interface ScannedRecord extends RecordSpan {
  /** Position of the record among all records of the file, from 0. */
  readonly index: number;
  /** Offset of the frame header (where a truncation to drop this record would cut). */
  readonly frameOffset: number;
  readonly payload: Buffer;
}

/** A record in the middle of the file is damaged: the file must not be used as is. */
export class RecordDamageError extends Error {
  override readonly name = 'RecordDamageError';

  constructor(
    message: string,
    readonly index: number,
    readonly frameOffset: number,
  ) {
    super(message);
  }
}

/** Frames payloads for one write call. */
function frame(payloads: readonly Uint8Array[]): Buffer {
  const parts: Buffer[] = [];
  for (const payload of payloads) {
    if (payload.length === 0) throw new RangeError('empty records are not allowed (zero-filled tails must stay recognisable)');
    const header = Buffer.alloc(FRAME_HEADER);
    header.writeUInt32BE(payload.length, 0);
    header.writeUInt32BE(crc32(payload), 4);
    parts.push(header, Buffer.from(payload.buffer, payload.byteOffset, payload.length));
  }
  return Buffer.concat(parts);
}

/** Append-only framed record file with positional reads. */
export class RecordLog {
  #size: number;
  #scanned = false;
  /** Bytes cut off the end by the last scan (a torn, never-acknowledged append). */
  truncatedBytes = 0;

  private constructor(
    readonly path: string,
    handle: FileHandle,
    size: number,
  ) {
    this.handle = handle;
    this.#size = size;
  }

  /** Replaced by {@link replace}. */
  private handle: FileHandle;

  /** Opens (creating if needed) the file; call {@link scan} before the first append. */
  static async open(path: string): Promise<RecordLog> {
    const handle = await openFile(path, 'a+');
    const { size } = await handle.stat();
    return new RecordLog(path, handle, size);
  }

  /** Current file size in bytes. */
  get size(): number {
    return this.#size;
  }

  async #read(offset: number, length: number): Promise<Buffer> {
    const buffer = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.handle.read(buffer, done, length - done, offset + done);
      if (bytesRead === 0) throw new Error(`${this.path}: unexpected end of file at ${offset + done}`);
      done += bytesRead;
    }
    return buffer;
  }

  /** True when every byte from `offset` to the end is zero (a tail the file system allocated but never wrote). */
  async #zeroFrom(offset: number): Promise<boolean> {
    for (let at = offset; at < this.#size; at += SCAN_CHUNK) {
      const chunk = await this.#read(at, Math.min(SCAN_CHUNK, this.#size - at));
      if (chunk.some((b) => b !== 0)) return false;
    }
    return true;
  }

  /**
   * Yields every record in order, verifying each CRC, from the start or from `from` (a record
   * boundary known to be good: the end of the last block applied). A torn tail (an interrupted
   * last append) is truncated when the scan completes; a damaged record followed by more data
   * throws {@link RecordDamageError}.
   */
  async *scan(from: { readonly offset: number; readonly index: number } = { offset: 0, index: 0 }): AsyncGenerator<ScannedRecord> {
    if (from.offset > this.#size) throw new RecordDamageError(`${this.path}: ends at ${this.#size}, before offset ${from.offset}`, from.index, from.offset);
    let offset = from.offset;
    for (let index = from.index; offset < this.#size; index++) {
      const remaining = this.#size - offset;
      const damage = (what: string): RecordDamageError =>
        new RecordDamageError(`${this.path}: record ${index} at offset ${offset}: ${what}`, index, offset);
      if (remaining < FRAME_HEADER) break; // torn frame header
      const header = await this.#read(offset, FRAME_HEADER);
      const length = header.readUInt32BE(0);
      if (length === 0) {
        if (await this.#zeroFrom(offset)) break;
        throw damage('zero length');
      }
      if (FRAME_HEADER + length > remaining) {
        if (length <= MAX_RECORD_BYTES) break; // torn payload
        throw damage(`impossible length ${length}`);
      }
      const payload = await this.#read(offset + FRAME_HEADER, length);
      if (crc32(payload) !== header.readUInt32BE(4)) {
        if (offset + FRAME_HEADER + length === this.#size) break; // last record, partly written
        throw damage('CRC mismatch');
      }
      yield { index, frameOffset: offset, offset: offset + FRAME_HEADER, length, payload };
      offset += FRAME_HEADER + length;
    }
    if (offset < this.#size) {
      this.truncatedBytes = this.#size - offset;
      await this.truncate(offset);
    }
    this.#scanned = true;
  }

  /** Cuts the file at `offset` (durably): drops a torn tail or records that must not survive. */
  async truncate(offset: number): Promise<void> {
    await this.handle.truncate(offset);
    await this.handle.sync();
    this.#size = offset;
  }

  /** Appends the records in one write and fsyncs before resolving. */
  async append(payloads: readonly Uint8Array[]): Promise<RecordSpan[]> {
    if (!this.#scanned) throw new Error(`${this.path}: scan the file before appending`);
    const bytes = frame(payloads);
    const spans: RecordSpan[] = [];
    let at = this.#size;
    for (const payload of payloads) {
      spans.push({ offset: at + FRAME_HEADER, length: payload.length });
      at += FRAME_HEADER + payload.length;
    }
    let written = 0;
    while (written < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, written, bytes.length - written, this.#size + written);
      written += bytesWritten;
    }
    await this.handle.sync();
    this.#size += bytes.length;
    return spans;
  }

  /** Reads a payload back (synchronously: block reads are on the gRPC request path and small). */
  readSync(span: RecordSpan): Buffer {
    // Not zero-filled: the loop below fills every byte or throws.
    const buffer = Buffer.allocUnsafe(span.length);
    let done = 0;
    while (done < span.length) {
      const n = readSync(this.handle.fd, buffer, done, span.length - done, span.offset + done);
      if (n === 0) throw new Error(`${this.path}: record at ${span.offset} is beyond the end of the file`);
      done += n;
    }
    return buffer;
  }

  /**
   * Replaces the whole file with `payloads` (private data compaction: removed values must leave
   * the disk, not merely be skipped on read). Crash-safe: the new content is written to a
   * temporary file and fsynced, renamed over the file, then the directory is fsynced; a crash
   * leaves either the old file or the new one. Spans from earlier appends become invalid.
   */
  async replace(payloads: readonly Uint8Array[]): Promise<void> {
    if (!this.#scanned) throw new Error(`${this.path}: scan the file before replacing it`);
    const temp = `${this.path}.compact`;
    const bytes = payloads.length > 0 ? frame(payloads) : Buffer.alloc(0);
    await writeDurably(temp, bytes);
    await rename(temp, this.path);
    await syncDirectory(dirname(this.path));
    const next = await openFile(this.path, 'a+');
    await this.handle.close();
    this.handle = next;
    this.#size = bytes.length;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
