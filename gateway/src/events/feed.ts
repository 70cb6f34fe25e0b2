/**
 * Reads the chaincode's `healthledger.changes` events from the ledger with a durable checkpoint
 * (fabric-gateway's file checkpointer in the data directory) and appends them to the event log.
 * Order of a step: append to the log (one synced write batch with the event's consent index
 * changes, off the event loop) → advance the checkpoint → notify listeners. A crash between the
 * first two replays the event on restart, and the log drops it as a duplicate (it is already
 * logged at or after the checkpoint's block) — so nothing is lost or doubled.
 */
import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { checkpointers, type ChaincodeEvent, type Checkpointer, type CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import type { FastifyBaseLogger } from 'fastify';
import type { Ledger } from '../fabric/ledger';
import { backoffMs, sleep } from '../fabric/retry';
import type { FabricUser } from '../fabric/wallet';
import type { ConsentIndex } from './consent-index';
import { EventLog, type Change, type LoggedEvent } from './log';

/** The one event name the chaincode emits (chaincode/src/shared/events.ts `CHANGES_EVENT`). */
export const CHANGES_EVENT = 'healthledger.changes';

export interface FeedOptions {
  ledger: Ledger;
  /** The identity that reads events (any channel member). */
  user: FabricUser;
  dataDir: string;
}

export class EventFeed {
  #log: EventLog | undefined;
  private readonly emitter = new EventEmitter();
  private checkpointer: Checkpointer | undefined;
  private stream: CloseableAsyncIterable<ChaincodeEvent> | undefined;
  private running: Promise<void> | undefined;
  private stopping = false;

  readonly dataDir: string;

  constructor(private readonly options: FeedOptions) {
    this.dataDir = options.dataDir;
    this.emitter.setMaxListeners(0);
  }

  /** The event log (open from {@link start} until {@link stop}). */
  get log(): EventLog {
    if (!this.#log) throw new Error('the event feed is not started');
    return this.#log;
  }

  /** Live consents as the log tells them, for the event entitlement rules (./entitlement.ts). */
  get consents(): ConsentIndex {
    return this.log.consents;
  }

  /** Opens the log and starts reading in the background; resolves once the checkpoint is loaded. */
  async start(logger: FastifyBaseLogger): Promise<void> {
    this.#log = await EventLog.open(join(this.options.dataDir, 'events'));
    this.checkpointer = await checkpointers.file(join(this.options.dataDir, 'events', 'checkpoint.json'));
    this.running = this.run(this.checkpointer, logger);
  }

  /** Called with every newly logged event. Returns an unsubscribe function. */
  subscribe(listener: (event: LoggedEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  private async run(checkpointer: Checkpointer, logger: FastifyBaseLogger): Promise<void> {
    for (let attempt = 1; !this.stopping; attempt++) {
      try {
        this.stream = await this.options.ledger.chaincodeEvents(this.options.user, checkpointer, 0n);
        if (this.stopping) this.stream.close();
        for await (const events of readyBatches(this.stream)) {
          await this.accept(events, checkpointer);
          attempt = 1;
        }
      } catch (err) {
        // A failed step (not only a failed stream) must not leave the old stream open.
        this.stream?.close();
        if (this.stopping) return;
        logger.warn({ err: (err as Error).message }, 'chaincode event stream failed; reconnecting');
      }
      await sleep(Math.max(200, backoffMs(Math.min(attempt, 6))));
    }
  }

  /**
   * Logs the events of a batch that are new (one synced write), checkpoints after the last, then
   * notifies: per batch what was done per event before, so a block's transactions cost one disk
   * sync and one checkpoint file write, not one each.
   */
  private async accept(events: readonly ChaincodeEvent[], checkpointer: Checkpointer): Promise<void> {
    const last = events.at(-1);
    if (!last) return;
    const from = checkpointer.getBlockNumber() ?? 0n;
    const fresh = events.filter((event) => event.eventName === CHANGES_EVENT && !this.log.has(event.transactionId, from));
    const entries = await this.log.appendAll(fresh.map((event) => ({ blockNumber: event.blockNumber.toString(), txId: event.transactionId, changes: parseChanges(event.payload) })));
    await checkpointer.checkpointChaincodeEvent(last);
    for (const entry of entries) this.emitter.emit('event', entry);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stream?.close();
    await this.running;
    await this.#log?.close();
    this.#log = undefined;
  }
}

/** What {@link readyBatches} waits for: the end of the current turn of the event loop. */
const TURN_ENDED = Symbol('turn ended');

/** Events a batch holds at most (a block of thousands of transactions is logged in several). */
const MAX_BATCH = 500;

/**
 * The stream's events in batches: the first event it yields, and every one after it that is
 * ready before the event loop's turn ends — fabric-gateway yields a block's events one by one
 * from one response, so a batch is at most a block (and, when responses are queued, a few).
 * Nothing waits for more: an event that is not ready ends the batch at once.
 */
export async function* readyBatches<T>(stream: AsyncIterable<T>): AsyncGenerator<T[]> {
  const iterator = stream[Symbol.asyncIterator]();
  // Each pull is awaited in its time; one left pending when the reader stops must not reject unheard.
  const pull = () => {
    const pulled = iterator.next();
    pulled.catch(() => undefined);
    return pulled;
  };
  let next = pull();
  try {
    for (;;) {
      const first = await next;
      if (first.done) return;
      const batch = [first.value];
      let ended = false;
      while (batch.length < MAX_BATCH) {
        next = pull();
        const ready = await Promise.race([next, new Promise<typeof TURN_ENDED>((resolve) => setImmediate(resolve, TURN_ENDED))]);
        if (ready === TURN_ENDED) break;
        if (ready.done) {
          ended = true;
          break;
        }
        batch.push(ready.value);
      }
      if (batch.length >= MAX_BATCH) next = pull();
      yield batch;
      if (ended) return;
    }
  } finally {
    // As `for await` would on leaving early; not awaited: the stream may have a pull pending until it is closed.
    void iterator.return?.()?.catch(() => undefined);
  }
}

function parseChanges(payload: Uint8Array): Change[] {
  try {
    const parsed = JSON.parse(Buffer.from(payload).toString('utf8')) as { changes?: unknown };
    return Array.isArray(parsed.changes) ? parsed.changes.filter(isChange) : [];
  } catch {
    return [];
  }
}

/** Whether a parsed value has a change's shape (the entitlement rules read its fields). */
function isChange(value: unknown): value is Change {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { type, id, action } = value as Record<string, unknown>;
  return typeof type === 'string' && typeof id === 'string' && typeof action === 'string';
}
