/**
 * Helmet's security headers on every response. The middleware is built once here: the Fastify
 * plugin (@fastify/helmet 13) calls `helmet(options)` afresh on every request, which re-parses
 * the whole configuration (the CSP directives above all) each time.
 */
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** Sets helmet's headers (configured by `options`) on every response of `app`. */
export function registerSecurityHeaders(app: FastifyInstance, options: HelmetOptions): void {
  const setHeaders = helmet(options);
  app.addHook('onRequest', (request, reply, done) => {
    // Helmet sets them on the raw response; Fastify keeps them when it writes its own.
    setHeaders(request.raw, reply.raw, (err?: unknown) => done(err instanceof Error ? err : undefined));
  });
}
