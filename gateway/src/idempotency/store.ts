/**
 * Durable store of responses to requests that carried an `Idempotency-Key`: one JSON file per
 * (caller, key) in the data directory, written atomically (temp file, fsync, rename) so a crash
 * never leaves a half-written answer that would be replayed.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A stored response. */
export interface StoredResponse {
  /** SHA-256 of method, URL and body of the request that produced it. */
  fingerprint: string;
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  storedAt: number;
}

/** How long a key is remembered (as Stripe and the IETF draft suggest: at least a day). */
export const RETENTION_MS = 24 * 60 * 60 * 1000;

export class IdempotencyStore {
  private readonly inFlight = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  /** The stored response for a scoped key, unless absent or expired. */
  get(scope: string): StoredResponse | undefined {
    const file = this.file(scope);
    if (!existsSync(file)) return undefined;
    const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredResponse;
    return this.now() - stored.storedAt > RETENTION_MS ? undefined : stored;
  }

  /** Claims a key for a request in progress; false when another request holds it. */
  begin(scope: string): boolean {
    if (this.inFlight.has(scope)) return false;
    this.inFlight.add(scope);
    return true;
  }

  /** Releases a claim without storing (the response was a server error: the client may retry). */
  release(scope: string): void {
    this.inFlight.delete(scope);
  }

  complete(scope: string, response: Omit<StoredResponse, 'storedAt'>): void {
    const file = this.file(scope);
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, JSON.stringify({ ...response, storedAt: this.now() }));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    this.inFlight.delete(scope);
  }

  /** Deletes expired entries (called at start-up). */
  prune(): number {
    let removed = 0;
    for (const name of readdirSync(this.dir)) {
      const file = join(this.dir, name);
      if (this.now() - statSync(file).mtimeMs > RETENTION_MS || name.endsWith('.tmp')) {
        unlinkSync(file);
        removed++;
      }
    }
    return removed;
  }

  private file(scope: string): string {
    if (!/^[0-9a-f]{64}$/.test(scope)) throw new Error('idempotency scope must be a SHA-256 hex digest');
    return join(this.dir, `${scope}.json`);
  }
}
