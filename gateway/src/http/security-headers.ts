/**
 * Helmet's security headers on every response. The middleware is built once here: the Fastify
 * plugin (@fastify/helmet 13) calls `helmet(options)` afresh on every request, which re-parses
 * the whole configuration (the CSP directives above all) each time. With no per-request values
 * in the configuration (no functions, e.g. CSP nonces) helmet sets the same headers on every
 * response, so they are taken from it once, at start-up, and set from that list: helmet's chain
 * of a dozen middlewares per request was about 1.5% of the gateway thread's CPU under load.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** What helmet does to a response: headers it sets, headers it removes. */
export interface HeaderEdits {
  set: [name: string, value: string | number | readonly string[]][];
  removed: string[];
}

/** Whether `value` holds a function anywhere (a per-request value, such as a CSP nonce source). */
function holdsFunction(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (typeof value !== 'object' || value === null) return false;
  return Object.values(value).some(holdsFunction);
}

/**
 * The headers helmet sets and removes for `options`, recorded from one run of its middleware on
 * a stand-in response; undefined when they may differ between requests (a function in the
 * options) or when helmet does anything else with the response or calls on with an error.
 */
export function fixedHeaderEdits(options: HelmetOptions): HeaderEdits | undefined {
  if (holdsFunction(options)) return undefined;
  const edits: HeaderEdits = { set: [], removed: [] };
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      edits.set.push([name, value]);
      return recorder;
    },
    removeHeader(name: string) {
      edits.removed.push(name);
    },
  };
  let completed = false;
  try {
    helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
      completed = err === undefined;
    });
  } catch {
    return undefined;
  }
  return completed ? edits : undefined;
}

/**
 * Sets helmet's headers (configured by `options`) on every response of `app`. Fixed ones go on
 * the reply, with the route's own, not on Node's response: a response that has headers of its own
 * (`setHeader`) makes Node take each of Fastify's through `setHeader` again when the head is
 * written, an array and a validation per header, where a bare one writes Fastify's object as it
 * is. A route that hijacks its reply and writes the head itself takes them from
 * `reply.getHeaders()` (routes/events.ts).
 */
export function registerSecurityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const fixed = fixedHeaderEdits(options);
  if (fixed) {
    const headers: Record<string, string | number | string[]> = {};
    for (const [name, value] of fixed.set) headers[name.toLowerCase()] = typeof value === 'object' ? [...value] : value;
    const { removed } = fixed;
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      // Nothing has set them yet (Node sets none of helmet's removals itself): a no-op kept for
      // what helmet would do, which costs no header object while there is none.
      for (const name of removed) reply.raw.removeHeader(name);
      done();
    });
    return;
  }
  const setHeaders = helmet(options);
  app.addHook('onRequest', (request, reply, done) => {
    setHeaders(request.raw, reply.raw, (err?: unknown) => done(err instanceof Error ? err : undefined));
  });
}
