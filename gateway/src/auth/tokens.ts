/**
 * Bearer JWT verification with `jose`: an HS256 shared secret, or an OIDC provider's JWKS
 * (RS256/ES256). A token names a Fabric identity by its subject (`sub` = user name) and the
 * `msp` claim (the organisation's MSP id). Every token must expire (`exp`) within the configured
 * maximum lifetime; `iss` and `aud` are checked when configured; `exp`, `nbf` and `iat` are
 * judged with the configured clock skew.
 *
 * `jose` loads on the first token verified or issued, not with the gateway: it is ~80 modules
 * (every JWS/JWE/JWK algorithm) that `npm start` would otherwise load before it can listen.
 */
import type { JWTVerifyGetKey } from 'jose';
import type { JwtConfig } from '../config';
import { TokenCache, type VerifiedToken } from './token-cache';

/** `jose`, loaded once on first use. */
function jose(): Promise<typeof import('jose')> {
  return (loadedJose ??= import('jose'));
}
let loadedJose: Promise<typeof import('jose')> | undefined;

/** Who a verified token speaks for. */
export interface TokenSubject {
  name: string;
  mspId: string;
}

/** A token that is missing, malformed, expired or not ours. */
export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenError';
  }
}

/** Verifies bearer tokens; construct with {@link tokenVerifier}. */
export interface TokenVerifier {
  verify(token: string): Promise<TokenSubject>;
}

/**
 * A verifier for the configured method, or undefined when JWT auth is not configured. Tokens it
 * has verified are remembered for their lifetime (see token-cache.ts).
 */
export function tokenVerifier(config: JwtConfig, cache: TokenCache = new TokenCache()): TokenVerifier | undefined {
  const options = { issuer: config.issuer, audience: config.audience, requiredClaims: ['exp'], clockTolerance: config.clockSkewSeconds };
  let verify: (token: string) => Promise<{ payload: Record<string, unknown> }>;
  if (config.jwksUrl) {
    const jwksUrl = new URL(config.jwksUrl);
    // One key set for the verifier's life (it caches the provider's keys), made on first use.
    let jwks: Promise<JWTVerifyGetKey> | undefined;
    verify = async (t) => {
      jwks ??= jose().then(({ createRemoteJWKSet }) => createRemoteJWKSet(jwksUrl));
      return (await jose()).jwtVerify(t, await jwks, { ...options, algorithms: ['RS256', 'ES256'] });
    };
  } else if (config.secret) {
    const key = new TextEncoder().encode(config.secret);
    verify = async (t) => (await jose()).jwtVerify(t, key, { ...options, algorithms: ['HS256'] });
  } else {
    return undefined;
  }
  return {
    verify: async (token) => {
      const known = cache.get(token);
      if (known) return known;
      const verified = await verifyWith(token, verify, config);
      cache.set(token, verified);
      return verified.subject;
    },
  };
}

async function verifyWith(
  token: string,
  verify: (t: string) => Promise<{ payload: Record<string, unknown> }>,
  limits: Pick<JwtConfig, 'maxLifetimeSeconds' | 'clockSkewSeconds'>,
): Promise<VerifiedToken> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await verify(token));
  } catch (err) {
    // jose's messages say what failed (expired, bad signature) without echoing the token.
    throw new TokenError((err as Error).message);
  }
  const { sub, msp, exp, iat } = payload;
  if (typeof sub !== 'string' || typeof msp !== 'string') throw new TokenError('token lacks the sub and msp claims');
  // jose has checked that `exp` is present, a number and not past; bound how far away it is.
  if (typeof exp !== 'number') throw new TokenError('token lacks the exp claim');
  checkLifetime(exp, typeof iat === 'number' ? iat : undefined, limits);
  return { subject: { name: sub, mspId: msp }, expiresAtMs: exp * 1000 };
}

/**
 * Refuses a token that lives longer than the maximum: by its own account (`exp` − `iat`), and in
 * any case from now (`exp` − now, skew allowed) — `iat` is optional and set by the issuer, so it
 * alone cannot bound a token.
 */
export function checkLifetime(
  exp: number,
  iat: number | undefined,
  limits: Pick<JwtConfig, 'maxLifetimeSeconds' | 'clockSkewSeconds'>,
  nowSeconds = Math.floor(Date.now() / 1000),
): void {
  if (iat !== undefined && exp - iat > limits.maxLifetimeSeconds) throw new TokenError('token lifetime (exp - iat) exceeds the maximum');
  if (exp - nowSeconds > limits.maxLifetimeSeconds + limits.clockSkewSeconds) throw new TokenError('token expires further ahead than the maximum lifetime');
}

/** Issues an HS256 token (dev token endpoint and tests). */
export async function issueToken(secret: string, subject: TokenSubject, ttlSeconds: number, config?: Partial<JwtConfig>): Promise<string> {
  const { SignJWT } = await jose();
  let jwt = new SignJWT({ msp: subject.mspId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject.name)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`);
  if (config?.issuer) jwt = jwt.setIssuer(config.issuer);
  if (config?.audience) jwt = jwt.setAudience(config.audience);
  return jwt.sign(new TextEncoder().encode(secret));
}
