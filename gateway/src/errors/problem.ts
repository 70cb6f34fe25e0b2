/**
 * RFC 9457 problem details: the one shape every error response of the gateway takes. `type` is a
 * stable URN derived from `code`, so clients can switch on either.
 */

/** Media type of every error response. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** One field-level validation failure (RFC 9457 extension member `errors`). */
export interface FieldError {
  /** JSON Pointer into the request part (`/body/amount`, `/params/id`, `/headers/idempotency-key`). */
  pointer: string;
  detail: string;
}

/** An RFC 9457 problem details object. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  /** Stable machine-readable code: a chaincode catalogue code or a gateway code. */
  code: string;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
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

/** Builds a problem; `detail` must never carry PHI, peer addresses or stack traces. */
export function problem(status: number, code: string, detail?: string, errors?: FieldError[]): Problem {
  const p: Problem = { type: problemType(code), title: TITLES[status] ?? 'Error', status, code };
  if (detail !== undefined) p.detail = detail;
  if (errors !== undefined && errors.length > 0) p.errors = errors;
  return p;
}

/**
 * An error a route or plugin throws to answer with a specific problem. `headers` carries
 * response headers that belong to the problem (`Retry-After`, `WWW-Authenticate`).
 */
export class HttpProblem extends Error {
  readonly problem: Problem;

  constructor(
    status: number,
    code: string,
    detail?: string,
    readonly headers: Readonly<Record<string, string>> = {},
    errors?: FieldError[],
  ) {
    super(detail ?? code);
    this.name = 'HttpProblem';
    this.problem = problem(status, code, detail, errors);
  }
}
