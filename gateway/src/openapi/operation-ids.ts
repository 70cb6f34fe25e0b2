/**
 * Every operation of the OpenAPI document has an operationId, which generated clients name their
 * calls by. Catalogue routes set theirs (`<contract>_<transaction>`); any other route without one
 * gets one from its method and path, e.g. `GET /ledger/blocks/:number` → `getLedgerBlocksNumber`.
 */
import type { FastifyInstance } from 'fastify';

/** `get` + the path's words, camel-cased. */
export function operationIdFor(method: string, url: string): string {
  const words = url.split(/[^A-Za-z0-9]+/).filter((w) => w.length > 0);
  return method.toLowerCase() + words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

/** Adds the hook on the root, before any route: it sees every route of every context. */
export function operationIds(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.schema?.hide || (route.schema as { operationId?: unknown } | undefined)?.operationId) return;
    const method = Array.isArray(route.method) ? route.method[0] : route.method;
    if (typeof method !== 'string' || method === 'HEAD') return;
    route.schema = { ...route.schema, operationId: operationIdFor(method, route.url) };
  });
}
