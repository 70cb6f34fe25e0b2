/**
 * The gateway's error catalogue: every code the gateway itself answers, declared once, with its
 * HTTP status and default detail. `problem()` and `HttpProblem` take a {@link ProblemCode} and
 * read the status from here, so no call site chooses a status of its own.
 *
 * - {@link GATEWAY_PROBLEMS}: requests the gateway refuses (HTTP, parsing, limits, credentials,
 *   idempotency, cursors), its own resources (blocks, webhooks, offline messages) and its faults.
 * - {@link LEDGER_PROBLEMS}: Fabric failures (rather than the chaincode's answers); the mapper
 *   (mapper.ts) decides which entry a Fabric error is.
 * - The chaincode's codes live in the contract API's `ERROR_CATALOGUE`; the gateway answers them
 *   too (ROLE_FORBIDDEN, VALIDATION_FAILED) with the status of their `kind`
 *   ({@link STATUS_OF_KIND}) and never redeclares them.
 *
 * Only a transient ledger entry, and a body that waited too long for the gateway's body budget
 * (BODY_BUDGET_EXHAUSTED, http/body-budget.ts), is a 503 with `Retry-After`: telling a client to
 * come back is a promise that coming back can work. A network configuration fault (chaincode not deployed, an
 * endorsement plan Fabric cannot build) is not transient — waiting does not fix it, an operator does.
 */
import { ERROR_CATALOGUE, type ErrorCode, type ErrorKind } from '@healthledger/contract-api';

/** How the gateway answers one code. */
export interface ProblemEntry {
  readonly status: number;
  /** Detail used when the call site has nothing more specific to say. Never PHI, addresses or peer texts. */
  readonly detail: string;
}

/** How the gateway answers one kind of ledger failure. */
export interface LedgerProblemEntry extends ProblemEntry {
  /**
   * Unavailability that passes by itself (a peer restarting, gossip membership converging):
   * answered 503 with `Retry-After`, and retried (a bounded number of times) by the gateway first.
   */
  readonly transient: boolean;
}

/** Problems of the gateway's own making: what it refuses before, around or instead of the ledger. */
export const GATEWAY_PROBLEMS = {
  // HTTP and request parsing (Fastify's and Node's parser errors included)
  BAD_REQUEST: { status: 400, detail: 'The request cannot be processed' },
  MALFORMED_JSON: { status: 400, detail: 'The request body is not valid JSON' },
  JSON_TOO_DEEP: { status: 400, detail: 'The JSON body nests arrays and objects too deeply' },
  BODY_TOO_LARGE: { status: 413, detail: 'The request body exceeds the size limit' },
  CONTENT_TOO_LARGE: { status: 413, detail: 'Record content exceeds the documented maximum (4 MiB)' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, detail: 'Send application/json' },
  URI_TOO_LONG: { status: 414, detail: 'A path segment is too long' },
  HEADERS_TOO_LARGE: { status: 431, detail: 'The request line and headers exceed the size limit' },
  REQUEST_TIMEOUT: { status: 408, detail: 'The request was not received in time' },
  NOT_FOUND: { status: 404, detail: 'No such resource' },
  RATE_LIMITED: { status: 429, detail: 'Too many requests' },
  BODY_BUDGET_EXHAUSTED: { status: 503, detail: 'The gateway is already processing as many request bodies as its memory budget allows; retry later' },
  INVALID_CURSOR: { status: 400, detail: 'The cursor is not one this API issued' },
  INVALID_IDEMPOTENCY_KEY: { status: 400, detail: 'Idempotency-Key must be 1 to 255 visible ASCII characters' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, detail: 'This Idempotency-Key was used with a different request' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, detail: 'A request with this Idempotency-Key is still being processed' },

  // Callers
  UNAUTHENTICATED: { status: 401, detail: 'Authentication required' },
  IDENTITY_NOT_ENROLLED: { status: 403, detail: 'No Fabric identity is enrolled for this caller' },
  OFFLINE_SIGNING_REQUIRED: { status: 403, detail: 'This identity holds its own key: use the /offline signing flow' },
  USER_NOT_FOUND: { status: 404, detail: 'No demo user with this name' },
  USER_AMBIGUOUS: { status: 400, detail: 'Several organisations have this user; give mspId' },

  // Identity lifecycle (routes/identities.ts)
  IDENTITY_REVOKED: { status: 401, detail: "This caller's identity has been revoked by its organisation" },
  IDENTITY_ADMIN_REQUIRED: { status: 403, detail: "Only an organisation admin manages its organisation's identities" },
  IDENTITY_LIFECYCLE_UNAVAILABLE: { status: 404, detail: 'No certificate authority is configured for this organisation' },
  IDENTITY_NOT_FOUND: { status: 404, detail: 'No identity with this name is registered in this organisation' },
  IDENTITY_EXISTS: { status: 409, detail: 'An identity with this name already exists in this organisation' },
  IDENTITY_STATE_CONFLICT: { status: 409, detail: 'The identity is not in a state that allows this (not enrolled yet, already enrolled, or revoked)' },
  ENROLLMENT_SECRET_INVALID: { status: 401, detail: 'The enrollment secret is wrong or has been used' },
  CSR_INVALID: { status: 400, detail: 'The certificate signing request does not parse, is not ECDSA P-256, or its signature does not verify' },
  REENROLLMENT_NEEDS_KEY: { status: 409, detail: "The user holds this identity's key: the certificate authority needs a request signed with it" },
  CERTIFICATE_AUTHORITY_UNAVAILABLE: { status: 502, detail: 'The certificate authority or the channel config update failed' },

  // The gateway's own resources
  BLOCK_NOT_FOUND: { status: 404, detail: 'No such block' },
  TRANSACTION_NOT_FOUND: { status: 404, detail: 'No transaction with this id' },
  INVALID_RANGE: { status: 400, detail: 'The block range is invalid' },
  RANGE_TOO_LARGE: { status: 400, detail: 'The block range is too large for one request' },
  WEBHOOK_NOT_FOUND: { status: 404, detail: 'No such webhook' },
  OFFLINE_MESSAGE_INVALID: { status: 400, detail: 'The signed message is not one this gateway issued' },
  CAPTURE_JOB_NOT_FOUND: { status: 404, detail: 'No capture job with this id was started by this caller on this gateway' },
  OPERATION_NOT_FOUND: { status: 404, detail: 'No operation with this id was started by this caller' },
  OPERATION_FINISHED: { status: 409, detail: 'The operation has finished and can no longer be cancelled' },
  OPERATION_INTERRUPTED: { status: 503, detail: 'The gateway restarted while the operation ran and could not resume it; `batches` lists what committed' },
  EXPORT_TOO_LARGE: { status: 422, detail: 'The list is too long for one export' },
  EPCIS_QUERY_TOO_COMPLEX: { status: 400, detail: 'The EPCIS query must name the packs it is about (MATCH_epc or MATCH_anyEPC)' },
  EPCIS_QUERY_PARAMETER_INVALID: { status: 400, detail: 'An EPCIS query parameter is unknown or has an invalid value' },

  // Faults
  LEDGER_BAD_RESPONSE: { status: 502, detail: 'The chaincode returned a result the gateway cannot read' },
  INTERNAL_ERROR: { status: 500, detail: 'An unexpected error occurred' },
} as const satisfies Record<string, ProblemEntry>;

/**
 * Ledger failure codes. 502 vs 500: a 502 says the gateway and the request are fine but the
 * Fabric network behind it cannot serve the request as it is configured (an upstream fault an
 * operator fixes); 500 is kept for faults in the gateway or the contract.
 */
export const LEDGER_PROBLEMS = {
  LEDGER_UNAVAILABLE: { status: 503, detail: 'The ledger is unavailable; retry later', transient: true },
  LEDGER_TIMEOUT: { status: 504, detail: 'The ledger did not answer within the deadline', transient: false },
  LEDGER_ACCESS_DENIED: { status: 403, detail: 'The ledger refused this identity or signature', transient: false },
  ENDORSEMENT_UNSATISFIABLE: {
    status: 502,
    detail: 'No set of peers can satisfy the endorsement policy as the network is configured; an operator must fix the chaincode deployment or the policies',
    transient: false,
  },
  ENDORSEMENT_MISMATCH: {
    status: 502,
    detail: 'The endorsing peers computed different results (different chaincode versions or ledger states, or a non-deterministic contract); nothing was committed',
    transient: false,
  },
  LEDGER_ERROR: { status: 500, detail: 'The ledger rejected the request unexpectedly', transient: false },
  ENDORSEMENT_POLICY_FAILURE: { status: 403, detail: 'The organisations that endorsed may not change this asset', transient: false },
  MVCC_READ_CONFLICT: { status: 409, detail: 'The data changed concurrently; retrying did not resolve it', transient: false },
  PHANTOM_READ_CONFLICT: { status: 409, detail: 'The data changed concurrently; retrying did not resolve it', transient: false },
  COMMIT_FAILED: { status: 500, detail: 'The transaction was not committed', transient: false },
} as const satisfies Record<string, LedgerProblemEntry>;

/** A code of {@link LEDGER_PROBLEMS}. */
export type LedgerProblemCode = keyof typeof LEDGER_PROBLEMS;

/** A code the gateway declares: {@link GATEWAY_PROBLEMS} or {@link LEDGER_PROBLEMS}. */
export type GatewayProblemCode = keyof typeof GATEWAY_PROBLEMS | LedgerProblemCode;

/** Every code a problem may carry: the gateway's own, or the contract API's. */
export type ProblemCode = GatewayProblemCode | ErrorCode;

/** HTTP status for each chaincode error kind. */
export const STATUS_OF_KIND: Readonly<Record<ErrorKind, number>> = {
  validation: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
};

/** Seconds a client should wait before retrying a transient ledger failure. */
export const RETRY_AFTER_SECONDS = 2;

/** `true` when no code is declared in both A and B, else `false`. */
type Disjoint<A, B> = [Extract<keyof A, keyof B>] extends [never] ? true : false;

/** Compiles only while every code is declared in one catalogue: a code in two fails the build here. */
export const CODES_DECLARED_ONCE: [
  gatewayAndLedger: Disjoint<typeof GATEWAY_PROBLEMS, typeof LEDGER_PROBLEMS>,
  gatewayAndContract: Disjoint<typeof GATEWAY_PROBLEMS, typeof ERROR_CATALOGUE>,
  ledgerAndContract: Disjoint<typeof LEDGER_PROBLEMS, typeof ERROR_CATALOGUE>,
] = [true, true, true];

const GATEWAY_ENTRIES: Readonly<Record<GatewayProblemCode, ProblemEntry>> = { ...GATEWAY_PROBLEMS, ...LEDGER_PROBLEMS };

function isGatewayCode(code: ProblemCode): code is GatewayProblemCode {
  return code in GATEWAY_ENTRIES;
}

/** The status and default detail of any code: the gateway's entry, or the contract API's kind and message. */
export function problemEntry(code: ProblemCode): ProblemEntry {
  if (isGatewayCode(code)) return GATEWAY_ENTRIES[code];
  const entry = ERROR_CATALOGUE[code];
  return { status: STATUS_OF_KIND[entry.kind], detail: entry.message };
}
