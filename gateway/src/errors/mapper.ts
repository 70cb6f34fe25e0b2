/**
 * The one place where errors become HTTP answers: chaincode catalogue codes, Fabric client errors
 * (EndorseError, SubmitError, CommitError, CommitStatusError, GatewayError), Fastify's own errors
 * and our {@link HttpProblem}s. Nothing from a peer is copied verbatim except the chaincode's
 * catalogue message, which by the chaincode's contract names ids and fields only, and the
 * collection, chaincode and channel names in Fabric's endorsement-plan errors — so no peer
 * addresses, stack traces, transient data or PHI reach a client. Every code and its status is
 * declared once, in catalogue.ts (the chaincode's in the contract API's catalogue).
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import { CommitError, GatewayError } from '@hyperledger/fabric-gateway';
import { ChaincodeError, errorCodeOf } from '@healthledger/contract-api';
import { DeliverStatusError } from '../fabric/deliver';
import { LEDGER_PROBLEMS, RETRY_AFTER_SECONDS, type GatewayProblemCode, type LedgerProblemCode, type LedgerProblemEntry } from './catalogue';
import { HttpProblem, PartialCommit, problem, statusTitle, type FieldError, type Problem } from './problem';

/** A mapped error: the problem body plus response headers that go with it. */
export interface MappedError {
  problem: Problem;
  headers: Record<string, string>;
}

const COMMIT_CODES: Readonly<Record<number, LedgerProblemCode>> = {
  10: 'ENDORSEMENT_POLICY_FAILURE',
  11: 'MVCC_READ_CONFLICT',
  12: 'PHANTOM_READ_CONFLICT',
};

/** Maps any thrown value to a problem. Unknown errors become a bare 500 with no detail. */
export function mapError(err: unknown): MappedError {
  if (err instanceof PartialCommit) {
    const mapped = mapError(err.cause);
    return { problem: { ...mapped.problem, progress: err.progress }, headers: mapped.headers };
  }
  if (err instanceof HttpProblem) return { problem: err.problem, headers: { ...err.headers } };
  // The gateway runs some chaincode code itself (bulk commissioning's planner validates the
  // request): its catalogue errors are the same answers the chaincode would give, not a 500.
  if (err instanceof ChaincodeError) return { problem: chaincodeProblem([err.message]) ?? problem(err.code), headers: {} };
  if (err instanceof CommitError) return mapCommitError(err);
  if (err instanceof DeliverStatusError) return ledgerProblem(deliverFailure(err));
  if (isGatewayError(err)) return mapGatewayError(err);
  const fastify = mapFastifyError(err);
  if (fastify) return fastify;
  return { problem: problem('INTERNAL_ERROR'), headers: {} };
}

function mapCommitError(err: CommitError): MappedError {
  const known = COMMIT_CODES[err.code];
  if (known) return ledgerProblem({ code: known });
  return ledgerProblem({ code: 'COMMIT_FAILED', detail: `The transaction was not committed (validation code ${err.code})` });
}

/**
 * A Deliver stream the peer ended with a status (fabric/deliver.ts), as Fabric's deliver service
 * answers: FORBIDDEN when the requester is not (or no longer) a channel reader, SERVICE_UNAVAILABLE
 * while the peer cannot serve the channel, NOT_FOUND for a channel the peer does not have.
 */
function deliverFailure(err: DeliverStatusError): LedgerFailure {
  switch (err.statusName) {
    case 'FORBIDDEN':
      return { code: 'LEDGER_ACCESS_DENIED', detail: 'The peer refused to deliver blocks to this identity' };
    case 'SERVICE_UNAVAILABLE':
      return { code: 'LEDGER_UNAVAILABLE' };
    default:
      return { code: 'LEDGER_ERROR', detail: `The peer ended the block stream with status ${err.statusName}` };
  }
}

/** fabric-gateway errors (GatewayError and its subclasses) carry a gRPC code and per-peer details. */
function isGatewayError(err: unknown): err is GatewayError {
  return err instanceof GatewayError;
}

/** A Fabric failure classified: a ledger catalogue code and, where known, a more specific detail. */
export interface LedgerFailure {
  code: LedgerProblemCode;
  detail?: string;
}

/** The answer for a ledger failure; `Retry-After` exactly when the catalogue calls it transient. */
function ledgerProblem(failure: LedgerFailure): MappedError {
  const entry: LedgerProblemEntry = LEDGER_PROBLEMS[failure.code];
  return {
    problem: problem(failure.code, failure.detail),
    headers: entry.transient ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {},
  };
}

function mapGatewayError(err: GatewayError): MappedError {
  const messages = messagesOf(err);
  const chaincode = chaincodeProblem(messages);
  if (chaincode) return { problem: chaincode, headers: {} };
  return ledgerProblem(classifyMessages(err.code, messages));
}

function messagesOf(err: GatewayError): string[] {
  return [err.message, ...err.details.map((d) => d.message)];
}

/**
 * Classifies a fabric-gateway error that carries no chaincode catalogue code. The gateway's retry
 * (fabric/retry.ts) uses the same classification, so what a client is told to retry is exactly
 * what the gateway retries itself first.
 */
export function ledgerFailureOf(err: GatewayError): LedgerFailure | undefined {
  const messages = messagesOf(err);
  if (chaincodeProblem(messages)) return undefined;
  return classifyMessages(err.code, messages);
}

/** A name Fabric puts in its messages (collection, chaincode, channel, MSP id): safe to echo. */
const NAME = '([A-Za-z0-9_.-]{1,128})';

interface Rule {
  test: RegExp;
  failure: (match: RegExpExecArray) => LedgerFailure;
}

const unsatisfiable = (detail: string): LedgerFailure => ({ code: 'ENDORSEMENT_UNSATISFIABLE', detail });

/**
 * Fabric's own texts (fabric 2.5 gateway and discovery, as observed), most specific first; the
 * first rule that matches any message (the error's or a peer's detail) wins. The gRPC code alone
 * cannot tell: Fabric answers FAILED_PRECONDITION both for a chaincode that is not installed and
 * for peers that gossip has not (yet) seen alive.
 */
const RULES: readonly Rule[] = [
  // A peer or orderer refusing the creator (unknown org, bad signature, not in the channel) is the caller's problem, not an outage.
  {
    test: /access denied|creator is malformed|signature is invalid|permission denied|status=FORBIDDEN/i,
    failure: () => ({ code: 'LEDGER_ACCESS_DENIED' }),
  },
  // Transient data may only reach organisations in the collection's distribution policy; the policy needs others.
  {
    test: /not in the distribution policy of the private data collection\(s\): \[([^\]]*)\]/,
    failure: (m) => {
      const collections = (m[1] ?? '').split(/[\s,]+/).filter((c) => /^[A-Za-z0-9_.-]{1,128}$/.test(c));
      return unsatisfiable(
        `This request carries private data for collection(s) ${collections.join(', ') || '(unnamed)'}, but the endorsement policy also requires organisations outside them; ` +
          'the operation must name its endorsing organisations, or the endorsement policy must change',
      );
    },
  },
  // With transient data the gateway's own organisation must endorse first; its peer is up (it answered) but lacks the chaincode.
  {
    test: /no endorsers found in the gateway's organization/,
    failure: () =>
      unsatisfiable("No peer of the gateway's organisation can endorse this private-data request; install the chaincode on the organisation's peers"),
  },
  {
    test: new RegExp(`No metadata was found for chaincode ${NAME} in channel ${NAME}`),
    failure: (m) => unsatisfiable(`Chaincode ${m[1]} is not deployed on channel ${m[2]}; approve and commit its definition`),
  },
  {
    test: new RegExp(`chaincode definition for '${NAME}' exists, but chaincode is not installed`),
    failure: (m) => unsatisfiable(`Chaincode ${m[1]} is committed but not installed on an endorsing peer; install it on every endorsing peer`),
  },
  {
    test: new RegExp(`make sure the chaincode ${NAME} has been successfully defined on channel ${NAME}`),
    failure: (m) => unsatisfiable(`Chaincode ${m[1]} is not deployed on channel ${m[2]}; approve and commit its definition`),
  },
  {
    test: /required chaincodes are not installed on sufficient peers/,
    failure: () =>
      unsatisfiable('The chaincode is not installed on enough peers to satisfy its endorsement policy; install it on the peers of every organisation the policy needs'),
  },
  // Peers simulated against different states or code. The gateway already retried with fresh transactions (retry.ts).
  { test: /ProposalResponsePayloads do not match/, failure: () => ({ code: 'ENDORSEMENT_MISMATCH' }) },
  // Gossip knows too few live peers: right after a network starts (membership converges in ~30 s) or while
  // peers restart. Also what a peer that stays down looks like — still unavailability, not a bad request or
  // configuration, so 503; a 503 that persists means an operator should check the peers and gossip.
  {
    test: /no peer combination can satisfy the endorsement policy|failed to find any endorsing peers for org|no peers available to evaluate|no endorsing peers found for channel/,
    failure: () => ({ code: 'LEDGER_UNAVAILABLE', detail: 'Too few peers that can endorse this request are reachable; retry later' }),
  },
  // Any other reason discovery gives (policy not found, a policy no identities satisfy) is configuration.
  { test: /no combination of peers can be derived which satisfy the endorsement policy/, failure: () => unsatisfiable(LEDGER_PROBLEMS.ENDORSEMENT_UNSATISFIABLE.detail) },
  // The chaincode answered with an error outside its catalogue: a contract bug, and a definitive answer.
  { test: /chaincode response \d+,/, failure: () => ({ code: 'LEDGER_ERROR' }) },
  // A message over gRPC's size limit will be over it next time too.
  { test: /larger than max/i, failure: () => ({ code: 'LEDGER_ERROR' }) },
  // A peer, chaincode server or orderer that is down or restarting.
  {
    test: /connection refused|connection error|transport is closing|failed to connect|code = Unavailable|code = DeadlineExceeded|chaincode stream terminated|could not launch chaincode|timeout expired while|no orderers could successfully process|SERVICE_UNAVAILABLE/i,
    failure: () => ({ code: 'LEDGER_UNAVAILABLE' }),
  },
];

function classifyMessages(grpcCode: number, messages: readonly string[]): LedgerFailure {
  for (const rule of RULES) {
    for (const message of messages) {
      const match = rule.test.exec(message);
      if (match) return rule.failure(match);
    }
  }
  switch (grpcCode as GrpcStatus) {
    case GrpcStatus.DEADLINE_EXCEEDED:
      return { code: 'LEDGER_TIMEOUT' };
    case GrpcStatus.PERMISSION_DENIED:
      return { code: 'LEDGER_ACCESS_DENIED', detail: 'The ledger refused this identity' };
    case GrpcStatus.UNAVAILABLE:
    case GrpcStatus.CANCELLED:
    case GrpcStatus.RESOURCE_EXHAUSTED:
      return { code: 'LEDGER_UNAVAILABLE' };
    default:
      // FAILED_PRECONDITION and ABORTED with texts we do not know, UNKNOWN without a catalogue code:
      // nothing says waiting helps, so no 503; the raw error is logged for the operator.
      return { code: 'LEDGER_ERROR' };
  }
}

/** The first catalogue code found in any of the messages, as a problem with the chaincode's text. */
export function chaincodeProblem(messages: readonly string[]): Problem | undefined {
  for (const message of messages) {
    const code = errorCodeOf(message);
    if (code === undefined) continue;
    const at = message.indexOf(`${code}: `);
    const text = message.slice(at + code.length + 2).split('\n')[0]?.trim();
    return problem(code, text || undefined);
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
    return { problem: problem('VALIDATION_FAILED', 'The request is invalid', errors), headers: {} };
  }
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  const code = FASTIFY_CODES[String(e.code)] ?? (status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST');
  return { problem: frameworkProblem(code, status), headers: {} };
}

/**
 * The catalogue's problem for a framework error. The one answer whose status is not the
 * catalogue's: a Fastify or plugin error (e.g. @fastify/static serving /docs answers 403 or 416)
 * whose 4xx status no catalogued code has keeps that status under BAD_REQUEST, so the client
 * still learns what the framework decided about its request.
 */
function frameworkProblem(code: GatewayProblemCode, status: number): Problem {
  const answer = problem(code);
  return answer.status === status ? answer : { ...answer, status, title: statusTitle(status) };
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
  if (v.keyword === 'additionalProperties') return { pointer, detail: 'unknown field' };
  const allowed = v.params?.['allowedValues'];
  // ajv's own message ("must be equal to one of the allowed values") does not say which they are.
  if (v.keyword === 'enum' && Array.isArray(allowed)) {
    const allowedValues = allowed.map(String);
    return { pointer, detail: `must be one of: ${allowedValues.join(', ')}`, allowedValues };
  }
  return { pointer, detail: v.message ?? 'invalid' };
}

/** Fastify's error codes → the catalogue's. */
const FASTIFY_CODES: Readonly<Record<string, GatewayProblemCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_BAD_URL: 'BAD_REQUEST',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
  FST_ERR_ASYNC_CONSTRAINT: 'BAD_REQUEST',
};
