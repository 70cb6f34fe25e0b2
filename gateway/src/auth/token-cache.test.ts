import { TokenCache } from './token-cache';
import { issueToken, tokenVerifier, TokenError } from './tokens';

const subject = { name: 'clinician1', mspId: 'Hospital1MSP' };

describe('TokenCache', () => {
  test('answers a remembered token until its expiry, then forgets it', () => {
    let now = 1_000_000;
    const cache = new TokenCache({ now: () => now });
    cache.set('t1', { subject, expiresAtMs: now + 5_000 });
    expect(cache.get('t1')).toEqual(subject);
    expect(cache.get('t2')).toBeUndefined();
    now += 4_999;
    expect(cache.get('t1')).toEqual(subject);
    now += 1;
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  test('trusts a verification no longer than the maximum age, even for a long-lived token', () => {
    let now = 0;
    const cache = new TokenCache({ now: () => now, maxAgeMs: 1_000 });
    cache.set('long', { subject, expiresAtMs: 3_600_000 });
    cache.set('no-exp', { subject, expiresAtMs: undefined });
    now = 999;
    expect(cache.get('long')).toEqual(subject);
    expect(cache.get('no-exp')).toEqual(subject);
    now = 1_000;
    expect(cache.get('long')).toBeUndefined();
    expect(cache.get('no-exp')).toBeUndefined();
  });

  test('does not remember a token that has already expired', () => {
    const cache = new TokenCache({ now: () => 10_000 });
    cache.set('old', { subject, expiresAtMs: 10_000 });
    expect(cache.size).toBe(0);
  });

  test('is bounded: the oldest entry goes first, a re-verified token counts as young', () => {
    const cache = new TokenCache({ now: () => 0, maxEntries: 2 });
    cache.set('a', { subject, expiresAtMs: 100 });
    cache.set('b', { subject, expiresAtMs: 100 });
    cache.set('a', { subject, expiresAtMs: 100 });
    cache.set('c', { subject, expiresAtMs: 100 });
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toEqual(subject);
    expect(cache.get('c')).toEqual(subject);
  });
});

describe('tokenVerifier with its cache', () => {
  const secret = 'a-test-secret-of-enough-length-0123456789';

  test('remembers valid tokens only; a forged copy of a remembered token is still refused', async () => {
    const cache = new TokenCache();
    const verifier = tokenVerifier({ secret, jwksUrl: undefined, issuer: undefined, audience: undefined, maxLifetimeSeconds: 86_400, clockSkewSeconds: 0 }, cache)!;
    const token = await issueToken(secret, subject, 600);
    await expect(verifier.verify(token)).resolves.toEqual(subject);
    await expect(verifier.verify(token)).resolves.toEqual(subject);
    expect(cache.size).toBe(1);
    // One character of the signature changed (not the last: its low bits are padding).
    const at = token.lastIndexOf('.') + 5;
    const forged = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
    await expect(verifier.verify(forged)).rejects.toBeInstanceOf(TokenError);
    const foreign = await issueToken('another-secret-of-enough-length-0123456789', subject, 600);
    await expect(verifier.verify(foreign)).rejects.toBeInstanceOf(TokenError);
    expect(cache.size).toBe(1);
  });

  test('a remembered token is refused once it expires', async () => {
    const verifier = tokenVerifier({ secret, jwksUrl: undefined, issuer: undefined, audience: undefined, maxLifetimeSeconds: 86_400, clockSkewSeconds: 0 })!;
    const token = await issueToken(secret, subject, 1);
    await expect(verifier.verify(token)).resolves.toEqual(subject);
    await new Promise((r) => setTimeout(r, 2_100));
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(TokenError);
  });
});
