/**
 * Durable store of requests that carried an `Idempotency-Key`, per (caller, key) in the data
 * directory: while the request runs, `<scope>.pending.json` records the transaction ids of its
 * submits before they are endorsed (see journal.ts); once answered, `<scope>.json` holds the
 * response and the pending record goes. Every file is written atomically (temp file, fsync,
 * rename, directory fsync) so a crash never leaves a half-written record that would be trusted.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { TxAttempt } from '../fabric/ledger';
import { writeFileDurably } from '../storage/durable-file';

/** A stored response. */
export interface StoredResponse {
  /** SHA-256 of method, URL and body of the request that produced it. */
  fingerprint: string;
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  storedAt: number;
}

/** The submits of a request not yet answered: its fingerprint and, per submit slot, its transactions. */
export interface PendingRequest {
  fingerprint: string;
  slots: Record<string, TxAttempt[]>;
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

  /** Stores the response, then forgets the pending record (a crash between the two replays the response). */
  complete(scope: string, response: Omit<StoredResponse, 'storedAt'>): void {
    writeFileDurably(this.file(scope), JSON.stringify({ ...response, storedAt: this.now() }));
    const pending = this.pendingFile(scope);
    if (existsSync(pending)) unlinkSync(pending);
    this.inFlight.delete(scope);
  }

  /**
   * Forgets a pending record left beside a stored response: a crash between `complete`'s two
   * steps leaves both, and the replay answers from the stored response.
   */
  forgetPending(scope: string): void {
    const pending = this.pendingFile(scope);
    if (existsSync(pending)) unlinkSync(pending);
  }

  /** The transactions recorded by an earlier, unanswered run of the request with this scoped key. */
  pending(scope: string): PendingRequest | undefined {
    const file = this.pendingFile(scope);
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as PendingRequest) : undefined;
  }

  /** Records the transactions of a running request; durable when this returns. */
  recordPending(scope: string, pending: PendingRequest): void {
    writeFileDurably(this.pendingFile(scope), JSON.stringify(pending));
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
    return join(this.dir, `${checked(scope)}.json`);
  }

  private pendingFile(scope: string): string {
    return join(this.dir, `${checked(scope)}.pending.json`);
  }
}

function checked(scope: string): string {
  if (!/^[0-9a-f]{64}$/.test(scope)) throw new Error('idempotency scope must be a SHA-256 hex digest');
  return scope;
}
