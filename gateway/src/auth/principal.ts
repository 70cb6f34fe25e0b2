/**
 * Authentication: every request to a route of the authenticated context (routes/index.ts)
 * carries a bearer JWT or an API key; the caller is mapped to its Fabric identity in the wallet.
 * Authorization itself is the chaincode's job (it sees the real identity); the gateway only
 * refuses callers it cannot map.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpProblem } from '../errors/problem';
import type { FabricUser, Wallet } from '../fabric/wallet';
import type { ApiKeys } from './api-keys';
import { TokenError, type TokenSubject, type TokenVerifier } from './tokens';

/** An authenticated caller and the Fabric identity the gateway acts as for it. */
export interface Principal {
  user: FabricUser;
  method: 'bearer' | 'api-key';
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export interface AuthDeps {
  wallet: Wallet;
  tokens: TokenVerifier | undefined;
  apiKeys: ApiKeys;
  /** True for an identity its organisation revoked: refused 401 IDENTITY_REVOKED before the ledger. */
  revoked?: (mspId: string, name: string) => boolean;
}

const CHALLENGE = { 'www-authenticate': 'Bearer realm="healthledger"' };

/**
 * Decorates requests with their `principal` and authenticates every request to a route of `app`'s
 * context (and its children). Call it on the authenticated context only: public routes live in a
 * sibling context, where neither the hook nor the decoration exists.
 */
export function registerAuth(app: FastifyInstance, deps: AuthDeps): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    request.principal = await authenticate(request, deps);
  });
}

async function authenticate(request: FastifyRequest, deps: AuthDeps): Promise<Principal> {
  const apiKey = request.headers['x-api-key'];
  const authorization = request.headers.authorization;
  let subject: TokenSubject | undefined;
  let method: Principal['method'];
  if (typeof apiKey === 'string') {
    method = 'api-key';
    subject = deps.apiKeys.lookup(apiKey);
    if (!subject) throw new HttpProblem('UNAUTHENTICATED', 'Unknown API key', CHALLENGE);
  } else if (authorization?.startsWith('Bearer ')) {
    method = 'bearer';
    if (!deps.tokens) throw new HttpProblem('UNAUTHENTICATED', 'Bearer tokens are not configured', CHALLENGE);
    try {
      subject = await deps.tokens.verify(authorization.slice('Bearer '.length).trim());
    } catch (err) {
      if (err instanceof TokenError) throw new HttpProblem('UNAUTHENTICATED', 'The bearer token is invalid or expired', CHALLENGE);
      throw err;
    }
  } else {
    throw new HttpProblem('UNAUTHENTICATED', 'Send a bearer token or an X-API-Key header', CHALLENGE);
  }
  if (deps.revoked?.(subject.mspId, subject.name)) throw new HttpProblem('IDENTITY_REVOKED', undefined, CHALLENGE);
  const user = deps.wallet.get(subject.mspId, subject.name);
  if (!user) throw new HttpProblem('IDENTITY_NOT_ENROLLED');
  return { user, method };
}

/** The caller of an authenticated route. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HttpProblem('UNAUTHENTICATED', 'Authentication required', CHALLENGE);
  return request.principal;
}

/** The caller's identity, which must hold its key here (every flow but offline signing). */
export function signingUserOf(request: FastifyRequest): FabricUser {
  const { user } = principalOf(request);
  if (!user.privateKey) {
    throw new HttpProblem('OFFLINE_SIGNING_REQUIRED');
  }
  return user;
}

/** Refuses callers whose role is not listed (for gateway-only resources such as raw blocks). */
export function requireRole(request: FastifyRequest, roles: readonly string[]): FabricUser {
  const { user } = principalOf(request);
  if (!roles.includes(user.role)) throw new HttpProblem('ROLE_FORBIDDEN');
  return user;
}
