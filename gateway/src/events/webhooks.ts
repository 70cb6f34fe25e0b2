/**
 * Registered webhooks: each gets the events of the log after its cursor, in order, as a POST
 * whose body is signed with HMAC-SHA256 (`X-Healthledger-Signature: t=<unix>,v1=<hex>` over
 * `<unix>.<body>`, as Stripe does, so receivers can reject replays). Failures retry with
 * exponential backoff; the cursor advances — durably — only after a 2xx, so a restart neither
 * loses nor repeats a delivery that was acknowledged. (A crash after the receiver answered but
 * before the cursor was saved re-sends that one event: receivers dedupe by event id.)
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { eventFor, type Subscriber } from './entitlement';
import type { EventFeed } from './feed';
import type { LoggedEvent } from './log';
import type { OperationNotice } from '../operations/model';

/** Attempts to deliver an operation's completion to a webhook. */
const NOTICE_ATTEMPTS = 5;

export interface Webhook {
  id: string;
  url: string;
  /** Change types to deliver (`record`, `claim`, …); empty = all. */
  types: string[];
  secret: string;
  /** Owner: MSP id and user name of the principal that registered it. */
  owner: string;
  /**
   * The owner's role when it registered: deliveries carry what that role of the owner's
   * organisation may see (./entitlement.ts). A hook saved without one receives nothing.
   */
  role?: string;
  /** Last delivered event seq. */
  cursor: number;
  createdAt: string;
}

/** Signature header value for a body at a time (exported for receivers' tests). */
export function signatureHeader(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}

/** A webhook's owner key: `mspId/name`. */
export function ownerId(user: { mspId: string; name: string }): string {
  return `${user.mspId}/${user.name}`;
}

export function matches(hookTypes: readonly string[], event: LoggedEvent): boolean {
  return hookTypes.length === 0 || event.changes.some((c) => hookTypes.includes(c.type));
}

export interface DeliveryOptions {
  /** Delay cap between retries (ms). */
  maxBackoffMs?: number;
  /** Request timeout per delivery (ms). */
  timeoutMs?: number;
}

export class Webhooks {
  private readonly hooks = new Map<string, Webhook>();
  private readonly file: string;
  private readonly wake = new Map<string, () => void>();
  private readonly loops = new Map<string, Promise<void>>();
  private stopping = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    dataDir: string,
    private readonly feed: EventFeed,
    private readonly logger: FastifyBaseLogger,
    private readonly options: DeliveryOptions = {},
  ) {
    this.file = join(dataDir, 'events', 'webhooks.json');
    if (existsSync(this.file)) for (const hook of JSON.parse(readFileSync(this.file, 'utf8')) as Webhook[]) this.hooks.set(hook.id, hook);
  }

  start(): void {
    this.unsubscribe = this.feed.subscribe(() => this.wake.forEach((w) => w()));
    for (const hook of this.hooks.values()) this.spawn(hook);
  }

  /** Registers a webhook that receives events logged from now on, as `owner` may see them. */
  register(owner: Subscriber & { name: string }, url: string, types: string[]): Webhook {
    const hook: Webhook = {
      id: randomUUID(),
      url,
      types,
      secret: `whsec_${randomBytes(24).toString('base64url')}`,
      owner: ownerId(owner),
      role: owner.role,
      cursor: this.feed.log.head,
      createdAt: new Date().toISOString(),
    };
    this.hooks.set(hook.id, hook);
    this.save();
    if (this.unsubscribe) this.spawn(hook);
    return hook;
  }

  list(owner: string): Webhook[] {
    return [...this.hooks.values()].filter((h) => h.owner === owner);
  }

  remove(owner: string, id: string): boolean {
    const hook = this.hooks.get(id);
    if (!hook || hook.owner !== owner) return false;
    this.hooks.delete(id);
    this.save();
    this.wake.get(id)?.();
    return true;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.unsubscribe?.();
    this.wake.forEach((w) => w());
    await Promise.all(this.loops.values());
  }

  private spawn(hook: Webhook): void {
    this.loops.set(hook.id, this.deliverLoop(hook));
  }

  private async deliverLoop(hook: Webhook): Promise<void> {
    let failures = 0;
    while (!this.stopping && this.hooks.has(hook.id)) {
      // Seqs run without gaps: the next event is one point read, however long the log.
      const next = this.feed.log.get(hook.cursor + 1);
      if (!next) {
        await this.idle(hook.id);
        continue;
      }
      const visible = this.visibleTo(hook, next);
      if (!visible || !matches(hook.types, visible) || (await this.deliver(hook, visible))) {
        hook.cursor = next.seq;
        this.save();
        failures = 0;
        continue;
      }
      failures++;
      await this.idle(hook.id, Math.min(this.options.maxBackoffMs ?? 60_000, 500 * 2 ** Math.min(failures - 1, 10)));
    }
  }

  /** The part of `event` the hook's owner may see (nothing for a hook saved without a role). */
  private visibleTo(hook: Webhook, event: LoggedEvent): LoggedEvent | undefined {
    const mspId = hook.owner.split('/')[0] ?? '';
    return hook.role === undefined ? undefined : eventFor(event, { mspId, role: hook.role }, this.feed.consents);
  }

  /** Waits for a new event, a removal or a stop, or `ms` if given. */
  private idle(id: string, ms?: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      const wake = this.wake;
      function done() {
        clearTimeout(timer);
        wake.delete(id);
        resolve();
      }
      this.wake.set(id, done);
    });
  }

  /**
   * Announces an operation's progress or end to its owner's hooks that take `operation` events.
   * These are not in the ledger's event log and have no cursor: a completion is retried (with
   * backoff, {@link NOTICE_ATTEMPTS} times) while the gateway runs, a progress notice is sent once.
   * The operation itself is durable: after a restart, `GET /operations` tells what was missed.
   */
  announce(notice: OperationNotice): void {
    const { operation } = notice;
    const body = JSON.stringify({ id: `${operation.id}:${operation.status}:${operation.progress.done}`, type: notice.type, operation });
    for (const hook of this.hooks.values()) {
      if (hook.owner !== operation.owner || (hook.types.length > 0 && !hook.types.includes('operation'))) continue;
      void this.retry(hook, body, notice.type === 'operation.completed' ? NOTICE_ATTEMPTS : 1);
    }
  }

  private async retry(hook: Webhook, body: string, attempts: number): Promise<void> {
    const id = (JSON.parse(body) as { id: string }).id;
    for (let attempt = 0; attempt < attempts && !this.stopping && this.hooks.has(hook.id); attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(this.options.maxBackoffMs ?? 60_000, 500 * 2 ** attempt)).unref());
      if (await this.post(hook, id, body)) return;
    }
  }

  private async deliver(hook: Webhook, event: LoggedEvent): Promise<boolean> {
    const body = JSON.stringify({ id: String(event.seq), blockNumber: event.blockNumber, txId: event.txId, changes: event.changes });
    return this.post(hook, String(event.seq), body);
  }

  /** POSTs a signed body; true on a 2xx. */
  private async post(hook: Webhook, id: string, body: string): Promise<boolean> {
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-healthledger-event-id': id,
          'x-healthledger-signature': signatureHeader(hook.secret, body, Math.floor(Date.now() / 1000)),
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
      await res.body?.cancel();
      if (res.ok) return true;
      this.logger.warn({ webhook: hook.id, status: res.status }, 'webhook delivery refused');
    } catch (err) {
      this.logger.warn({ webhook: hook.id, err: (err as Error).message }, 'webhook delivery failed');
    }
    return false;
  }

  private save(): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify([...this.hooks.values()], null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
