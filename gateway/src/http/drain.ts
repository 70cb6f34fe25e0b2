/**
 * Reading what is left of a request body that will not be used, before an error answer.
 *
 * A client that sends a large body without `Expect: 100-continue` (curl without it, most HTTP
 * libraries) is still writing when the gateway has already decided: 413 on the Content-Length,
 * 401, 415. Fastify answers those with `Connection: close`, and Node closes the socket once the
 * answer is written; the client's next writes then meet a reset, which discards the answer
 * unread in its receive buffer — it saw no HTTP response at all ("broken pipe"). Reading and
 * discarding the rest of the body first, within bounds, lets the client finish sending and read
 * the answer. Beyond the bounds the connection is closed as before: a client cannot make the
 * gateway read forever.
 */
import type { IncomingMessage } from 'node:http';

export interface DrainLimits {
  /** Bytes read at most. */
  maxBytes: number;
  /** Milliseconds waited at most. */
  maxMs: number;
}

/** Bytes and time the gateway spends reading an unwanted body before answering. */
export const DRAIN_LIMITS: DrainLimits = { maxBytes: 32 * 1024 * 1024, maxMs: 10_000 };

/**
 * Reads and discards the rest of `req`'s body. Resolves true once it has all been read (the
 * answer can then be read by the client), false when a limit was reached first or the request
 * failed. Never rejects.
 */
export function drainRequest(req: IncomingMessage, limits: DrainLimits = DRAIN_LIMITS): Promise<boolean> {
  if (req.complete || req.readableEnded || req.destroyed) return Promise.resolve(req.complete);
  const declared = Number(req.headers['content-length']);
  // A body declared larger than we would read: waiting for part of it helps nobody.
  if (Number.isFinite(declared) && declared > limits.maxBytes) return Promise.resolve(false);
  return new Promise((resolve) => {
    let read = 0;
    const finish = (complete: boolean) => {
      clearTimeout(timer);
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
      req.removeListener('close', onClose);
      resolve(complete);
    };
    const onData = (chunk: Buffer | string) => {
      read += chunk.length;
      if (read > limits.maxBytes) finish(false);
    };
    const onEnd = () => finish(true);
    const onError = () => finish(false);
    const onClose = () => finish(req.complete);
    const timer = setTimeout(() => finish(false), limits.maxMs);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
    req.once('close', onClose);
    req.resume();
  });
}
