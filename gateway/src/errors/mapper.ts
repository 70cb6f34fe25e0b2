/**
 * The one place where errors become HTTP answers: chaincode catalogue codes, Fabric client errors
 * (EndorseError, SubmitError, CommitError, CommitStatusError, GatewayError), Fastify's own errors
 * and our {@link HttpProblem}s. Nothing from a peer is copied verbatim except the chaincode's
 * catalogue message, which by the chaincode's contract names ids and fields only — so no peer
 * addresses, stack traces or PHI reach a client.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, GatewayError } from '@hyperledger/fabric-gateway';
import { ERROR_CATALOGUE, errorCodeOf, type ErrorKind } from '@healthledger/chaincode/shared/errors';
import { HttpProblem, problem, type FieldError, type Problem } from './problem';

/** A mapped error: the problem body plus response headers that go with it. */
export interface MappedError {
  problem: Problem;
  headers: Record<string, string>;
}

/** Seconds a client should wait before retrying when the ledger is unavailable. */
export const RETRY_AFTER_SECONDS = 2;

/** HTTP status for each chaincode error kind. */
export const STATUS_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  validation: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
};

const COMMIT_CODES: Readonly<Record<number, { status: number; code: string; detail: string }>> = {
  10: { status: 403, code: 'ENDORSEMENT_POLICY_FAILURE', detail: 'The organisations that endorsed may not change this asset' },
  11: { status: 409, code: 'MVCC_READ_CONFLICT', detail: 'The data changed concurrently; retrying did not resolve it' },
  12: { status: 409, code: 'PHANTOM_READ_CONFLICT', detail: 'The data changed concurrently; retrying did not resolve it' },
};

/** Maps any thrown value to a problem. Unknown errors become a bare 500 with no detail. */
export function mapError(err: unknown): MappedError {
  if (err instanceof HttpProblem) return { problem: err.problem, headers: { ...err.headers } };
  if (err instanceof CommitError) return mapCommitError(err);
  if (isGatewayError(err)) return mapGatewayError(err);
  const fastify = mapFastifyError(err);
  if (fastify) return fastify;
  return { problem: problem(500, 'INTERNAL_ERROR', 'An unexpected error occurred'), headers: {} };
}

function mapCommitError(err: CommitError): MappedError {
  const known = COMMIT_CODES[err.code];
  if (known) return { problem: problem(known.status, known.code, known.detail), headers: {} };
  return { problem: problem(500, 'COMMIT_FAILED', `The transaction was not committed (validation code ${err.code})`), headers: {} };
}

/** fabric-gateway errors (GatewayError and its subclasses) carry a gRPC code and per-peer details. */
function isGatewayError(err: unknown): err is GatewayError {
  return err instanceof GatewayError;
}

function mapGatewayError(err: GatewayError): MappedError {
  const messages = [err.message, ...err.details.map((d) => d.message)];
  const chaincode = chaincodeProblem(messages);
  if (chaincode) return { problem: chaincode, headers: {} };
  // A peer refusing the creator (unknown org, bad signature, not in the channel) is the caller's problem, not an outage.
  if (messages.some((m) => /access denied|creator is malformed|signature is invalid|permission denied/i.test(m))) {
    return { problem: problem(403, 'LEDGER_ACCESS_DENIED', 'The ledger refused this identity or signature'), headers: {} };
  }
  switch (err.code as GrpcStatus) {
    case GrpcStatus.DEADLINE_EXCEEDED:
      return { problem: problem(504, 'LEDGER_TIMEOUT', 'The ledger did not answer within the deadline'), headers: {} };
    case GrpcStatus.PERMISSION_DENIED:
      return { problem: problem(403, 'LEDGER_ACCESS_DENIED', 'The ledger refused this identity'), headers: {} };
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.FAILED_PRECONDITION:
    case GrpcStatus.ABORTED:
    case GrpcStatus.CANCELLED:
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return unavailable();
    default:
      // UNKNOWN with a chaincode message we do not know: a contract or gateway bug, not the caller's fault.
      return { problem: problem(500, 'LEDGER_ERROR', 'The ledger rejected the request unexpectedly'), headers: {} };
  }
}

function unavailable(): MappedError {
  return {
    problem: problem(503, 'LEDGER_UNAVAILABLE', 'The ledger is unavailable; retry later'),
    headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
  };
}

/** The first catalogue code found in any of the messages, as a problem with the chaincode's text. */
export function chaincodeProblem(messages: readonly string[]): Problem | undefined {
  for (const message of messages) {
    const code = errorCodeOf(message);
    if (code === undefined) continue;
    const entry = ERROR_CATALOGUE[code];
    const at = message.indexOf(`${code}: `);
    const text = message.slice(at + code.length + 2).split('\n')[0]?.trim();
    return problem(STATUS_OF_KIND[entry.kind], code, text || entry.message);
  }
  return undefined;
}

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  validation?: unknown;
  validationContext?: unknown;
}

/** Fastify's request errors: schema validation, bad JSON, body too large, wrong media type. */
function mapFastifyError(err: unknown): MappedError | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as FastifyLikeError;
  if (Array.isArray(e.validation)) {
    const part = typeof e.validationContext === 'string' ? e.validationContext : 'body';
    const errors = (e.validation as ValidationIssue[]).map((v) => fieldError(part, v));
    return { problem: problem(400, 'VALIDATION_FAILED', 'The request is invalid', errors), headers: {} };
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  const code = FASTIFY_CODES[String(e.code)] ?? (status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST');
  return { problem: problem(status, code, FASTIFY_DETAILS[code] ?? 'The request cannot be processed'), headers: {} };
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

function fieldError(part: string, v: ValidationIssue): FieldError {
  let pointer = `/${part}${v.instancePath ?? ''}`;
  const extra = v.params?.['additionalProperty'] ?? v.params?.['missingProperty'];
  if (typeof extra === 'string') pointer += `/${extra}`;
  return { pointer, detail: v.keyword === 'additionalProperties' ? 'unknown field' : (v.message ?? 'invalid') };
}

const FASTIFY_CODES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_BAD_URL: 'BAD_REQUEST',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
  FST_ERR_ASYNC_CONSTRAINT: 'BAD_REQUEST',
};

const FASTIFY_DETAILS: Readonly<Record<string, string>> = {
  BODY_TOO_LARGE: 'The request body exceeds the size limit',
  UNSUPPORTED_MEDIA_TYPE: 'Send application/json',
  MALFORMED_JSON: 'The request body is not valid JSON',
  NOT_FOUND: 'No such resource',
  URI_TOO_LONG: 'A path segment is too long',
};
