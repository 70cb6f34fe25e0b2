/**
 * `Idempotency-Key` on unsafe requests: the same key from the same caller replays the stored
 * response (no second transaction); the same key with a different request is a 422; a key whose
 * first request is still running is a 409. While the request runs, its submits go through a
 * {@link RequestJournal} (transaction ids recorded before endorsement), so a replay after a crash
 * or after a server error answers from the ledger what the first run committed instead of
 * committing again. Server errors are not stored, so a retry after a 503 really retries — under
 * the same transaction ids.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem } from '../errors/problem';
import type { TxJournal } from '../fabric/ledger';
import { RequestJournal } from './journal';
import type { IdempotencyStore } from './store';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyScope: string | null;
    /** The request's fingerprint, taken before the handler: an upload route lets go of its body once staged. */
    idempotencyFingerprint: string | null;
    txJournal: TxJournal | null;
  }
}

/** The transaction journal a route passes with its submits (undefined without an `Idempotency-Key`). */
export function journalOf(request: FastifyRequest): TxJournal | undefined {
  return request.txJournal ?? undefined;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** Response headers worth replaying. */
const KEPT_HEADERS = ['content-type', 'location', 'x-transaction-id', 'retry-after'];

export function registerIdempotency(app: FastifyInstance, store: IdempotencyStore): void {
  app.decorateRequest('idempotencyScope', null);
  app.decorateRequest('idempotencyFingerprint', null);
  app.decorateRequest('txJournal', null);

  // The callback form, so that the requests without a key (most) pay no promise for the check;
  // the work on a key is the async function below.
  app.addHook('preHandler', (request, reply, done) => {
    const key = request.headers['idempotency-key'];
    if (key === undefined || !UNSAFE.has(request.method)) return done();
    admit(request, reply, key).then(() => done(), done);
  });

  /** A request with a key: replayed, refused, or admitted with its journal. */
  const admit = async (request: FastifyRequest, reply: FastifyReply, key: string | string[]): Promise<void> => {
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new HttpProblem('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 visible ASCII characters', {}, [
        { pointer: '/headers/idempotency-key', detail: 'invalid' },
      ]);
    }
    const scope = scopeOf(request, key);
    const fingerprint = fingerprintOf(request);
    const stored = store.get(scope);
    if (stored) {
      if (stored.fingerprint !== fingerprint) {
        throw new HttpProblem('IDEMPOTENCY_KEY_REUSED');
      }
      store.forgetPending(scope);
      await reply.code(stored.statusCode).headers({ ...stored.headers, 'idempotent-replayed': 'true' }).send(stored.body);
      return;
    }
    // An earlier run that was never answered (crash, server error) left its transaction ids.
    const pending = store.pending(scope);
    if (pending && pending.fingerprint !== fingerprint) throw new HttpProblem('IDEMPOTENCY_KEY_REUSED');
    if (!store.begin(scope)) {
      throw new HttpProblem('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed', { 'retry-after': '1' });
    }
    request.idempotencyScope = scope;
    request.idempotencyFingerprint = fingerprint;
    request.txJournal = new RequestJournal(store, scope, fingerprint, pending);
  };

  app.addHook('onSend', (request, reply, payload, done) => {
    const scope = request.idempotencyScope;
    if (!scope) return done(null, payload);
    request.idempotencyScope = null;
    if (reply.statusCode >= 500 || typeof payload !== 'string') {
      store.release(scope);
      return done(null, payload);
    }
    const headers: Record<string, string> = {};
    for (const name of KEPT_HEADERS) {
      const value = reply.getHeader(name);
      if (value !== undefined) headers[name] = String(value);
    }
    store.complete(scope, { fingerprint: request.idempotencyFingerprint ?? fingerprintOf(request), statusCode: reply.statusCode, headers, body: payload });
    done(null, payload);
  });

  // A request that died before answering (client gone, crash in a hook) must not hold its key forever.
  app.addHook('onResponse', (request, _reply, done) => {
    if (request.idempotencyScope) store.release(request.idempotencyScope);
    done();
  });
}

/** Keys are per caller: two callers may pick the same key without colliding. */
function scopeOf(request: FastifyRequest, key: string): string {
  const who = request.principal ? `${request.principal.user.mspId}\u0000${request.principal.user.name}` : '';
  return createHash('sha256').update(`${who}\u0000${key}`).digest('hex');
}

function fingerprintOf(request: FastifyRequest): string {
  const hash = createHash('sha256').update(`${request.method}\u0000${request.url}\u0000`);
  // An upload's body is bytes (record content): hashed as they are, with the media type they claim.
  if (Buffer.isBuffer(request.body)) return hash.update(`${String(request.headers['content-type'])}\u0000`).update(request.body).digest('hex');
  return hash.update(JSON.stringify(request.body ?? null)).digest('hex');
}
