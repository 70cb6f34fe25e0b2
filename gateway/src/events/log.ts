/**
 * The gateway's durable event log: every `healthledger.changes` chaincode event, in ledger order,
 * one JSON line each, numbered from 1. SSE clients resume from it (`Last-Event-ID`) and webhooks
 * deliver from it with their own cursors, so the ledger stream is read once, by one checkpoint.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One announced change (see chaincode/src/shared/events.ts). */
export interface Change {
  type: string;
  id: string;
  action: string;
  [field: string]: unknown;
}

/** One logged event. */
export interface LoggedEvent {
  /** Position in the log, from 1; the SSE event id. */
  seq: number;
  blockNumber: string;
  txId: string;
  changes: Change[];
}

export class EventLog {
  private readonly entries: LoggedEvent[] = [];
  private handle: FileHandle | undefined;

  constructor(private readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(path)) {
      const lines = readFileSync(path, 'utf8').split('\n');
      for (const line of lines) {
        if (line.trim() === '') continue;
        try {
          this.entries.push(JSON.parse(line) as LoggedEvent);
        } catch {
          // A torn last line from a crash mid-append: the checkpoint was not advanced past it, so
          // the event will be read again from the ledger. Anything after it cannot exist.
          break;
        }
      }
    }
    // Make sure the file exists now, so that a log with no events yet still reopens empty.
    closeSync(openSync(path, 'a'));
  }

  get head(): number {
    return this.entries.length;
  }

  /** Events with `seq` greater than `after`, oldest first. */
  since(after: number): LoggedEvent[] {
    return this.entries.slice(Math.max(0, after));
  }

  /** Whether `txId` is logged at or after `blockNumber` (replays after a crash come from there). */
  has(txId: string, fromBlock: bigint): boolean {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i];
      if (!entry || BigInt(entry.blockNumber) < fromBlock) return false;
      if (entry.txId === txId) return true;
    }
    return false;
  }

  /**
   * Appends and fsyncs, then returns the logged entry. The I/O runs off the event loop so that
   * serving requests never waits on a disk flush; the one feed appends one event at a time.
   */
  async append(event: Omit<LoggedEvent, 'seq'>): Promise<LoggedEvent> {
    const entry: LoggedEvent = { seq: this.entries.length + 1, ...event };
    this.handle ??= await open(this.path, 'a');
    await this.handle.write(`${JSON.stringify(entry)}\n`);
    await this.handle.sync();
    this.entries.push(entry);
    return entry;
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }
}
