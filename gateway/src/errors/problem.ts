/**
 * RFC 9457 problem details: the one shape every error response of the gateway takes. `type` is a
 * stable URN derived from `code`, so clients can switch on either. A problem is built from a code
 * of the catalogue (catalogue.ts), which gives its status and default detail.
 */
import { problemEntry, type ProblemCode } from './catalogue';

/** Media type of every error response. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** One field-level validation failure (RFC 9457 extension member `errors`). */
export interface FieldError {
  /** JSON Pointer into the request part (`/body/amount`, `/params/id`, `/headers/idempotency-key`). */
  pointer: string;
  detail: string;
  /** For a value outside an enumeration: the values the field accepts. */
  allowedValues?: string[];
}

/** An RFC 9457 problem details object. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  /** Stable machine-readable code: a chaincode catalogue code or a gateway code. */
  code: ProblemCode;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  /** For a request of several transactions: what committed before it failed. */
  progress?: CommitProgress;
}

/**
 * What a request made of several ledger transactions committed before one failed (RFC 9457
 * extension member `progress`). A client never gets an answer that hides committed work: it
 * learns which transactions committed and which requests to send again to finish.
 */
export interface CommitProgress {
  /** Items committed, of `total`. */
  committed: number;
  total: number;
  /** The transactions that committed, each with the items it covered (`offset` into the request). */
  transactions: { txId: string; offset: number; count: number }[];
  /** The single-transaction requests that did not commit, in order: sending each again finishes the work. */
  remaining: unknown[];
}

/** Thrown by a route whose request ran as several transactions when one failed: the cause, and the progress. */
export class PartialCommit extends Error {
  constructor(
    override readonly cause: unknown,
    readonly progress: CommitProgress,
  ) {
    super(`${progress.committed} of ${progress.total} committed`);
    this.name = 'PartialCommit';
  }
}

/** The stable `type` URI for a code, e.g. `CONSENT_REQUIRED` → `urn:healthledger:problem:consent-required`. */
export function problemType(code: string): string {
  return `urn:healthledger:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The reason phrase used as a problem's `title` for an HTTP status. */
export function statusTitle(status: number): string {
  return TITLES[status] ?? 'Error';
}

/**
 * Builds the problem for `code`, with the catalogue's status; `detail` (default: the catalogue's)
 * must never carry PHI, peer addresses or stack traces.
 */
export function problem(code: ProblemCode, detail?: string, errors?: FieldError[]): Problem {
  const entry = problemEntry(code);
  const p: Problem = { type: problemType(code), title: statusTitle(entry.status), status: entry.status, code, detail: detail ?? entry.detail };
  if (errors !== undefined && errors.length > 0) p.errors = errors;
  return p;
}

/**
 * An error a route or plugin throws to answer with a specific problem: a catalogued code, whose
 * status it takes, and an optional detail. `headers` carries response headers that belong to the
 * problem (`Retry-After`, `WWW-Authenticate`); `errors` lists field-level failures.
 */
export class HttpProblem extends Error {
  readonly problem: Problem;

  constructor(
    code: ProblemCode,
    detail?: string,
    readonly headers: Readonly<Record<string, string>> = {},
    errors?: FieldError[],
  ) {
    super(detail ?? code);
    this.name = 'HttpProblem';
    this.problem = problem(code, detail, errors);
  }
}
