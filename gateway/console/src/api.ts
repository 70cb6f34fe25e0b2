/**
 * The console's only way to the ledger: the gateway's REST API with the signed-in caller's own
 * bearer token (kept for the browser tab only, in sessionStorage). Errors are the API's
 * problem+json, surfaced with their stable code.
 */
export interface Operation {
  method: string;
  path: string;
  operationId: string;
  transaction: string;
}

export interface Me {
  user: string;
  organisation: { mspId: string; kind?: string };
  role: string;
  ids: { patientRef?: string; practitionerId?: string };
  operations: Operation[];
}

const TOKEN_KEY = 'healthledger.console.token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

export function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string | null): void {
  if (value === null) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, value);
}

/** Calls the API as the signed-in caller (with `extra` headers, e.g. `Prefer`); answers the JSON body or throws an {@link ApiError}. */
export async function api<T>(method: string, path: string, body?: unknown, extra: Record<string, string> = {}): Promise<T> {
  const headers: Record<string, string> = { ...extra, accept: 'application/json' };
  const bearer = token();
  if (bearer) headers['authorization'] = `Bearer ${bearer}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const json: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    const problem = (json ?? {}) as { code?: string; detail?: string; title?: string };
    throw new ApiError(res.status, problem.code ?? String(res.status), problem.detail ?? problem.title ?? res.statusText);
  }
  return json as T;
}

/** A demo token from the devnet's `POST /dev/token` (absent on a production gateway). */
export async function devSignIn(user: string): Promise<void> {
  const { access_token } = await api<{ access_token: string }>('POST', '/dev/token', { user });
  setToken(access_token);
}

/** True when the caller may call the operation (from `GET /me`). */
export function may(me: Me, operationId: string): boolean {
  return me.operations.some((op) => op.operationId === operationId);
}

/** The message to show for a failed call. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Path segment escaping for ids typed by the user. */
export const seg = encodeURIComponent;
