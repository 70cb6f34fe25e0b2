/**
 * A few lines every example shares: where the gateway is, how a user gets a token, and a JSON
 * call that prints what it does and stops on an error answer (problem+json, RFC 9457).
 *
 * Plain Node 20 (global fetch), no dependencies: copy it into your own integration as a start.
 */
import { randomBytes } from 'node:crypto';

/** The gateway: `npm start` serves it on port 3000; set HEALTHLEDGER_URL for another one. */
export const BASE_URL = (process.env.HEALTHLEDGER_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');

/** A unique id for this run (ids are opaque; they must never carry patient data). */
export function newId(prefix) {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

let stepNumber = 0;
/** Prints one step of the journey. */
export function step(text) {
  console.log(`\n${++stepNumber}. ${text}`);
}

/**
 * A bearer token for a demo user of the devnet. `POST /dev/token` exists only on the devnet, whose
 * identities are synthetic. In production your identity provider issues the JWT (the gateway
 * checks it against HEALTHLEDGER_JWKS_URL; claims `sub` = the user, `msp` = its organisation's
 * MSP id), or a system uses an API key in `X-API-Key` instead of `Authorization`.
 */
export async function login(user) {
  const res = await fetch(`${BASE_URL}/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user }),
  });
  const body = await res.json();
  if (!res.ok) throw new Error(`cannot log in as ${user}: ${res.status} ${body.code ?? ''} ${body.detail ?? ''}`);
  return session(user, `Bearer ${body.access_token}`, body);
}

/** Calls made as one user: `get(path)`, `post(path, body)`, `put(path, body)`. */
function session(user, authorization, identity) {
  const call = async (method, path, body) => {
    const res = await fetch(`${BASE_URL}${path}`, {
      method,
      headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text === '' ? null : JSON.parse(text);
    const tx = res.headers.get('x-transaction-id');
    console.log(`   ${user}: ${method} ${path} → ${res.status}${tx ? ` (transaction ${tx.slice(0, 12)}…)` : ''}`);
    if (!res.ok) {
      // Every error is problem+json with a stable `code`; validation errors list fields in `errors`.
      throw new Error(`${method} ${path} answered ${res.status} ${json?.code}: ${json?.detail ?? ''}`);
    }
    return json;
  };
  return {
    user,
    /** Who the token is for: `mspId`, `role`, and a patient's own `patientRef`. */
    identity,
    get: (path) => call('GET', path),
    post: (path, body = {}) => call('POST', path, body),
    put: (path, body) => call('PUT', path, body),
  };
}

/** Runs an example: prints the error and exits 1 if a step fails. */
export async function run(title, journey) {
  console.log(`${title} — against ${BASE_URL}`);
  try {
    await journey();
    console.log('\ndone');
  } catch (err) {
    console.error(`\nfailed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  }
}
