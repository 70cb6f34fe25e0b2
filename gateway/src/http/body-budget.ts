/**
 * Admission of request bodies against a byte budget shared by the whole gateway.
 *
 * A large body is held several times over while its request runs: the raw bytes, the transient
 * map, the signed proposal, gRPC frames, and the same again on the ledger's side of the process.
 * Each copy is outside the V8 heap, so no heap bound caps them: four 4 MiB uploads in flight took
 * `npm start` to 436 MB. The budget bounds the bytes of bodies whose requests are being processed
 * at once; a request whose body does not fit waits, its body unread (the socket's receive window
 * fills and the client's writes pause: TCP backpressure), until earlier requests answer. One that
 * waits longer than the configured time is answered 503 `BODY_BUDGET_EXHAUSTED` with
 * `Retry-After`, before anything of it reached the ledger.
 *
 * A request is charged its `Content-Length` (a chunked one: its route's body limit), at most the
 * whole budget so that a body larger than the budget still runs, alone. A body over its route's
 * limit is not charged: the parser refuses it on its `Content-Length` without reading it. The
 * charge is held until the response has been sent or the connection closed.
 */
import { BODY_GARBAGE_BYTES, GarbageMeter } from '@healthledger/fabric-core/memory';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RETRY_AFTER_SECONDS } from '../errors/catalogue';
import { HttpProblem } from '../errors/problem';

/** The budget's settings (GatewayConfig.bodyBudget). */
export interface BodyBudgetSettings {
  /** Bytes of request bodies processed at once (HEALTHLEDGER_BODY_BUDGET). */
  bytes: number;
  /** Longest a request waits for its body to fit before it is answered 503 (HEALTHLEDGER_BODY_WAIT_MS). */
  maxWaitMs: number;
}

interface Waiter {
  bytes: number;
  admit: () => void;
}

/**
 * A byte budget with a first-come first-served queue: a request never overtakes an earlier one
 * that is waiting, so a large body is not starved by a stream of small ones.
 */
export class ByteBudget {
  #inUse = 0;
  readonly #queue: Waiter[] = [];

  constructor(readonly capacity: number) {}

  /** Bytes charged to requests being processed now. */
  get inUse(): number {
    return this.#inUse;
  }

  /** Requests waiting for their body to fit. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Waits until `bytes` (at most the capacity) fit, then charges them. Resolves with the function
   * that gives them back (idempotent), or with undefined if they did not fit within `maxWaitMs` or
   * `cancelled` fired first (nothing is then charged).
   */
  acquire(bytes: number, maxWaitMs: number, cancelled?: (cancel: () => void) => void): Promise<(() => void) | undefined> {
    const charge = Math.min(bytes, this.capacity);
    if (this.#queue.length === 0 && this.#fits(charge)) return Promise.resolve(this.#charge(charge));
    return new Promise((resolve) => {
      const waiter: Waiter = {
        bytes: charge,
        admit: () => {
          clearTimeout(timer);
          resolve(this.#charge(charge));
        },
      };
      const giveUp = () => {
        const at = this.#queue.indexOf(waiter);
        if (at < 0) return; // admitted meanwhile
        this.#queue.splice(at, 1);
        clearTimeout(timer);
        resolve(undefined);
        this.#admitWaiting(); // the next in line may fit now that this one no longer blocks it
      };
      const timer = setTimeout(giveUp, maxWaitMs);
      this.#queue.push(waiter);
      cancelled?.(giveUp);
    });
  }

  /** A body larger than the capacity fits only when nothing else is charged. */
  #fits(bytes: number): boolean {
    return this.#inUse === 0 || this.#inUse + bytes <= this.capacity;
  }

  #charge(bytes: number): () => void {
    this.#inUse += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#inUse -= bytes;
      this.#admitWaiting();
    };
  }

  #admitWaiting(): void {
    for (let next = this.#queue[0]; next !== undefined && this.#fits(next.bytes); next = this.#queue[0]) {
      this.#queue.shift();
      next.admit();
    }
  }
}

/**
 * What a request's body is charged: its declared length, or its route's limit when it is sent
 * chunked; 0 when it has no body or one its route refuses on its length alone (413 unread).
 */
export function bodyCharge(request: FastifyRequest): number {
  const limit = request.routeOptions.bodyLimit ?? Infinity;
  const declared = request.headers['content-length'];
  if (declared !== undefined) {
    const length = Number(declared);
    return Number.isSafeInteger(length) && length > 0 && length <= limit ? length : 0;
  }
  const chunked = /\bchunked\b/i.test(request.headers['transfer-encoding'] ?? '');
  return chunked && Number.isFinite(limit) ? limit : 0;
}

/**
 * Large bodies whose requests have ended. Their copies (the body, the transient map, the signed
 * proposal, its gRPC frames) outlived a young collection while the transaction committed, so V8
 * would free them only after external memory grew 64 MB; a full collection every 8 MiB of them
 * keeps that to about two uploads' worth (network/fabric-core/src/memory/garbage.ts).
 */
const endedBodies = new GarbageMeter(BODY_GARBAGE_BYTES, 'major');

/**
 * Admits every request's body through one {@link ByteBudget} before it is read (a `preParsing`
 * hook on the root, so every route has it); the charge is given back when the response has gone
 * or the connection closed.
 */
export function registerBodyBudget(app: FastifyInstance, settings: BodyBudgetSettings): ByteBudget {
  const budget = new ByteBudget(settings.bytes);
  app.addHook('preParsing', async (request, reply, payload) => {
    const bytes = bodyCharge(request);
    if (bytes === 0) return payload;
    const release = await budget.acquire(bytes, settings.maxWaitMs, (cancel) => reply.raw.once('close', cancel));
    if (!release) {
      throw new HttpProblem('BODY_BUDGET_EXHAUSTED', `The request waited ${settings.maxWaitMs} ms for earlier request bodies to finish`, { 'retry-after': String(RETRY_AFTER_SECONDS) });
    }
    reply.raw.once('close', () => {
      release();
      endedBodies.addIfLarge(bytes);
    });
    return payload;
  });
  return budget;
}
