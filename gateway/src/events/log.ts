/**
 * The gateway's durable event log: every `healthledger.changes` chaincode event, in ledger order,
 * numbered from 1. SSE clients resume from it (`Last-Event-ID`) and webhooks deliver from it with
 * their own cursors, so the ledger stream is read once, by one checkpoint.
 *
 * It lives in LevelDB (`classic-level`) under `events/store`, so neither opening it nor holding it
 * grows with it: a start reads the head seq, events are read from disk a page at a time, and the
 * live-consent index (./consent-index.ts) and the txId index of {@link EventLog.has} are keys of
 * the same store. Each append is one synced write batch — the event, its txId, its consent index
 * changes and the new head — so after a crash either all of it is there or none of it is.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { ConsentIndex, type ConsentWrite } from './consent-index';
import { importLegacyLog } from './legacy-log';

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

/** Events a page read returns at most: what a reader holds in memory at once. */
export const PAGE_SIZE = 256;

/** One operation of a write batch (keys and values as the store encodes them). */
export type LogWrite = { type: 'put'; key: Buffer; value: string } | { type: 'del'; key: Buffer };

/** Key of event `seq`: `e` then the seq as 8 bytes big-endian, so keys sort in log order. */
export function eventKey(seq: number): Buffer {
  const key = Buffer.alloc(9);
  key.write('e', 0, 'latin1');
  key.writeBigUInt64BE(BigInt(seq), 1);
  return key;
}
/** The key after every event key. */
const EVENTS_END = Buffer.from('f', 'latin1');
/** txId → block number of the logged transaction. */
const txKey = (txId: string) => Buffer.from(`t${txId}`, 'utf8');
/** The last seq written. */
const HEAD_KEY = Buffer.from('h', 'latin1');

/** The batch operations that log `entry` with its consent index writes and make it the head. */
export function appendWrites(entry: LoggedEvent, consents: readonly ConsentWrite[]): LogWrite[] {
  return [
    { type: 'put', key: eventKey(entry.seq), value: JSON.stringify(entry) },
    { type: 'put', key: txKey(entry.txId), value: entry.blockNumber },
    ...consents.map(({ key, value }): LogWrite => (value === undefined ? { type: 'del', key: Buffer.from(key, 'utf8') } : { type: 'put', key: Buffer.from(key, 'utf8'), value })),
    { type: 'put', key: HEAD_KEY, value: String(entry.seq) },
  ];
}

/** Point reads of the consent index in the store. */
function storedConsents(db: ClassicLevel<Buffer, string>, overlay: ReadonlyMap<string, string | undefined> = new Map()): ConsentIndex {
  return new ConsentIndex({ get: (key) => (overlay.has(key) ? overlay.get(key) : db.getSync(Buffer.from(key, 'utf8'))) });
}

/**
 * Writes events in one batch; their consent changes fold in through an overlay of the batch's
 * own writes (the store does not see them before the batch is written). A chained batch: each
 * operation goes to LevelDB's batch as it is added, so nothing of them stays on the heap while the
 * synced write runs (the array form keeps its copies of every operation until then, long enough
 * under load for a young collection to promote them).
 */
async function writeBatch(db: ClassicLevel<Buffer, string>, events: readonly LoggedEvent[], sync: boolean): Promise<void> {
  if (events.length === 0) return;
  const overlay = new Map<string, string | undefined>();
  const consents = storedConsents(db, overlay);
  const batch = db.batch();
  try {
    for (const event of events) {
      const changes = consents.writes(event);
      for (const { key, value } of changes) overlay.set(key, value);
      for (const write of appendWrites(event, changes)) {
        if (write.type === 'put') batch.put(write.key, write.value);
        else batch.del(write.key);
      }
    }
  } catch (err) {
    await batch.close(); // nothing written
    throw err;
  }
  await batch.write({ sync });
}

export class EventLog {
  /** Live consents as the log tells them, for the event entitlement rules (./entitlement.ts). */
  readonly consents: ConsentIndex;
  #head: number;

  private constructor(private readonly db: ClassicLevel<Buffer, string>) {
    this.#head = Number(db.getSync(HEAD_KEY) ?? 0);
    this.consents = storedConsents(db);
  }

  /**
   * Opens (or creates) the log under directory `dir`. A `log.jsonl` there, the log of an earlier
   * version, is imported first (./legacy-log.ts).
   */
  static async open(dir: string): Promise<EventLog> {
    mkdirSync(dir, { recursive: true });
    const db = new ClassicLevel<Buffer, string>(join(dir, 'store'), { keyEncoding: 'buffer', valueEncoding: 'utf8' });
    await db.open();
    try {
      await importLegacyLog(join(dir, 'log.jsonl'), (events, last) => writeBatch(db, events, last));
    } catch (err) {
      await db.close();
      throw err;
    }
    return new EventLog(db);
  }

  get head(): number {
    return this.#head;
  }

  /** Event `seq`, if logged (seqs run from 1 to {@link head} without gaps). */
  get(seq: number): LoggedEvent | undefined {
    if (!Number.isSafeInteger(seq) || seq < 1 || seq > this.#head) return undefined;
    const value = this.db.getSync(eventKey(seq));
    return value === undefined ? undefined : (JSON.parse(value) as LoggedEvent);
  }

  /** Up to `limit` events with `seq` greater than `after`, oldest first, read from disk. */
  async page(after: number, limit = PAGE_SIZE): Promise<LoggedEvent[]> {
    const values = await this.db.values({ gt: eventKey(Math.max(0, Math.floor(after))), lt: EVENTS_END, limit }).all();
    return values.map((value) => JSON.parse(value) as LoggedEvent);
  }

  /** Events with `seq` greater than `after`, oldest first, a page at a time (events logged meanwhile included). */
  async *since(after: number): AsyncGenerator<LoggedEvent> {
    let cursor = after;
    for (;;) {
      const page = await this.page(cursor);
      yield* page;
      const last = page.at(-1);
      if (!last || page.length < PAGE_SIZE) return;
      cursor = last.seq;
    }
  }

  /** Whether `txId` is logged at or after `blockNumber` (replays after a crash come from there). */
  has(txId: string, fromBlock: bigint): boolean {
    const block = this.db.getSync(txKey(txId));
    return block !== undefined && BigInt(block) >= fromBlock;
  }

  /**
   * Logs an event with its consent index changes in one synced batch, then returns the entry.
   * The write runs off the event loop; the one feed appends one event at a time.
   */
  async append(event: Omit<LoggedEvent, 'seq'>): Promise<LoggedEvent> {
    const [entry] = await this.appendAll([event]);
    return entry!;
  }

  /**
   * Logs events in order, all of them with their consent index changes in one synced batch (the
   * feed's events of one block: one disk sync for the block, not one per transaction), then
   * returns their entries. All or none of them are logged.
   */
  async appendAll(events: readonly Omit<LoggedEvent, 'seq'>[]): Promise<LoggedEvent[]> {
    let seq = this.#head;
    const entries = events.map((event): LoggedEvent => ({ seq: ++seq, ...event }));
    if (entries.length === 0) return entries;
    await writeBatch(this.db, entries, true);
    this.#head = seq;
    return entries;
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
