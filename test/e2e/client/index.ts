/**
 * The typed HTTP client of the end-to-end tests: openapi-fetch over the types openapi-typescript
 * generates from the committed OpenAPI document (schema.ts, `npm run openapi`). Paths, path and
 * query parameters and request bodies are checked against the document at compile time, so the
 * journeys that use it prove the document describes the API they exercise.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { GatewayEndpoint } from '../network';
import type { components, paths } from './schema';

export type { components, paths } from './schema';

/** A client of the gateway acting as one demo user. */
export type Api = Client<paths>;

/** The problem+json body of an error response. */
export type Problem = components['schemas']['Problem'];

/**
 * A typed client acting as `user` (bearer token from the endpoint). Built per call, since the
 * gateway a user reaches can change (a restarted gateway listens elsewhere).
 */
export function typedClient(net: GatewayEndpoint, user?: string): Api {
  const api = createClient<paths>({ baseUrl: net.urlFor(user) });
  if (user !== undefined) {
    api.use({
      onRequest: async ({ request }) => {
        request.headers.set('authorization', await net.bearer(user));
        return request;
      },
    });
  }
  return api;
}
