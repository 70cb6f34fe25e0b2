/**
 * The OpenAPI description of responses every route shares: the problem+json error shape, and the
 * error statuses an authenticated operation can answer. Route modules spread
 * {@link problemResponses} into their `response` schemas, so each operation documents its errors
 * with the one `Problem` schema (a component of the document, see app.ts) next to its success.
 * Error bodies are built by the problem handler from the catalogue and are not validated against
 * these schemas (see http/response-validation.ts).
 */
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';

/** The `$id` under which the problem schema is registered (and its name among the components). */
export const PROBLEM_SCHEMA_ID = 'Problem';

/** RFC 9457 problem details as the gateway answers them (errors/problem.ts). */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'Stable URN derived from `code`', examples: ['urn:healthledger:problem:consent-required'] }),
    title: Type.String({ description: 'The HTTP status text', examples: ['Forbidden'] }),
    status: Type.Integer({ description: 'The HTTP status', examples: [403] }),
    code: Type.String({ description: "Stable machine-readable code: the chaincode's or the gateway's error catalogue", examples: ['CONSENT_REQUIRED'] }),
    detail: Type.Optional(Type.String({ description: 'What went wrong, naming ids or fields (never record content)', examples: ['No consent permits this access: rec-1'] })),
    instance: Type.Optional(Type.String({ description: 'The request path', examples: ['/records/rec-1/access'] })),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          pointer: Type.String({ description: 'JSON Pointer into the request part', examples: ['/body/purpose'] }),
          detail: Type.String({ description: 'What is wrong with the field', examples: ['must be one of: TREAT, ETREAT'] }),
          allowedValues: Type.Optional(Type.Array(Type.String(), { description: 'For a value outside an enumeration: the values the field accepts', examples: [['TREAT', 'ETREAT']] })),
        }),
        { description: 'Field-level validation failures' },
      ),
    ),
    progress: Type.Optional(Type.Object({}, { additionalProperties: true, description: 'For a request of several transactions: what committed before one failed' })),
  },
  { $id: PROBLEM_SCHEMA_ID, additionalProperties: true, description: 'RFC 9457 problem details (application/problem+json)' },
);

/** An error response: problem+json with the shared schema. */
export interface ProblemResponse {
  description: string;
  content: { 'application/problem+json': { schema: TSchema } };
}

const problemRef = (description: string): ProblemResponse => ({ description, content: { 'application/problem+json': { schema: Type.Ref(PROBLEM_SCHEMA_ID) } } });

/** Error responses of an authenticated operation (a 4xx from the ledger depends on the call). */
export function problemResponses(): Record<number, ProblemResponse> {
  return {
    400: problemRef('The request is invalid (VALIDATION_FAILED lists the fields in `errors`)'),
    401: problemRef('No or bad credentials (UNAUTHENTICATED)'),
    403: problemRef("Refused: the caller's role or organisation (ROLE_FORBIDDEN, ORG_FORBIDDEN) or a rule on the data (e.g. CONSENT_REQUIRED)"),
    404: problemRef('The resource does not exist'),
    409: problemRef('Conflicts with the ledger state (exists already, wrong version, wrong status)'),
    503: problemRef('The ledger is unavailable for now (LEDGER_UNAVAILABLE), or the request waited too long for room among the request bodies the gateway processes at once (BODY_BUDGET_EXHAUSTED); retry after `Retry-After`'),
  };
}

/**
 * Adds {@link problemResponses} to every route of `app`'s context that documents its success but
 * none of its errors. (A route that documents no response at all is left alone: the document then
 * keeps its default success entry, and the OpenAPI test names it as a gap.)
 */
export function documentProblems(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const response = route.schema?.response as Record<string, unknown> | undefined;
    if (!response || Object.keys(response).some((status) => Number(status) >= 400)) return;
    route.schema = { ...route.schema, response: { ...response, ...problemResponses() } };
  });
}
