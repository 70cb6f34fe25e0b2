import { SignJWT } from 'jose';
import { DEFAULT_JWT_CLOCK_SKEW_SECONDS, DEFAULT_JWT_MAX_LIFETIME_SECONDS, loadConfig, type JwtConfig } from '../config';
import { DEV_TOKEN_TTL_SECONDS } from '../routes/public/dev-token';
import { checkLifetime, issueToken, tokenVerifier, TokenError } from './tokens';

const secret = 'a-test-secret-of-enough-length-0123456789';
const subject = { name: 'clinician1', mspId: 'Hospital1MSP' };
const base: JwtConfig = {
  secret,
  jwksUrl: undefined,
  issuer: undefined,
  audience: undefined,
  maxLifetimeSeconds: DEFAULT_JWT_MAX_LIFETIME_SECONDS,
  clockSkewSeconds: DEFAULT_JWT_CLOCK_SKEW_SECONDS,
};
const now = () => Math.floor(Date.now() / 1000);

/** An HS256 token with exactly the given registered claims (numbers are absolute seconds). */
function token(claims: { exp?: number; iat?: number; nbf?: number; iss?: string; aud?: string }, key = secret): Promise<string> {
  return new SignJWT({ msp: subject.mspId, ...claims }).setProtectedHeader({ alg: 'HS256' }).setSubject(subject.name).sign(new TextEncoder().encode(key));
}

const verify = async (t: string, config: Partial<JwtConfig> = {}) => tokenVerifier({ ...base, ...config })!.verify(t);

test('a token without exp is refused: it would never expire', async () => {
  await expect(verify(await token({ iat: now() }))).rejects.toBeInstanceOf(TokenError);
  await expect(verify(await token({}))).rejects.toThrow(/exp/);
});

test('tokens within the maximum lifetime are accepted, including the devnet’s dev tokens', async () => {
  await expect(verify(await token({ iat: now(), exp: now() + 3600 }))).resolves.toEqual(subject);
  await expect(verify(await issueToken(secret, subject, DEV_TOKEN_TTL_SECONDS))).resolves.toEqual(subject);
  await expect(verify(await token({ exp: now() + DEFAULT_JWT_MAX_LIFETIME_SECONDS }))).resolves.toEqual(subject);
});

test('a token living longer than the maximum is refused, by its iat or, without one, from now', async () => {
  const max = 3600;
  await expect(verify(await token({ iat: now(), exp: now() + max + 10 }), { maxLifetimeSeconds: max })).rejects.toThrow(/lifetime/);
  await expect(verify(await token({ exp: now() + max + 600 }), { maxLifetimeSeconds: max })).rejects.toThrow(/maximum lifetime/);
  // An iat set in the past does not make a far exp acceptable.
  await expect(verify(await token({ iat: now() - 1000, exp: now() + 10 * max }), { maxLifetimeSeconds: max })).rejects.toBeInstanceOf(TokenError);
  await expect(verify(await token({ iat: now(), exp: now() + max }), { maxLifetimeSeconds: max })).resolves.toEqual(subject);
});

test('iss and aud are required exactly when configured', async () => {
  const config = { issuer: 'https://idp.example', audience: 'healthledger' };
  const exp = now() + 300;
  await expect(verify(await token({ exp, iss: 'https://idp.example', aud: 'healthledger' }), config)).resolves.toEqual(subject);
  await expect(verify(await token({ exp, iss: 'https://evil.example', aud: 'healthledger' }), config)).rejects.toBeInstanceOf(TokenError);
  await expect(verify(await token({ exp, iss: 'https://idp.example', aud: 'another-api' }), config)).rejects.toBeInstanceOf(TokenError);
  await expect(verify(await token({ exp, iss: 'https://idp.example' }), config)).rejects.toBeInstanceOf(TokenError);
  await expect(verify(await token({ exp, aud: 'healthledger' }), config)).rejects.toBeInstanceOf(TokenError);
  await expect(verify(await token({ exp, iss: 'anyone', aud: 'anything' }))).resolves.toEqual(subject);
});

test('exp and nbf are judged with the configured clock skew, and no more', async () => {
  const expiredRecently = await token({ exp: now() - 30 });
  await expect(verify(expiredRecently, { clockSkewSeconds: 60 })).resolves.toEqual(subject);
  await expect(verify(expiredRecently, { clockSkewSeconds: 0 })).rejects.toBeInstanceOf(TokenError);
  await expect(verify(await token({ exp: now() - 120 }), { clockSkewSeconds: 60 })).rejects.toBeInstanceOf(TokenError);
  const notYet = await token({ nbf: now() + 30, exp: now() + 300 });
  await expect(verify(notYet, { clockSkewSeconds: 60 })).resolves.toEqual(subject);
  await expect(verify(notYet, { clockSkewSeconds: 0 })).rejects.toBeInstanceOf(TokenError);
});

test('checkLifetime: the bounds, exactly', () => {
  const limits = { maxLifetimeSeconds: 100, clockSkewSeconds: 10 };
  expect(() => checkLifetime(1100, 1000, limits, 1000)).not.toThrow();
  expect(() => checkLifetime(1101, 1000, limits, 1000)).toThrow(TokenError);
  expect(() => checkLifetime(1110, undefined, limits, 1000)).not.toThrow();
  expect(() => checkLifetime(1111, undefined, limits, 1000)).toThrow(TokenError);
});

test('configuration: defaults, variables and their bounds', () => {
  expect(loadConfig({}).jwt).toMatchObject({ maxLifetimeSeconds: 86_400, clockSkewSeconds: 60 });
  expect(loadConfig({ HEALTHLEDGER_JWT_MAX_LIFETIME_SECONDS: '3600', HEALTHLEDGER_JWT_CLOCK_SKEW_SECONDS: '0' }).jwt).toMatchObject({
    maxLifetimeSeconds: 3600,
    clockSkewSeconds: 0,
  });
  expect(() => loadConfig({ HEALTHLEDGER_JWT_MAX_LIFETIME_SECONDS: '0' })).toThrow(/^HEALTHLEDGER_JWT_MAX_LIFETIME_SECONDS:/);
  expect(() => loadConfig({ HEALTHLEDGER_JWT_CLOCK_SKEW_SECONDS: '3600' })).toThrow(/^HEALTHLEDGER_JWT_CLOCK_SKEW_SECONDS:/);
});
