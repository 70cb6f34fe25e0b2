/** A small HTTP client for the e2e tests: JSON in, JSON or problem+json out, as a given demo user. */
import { connect, isIPv6 } from 'node:net';
import { typedClient, type Api } from './client';
import type { GatewayEndpoint } from './network';

/**
 * Response bodies of the untyped helpers are JSON that each test asserts on field by field. The
 * typed client (`as(user)`, client/index.ts) checks paths, parameters and bodies against the
 * committed OpenAPI document; journeys use it, and the untyped helpers remain for requests the
 * document must refuse (malformed input, raw bytes, unknown paths).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: typing every response shape here would duplicate the contracts
export type Json = any;

export interface Reply<T = Json> {
  status: number;
  headers: Headers;
  body: T;
}

export function client(net: GatewayEndpoint) {
  const call = async (user: string | undefined, method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> => {
    const h: Record<string, string> = { ...headers };
    if (user) h['authorization'] = await net.bearer(user);
    if (body !== undefined) h['content-type'] ??= 'application/json';
    const res = await fetch(net.urlFor(user) + url, { method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed };
  };
  return {
    /** The typed client acting as `user`. */
    as: (user?: string): Api => typedClient(net, user),
    call,
    get: (user: string, url: string) => call(user, 'GET', url),
    post: (user: string, url: string, body: unknown = {}, headers?: Record<string, string>) => call(user, 'POST', url, body, headers),
    put: (user: string, url: string, body: unknown) => call(user, 'PUT', url, body),
    del: (user: string, url: string) => call(user, 'DELETE', url),
  };
}

/** Unique ids per run (material and ledgers may be reused between runs). */
export function uid(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/**
 * This process's address on the way to `baseUrl` (a gateway): where that gateway's host can call
 * back, e.g. a webhook receiver. Loopback for a gateway on loopback; on several hosts the address
 * of this host's interface toward the gateway's, found by connecting to it as the kernel routes.
 */
export function localAddressToward(baseUrl: string): Promise<string> {
  const url = new URL(baseUrl);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port || (url.protocol === 'https:' ? 443 : 80)), host);
    socket.once('connect', () => {
      const address = socket.localAddress;
      socket.destroy();
      if (address) resolve(address);
      else reject(new Error(`no local address toward ${baseUrl}`));
    });
    socket.once('error', reject);
  });
}

/** `address` as the host part of a URL (IPv6 in brackets). */
export function urlHost(address: string): string {
  return isIPv6(address) ? `[${address}]` : address;
}

/**
 * A research consent of patient1 for Hospital 2. No journey requests access for HRESCH, so the
 * consents journeys leave active on a persistent ledger (test:fabric runs every journey twice)
 * change no other journey's access decision — the care journey expects Hospital 2 to be denied
 * TREAT before its own consent.
 */
export function researchConsent(consentId: string) {
  return {
    consentId,
    patientRef: 'pt-0c5f1a9e',
    grantee: { org: 'Hospital2MSP' },
    period: { start: '2020-01-01' },
    provisions: [{ type: 'permit' as const, actions: ['access' as const], purposes: ['HRESCH' as const] }],
  };
}
