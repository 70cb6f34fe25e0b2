/**
 * Verified bearer tokens, remembered for their lifetime: a hospital system sends the same token
 * on every call, and verifying it (HMAC or RSA/ECDSA over the JWS, claims checks) cost about a
 * tenth of the gateway's own CPU per request. Keyed by the raw token, so only the very token
 * that was verified hits; bounded in count, and in age so that a key withdrawn from a JWKS stops
 * being honoured soon even for long-lived tokens. Failed verifications are never remembered.
 */
import type { TokenSubject } from './tokens';

/** A token's subject and when it stops being valid (ms since the epoch; undefined: no `exp`). */
export interface VerifiedToken {
  subject: TokenSubject;
  expiresAtMs: number | undefined;
}

export interface TokenCacheOptions {
  /** Entries kept at most; the oldest is dropped first. */
  maxEntries?: number;
  /** Longest time a verification is trusted, whatever the token's `exp`. */
  maxAgeMs?: number;
  /** Clock (tests). */
  now?: () => number;
}

interface Entry {
  subject: TokenSubject;
  /** Last instant (ms) this entry may be used, exclusive. */
  until: number;
}

export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(options: TokenCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The subject of a token verified earlier and still within its lifetime, else undefined. */
  get(token: string): TokenSubject | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (this.now() < entry.until) return entry.subject;
    this.entries.delete(token);
    return undefined;
  }

  /** Remembers a verified token until its `exp` (capped at the maximum age). */
  set(token: string, verified: VerifiedToken): void {
    const now = this.now();
    const until = Math.min(verified.expiresAtMs ?? Infinity, now + this.maxAgeMs);
    if (until <= now) return;
    // Re-inserting moves the token to the young end of the Map's insertion order.
    this.entries.delete(token);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { subject: verified.subject, until });
  }

  get size(): number {
    return this.entries.size;
  }
}
