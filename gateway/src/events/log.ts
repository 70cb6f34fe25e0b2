/**
 * The gateway's durable event log: every `healthledger.changes` chaincode event, in ledger order,
 * one JSON line each, numbered from 1. SSE clients resume from it (`Last-Event-ID`) and webhooks
 * deliver from it with their own cursors, so the ledger stream is read once, by one checkpoint.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
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
  private readonly fd: number;

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
    this.fd = openSync(path, 'a');
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

  /** Appends and fsyncs; returns the logged entry. */
  append(event: Omit<LoggedEvent, 'seq'>): LoggedEvent {
    const entry: LoggedEvent = { seq: this.entries.length + 1, ...event };
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    fsyncSync(this.fd);
    this.entries.push(entry);
    return entry;
  }

  close(): void {
    closeSync(this.fd);
  }
}
