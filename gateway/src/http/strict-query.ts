import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';

/** The query string of a route that takes no parameter: any parameter is refused. */
const NO_PARAMETERS = Type.Object({}, { additionalProperties: false });

/**
 * Gives every route of `app`'s context that declares no query string schema one that admits no
 * parameter. Fastify validates only what a route declares, so without this an unknown parameter
 * (a typo such as `?limt=5`, or a filter the route does not have) was silently ignored on those
 * routes and the caller got an answer to a question it did not ask; with it, the caller gets the
 * same 400 problem+json (VALIDATION_FAILED, pointing at the parameter) as on a route that declares
 * its parameters.
 */
export function refuseUndeclaredQuery(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.schema?.querystring !== undefined) return;
    route.schema = { ...route.schema, querystring: NO_PARAMETERS };
  });
}
