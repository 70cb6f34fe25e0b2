/**
 * Errors as FHIR OperationOutcome. Every error of a FHIR route goes through the gateway's one
 * mapper (errors/mapper.ts), so the status, the stable problem code and the detail are exactly
 * what the compact API answers; the code travels as `issue[0].details.coding` in
 * `urn:healthledger:problem`, field errors as further issues with their JSON pointer.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { mapError } from '../errors/mapper';
import { drainRequest } from '../http/drain';
import { problem, type Problem } from '../errors/problem';
import { LOCAL } from './codes';
import type { OperationOutcome, OperationOutcomeIssue } from './types';

/** Media type of every FHIR response. */
export const FHIR_JSON = 'application/fhir+json; fhirVersion=4.0';

/** FHIR issue type (http://hl7.org/fhir/issue-type) for an HTTP status. */
export function issueType(status: number): string {
  switch (status) {
    case 400:
    case 422:
      return 'invalid';
    case 401:
      return 'login';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 405:
    case 415:
      return 'not-supported';
    case 408:
    case 504:
      return 'timeout';
    case 409:
    case 412:
      return 'conflict';
    case 413:
    case 414:
    case 431:
      return 'too-long';
    case 429:
      return 'throttled';
    case 503:
      return 'transient';
    default:
      return status >= 500 ? 'exception' : 'processing';
  }
}

/** The OperationOutcome of a problem. */
export function operationOutcome(p: Problem): OperationOutcome {
  const main: OperationOutcomeIssue = {
    severity: 'error',
    code: issueType(p.status),
    details: { coding: [{ system: LOCAL.problem, code: p.code }], ...(p.detail ? { text: p.detail } : {}) },
  };
  const fields: OperationOutcomeIssue[] = (p.errors ?? []).map((e) => ({ severity: 'error', code: 'invalid', diagnostics: `${e.pointer}: ${e.detail}` }));
  return { resourceType: 'OperationOutcome', issue: [main, ...fields] };
}

/**
 * Answers every error (and unknown path) under the FHIR prefix as an OperationOutcome, with the
 * status and headers (Retry-After, WWW-Authenticate) the gateway's mapper chose.
 */
export function registerOperationOutcomes(app: FastifyInstance): void {
  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    const { problem: p, headers } = mapError(err);
    if (p.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: p.code, status: p.status }, 'request rejected');
    // Rejected before its body was read: read the rest so a client still sending gets the answer.
    if (!request.raw.complete) await drainRequest(request.raw);
    return reply.code(p.status).headers(headers).type(FHIR_JSON).serializer(JSON.stringify).send(operationOutcome(p));
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.code(404).type(FHIR_JSON).serializer(JSON.stringify).send(operationOutcome(problem('NOT_FOUND', 'No such FHIR resource type or interaction'))),
  );
}
