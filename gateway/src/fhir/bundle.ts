/**
 * Search results as a FHIR `searchset` Bundle. Paging follows the ledger's: a page of at most
 * `_count` entries and, while there is more, a `next` link carrying the opaque `_cursor`.
 */
import type { FastifyRequest } from 'fastify';
import type { Bundle, Resource } from './types';

/** The absolute base URL of the FHIR interface for this request (`http://host/fhir`). */
export function baseUrlOf(request: FastifyRequest, prefix: string): string {
  return `${request.protocol}://${request.host}${prefix}`;
}

/** The request's absolute URL with `_cursor` set to `cursor` (and nothing else changed). */
function pageUrl(request: FastifyRequest, cursor: string | undefined): string {
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  url.searchParams.delete('_cursor');
  if (cursor !== undefined) url.searchParams.set('_cursor', cursor);
  return url.toString();
}

/** A searchset of `resources`, with `self` and, when `nextCursor` is set, `next` links. */
export function searchset(request: FastifyRequest, base: string, resources: Resource[], nextCursor: string | undefined): Bundle {
    const link = [{ relation: 'self', url: pageUrl(request, (request.query as { _cursor?: string })._cursor) }];
  if (nextCursor !== undefined) link.push({ relation: 'next', url: pageUrl(request, nextCursor) });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link,
    // An empty page has no `entry` at all: FHIR elements are never empty (ele-1).
    ...(resources.length === 0 ? {} : { entry: resources.map((resource) => ({
      ...(resource.id === undefined ? {} : { fullUrl: `${base}/${resource.resourceType}/${resource.id}` }),
      resource,
      search: { mode: 'match' as const },
    })) }),
  };
}
