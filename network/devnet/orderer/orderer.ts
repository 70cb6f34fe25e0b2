/**
 * The devnet's ordering service: accepts envelopes (Broadcast semantics), orders them first come
 * first served, and cuts a block as soon as the queue is non-empty and the previous block has
 * committed — or, with `batchTimeoutMs` / `maxMessageCount`, batches like Fabric's block cutter so
 * that several transactions share a block.
 */
import { common } from '@hyperledger/fabric-protos';
import type { Ledger } from '../ledger';
import type { SigningIdentity } from '@healthledger/fabric-core/pki';
import { buildBlock } from './block';
import { configTransaction, configUpdateOf } from './config-envelope';
import { checkEnvelope, type AcceptedEnvelope, type BroadcastResult, type IntakeConfig } from './intake';

/** Batching knobs; both absent = cut whenever the previous block has committed. */
export interface BatchOptions {
  /** Wait this long after the first queued envelope before cutting (Fabric's BatchTimeout). */
  batchTimeoutMs?: number;
  /** Cut at once when this many envelopes are queued; also the maximum per block. */
  maxMessageCount?: number;
  /** Close a block before it would exceed this many envelope bytes (a larger envelope goes alone). */
  preferredMaxBytes?: number;
}

/** What the orderer needs from the rest of the devnet. */
export interface OrdererOptions extends BatchOptions {
  config: IntakeConfig;
  /** The chain to extend: next block number and previous hash are read from its block store. */
  ledger: Pick<Ledger, 'blocks'>;
  identity: SigningIdentity;
  /** Validates and commits a block (the committer); the next block is cut only after it resolves. */
  commit: (block: common.Block) => Promise<void>;
  /** Called when committing fails; the orderer then refuses further envelopes. */
  onFailure?: (err: unknown) => void;
  nonce?: () => Uint8Array;
  /**
   * Turns an authorized CONFIG_UPDATE into the channel's next config, or throws with the reason
   * (answered as BAD_REQUEST). Absent: CONFIG_UPDATE envelopes are refused like any unknown type.
   */
  configUpdate?: (update: common.ConfigUpdateEnvelope) => common.Config;
  /** The number of the last config block on the chain (LAST_CONFIG of the blocks cut from now on). */
  lastConfigIndex?: bigint;
}

/** Default upper bound on envelopes per block when no `maxMessageCount` is given. */
const DEFAULT_MAX_MESSAGE_COUNT = 500;
/** Fabric's sample `PreferredMaxBytes` (512 KB). */
const DEFAULT_PREFERRED_MAX_BYTES = 512 * 1024;

/** Orders envelopes into blocks and hands each block to the committer, one at a time. */
export class Orderer {
  private readonly queue: AcceptedEnvelope[] = [];
  private queuedBytes = 0;
  private committing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failure: unknown;
  private closed = false;
  private paused = false;
  private lastConfigIndex: bigint;
  /** A config transaction is queued or being committed: the next update must see its result. */
  private configPending = false;

  constructor(private readonly opts: OrdererOptions) {
    this.lastConfigIndex = opts.lastConfigIndex ?? 0n;
  }

  /** Broadcast: checks and enqueues; resolves once accepted, before the block is cut. */
  broadcast(envelope: common.Envelope): Promise<BroadcastResult> {
    if (this.closed || this.failure !== undefined) {
      return Promise.resolve({ status: common.Status.SERVICE_UNAVAILABLE, info: 'orderer is not available' });
    }
    const intake = checkEnvelope(this.opts.config, envelope, this.opts.configUpdate !== undefined);
    if (!intake.ok) return Promise.resolve(intake.result);
    if (intake.envelope.config) return Promise.resolve(this.acceptConfigUpdate(envelope));
    this.enqueue(intake.envelope);
    return Promise.resolve({ status: common.Status.SUCCESS, info: '' });
  }

  /** Fabric's orderer checks a config update at Broadcast and orders the resulting CONFIG transaction. */
  private acceptConfigUpdate(envelope: common.Envelope): BroadcastResult {
    const process = this.opts.configUpdate;
    if (!process) return { status: common.Status.BAD_REQUEST, info: 'config updates are not supported' };
    if (this.configPending) return { status: common.Status.SERVICE_UNAVAILABLE, info: 'a config update is being ordered; retry' };
    let config: common.Config;
    try {
      config = process(configUpdateOf(envelope));
    } catch (err) {
      return { status: common.Status.BAD_REQUEST, info: (err as Error).message };
    }
    const tx = configTransaction(this.opts.config.channelId, config, envelope, this.opts.identity);
    this.configPending = true;
    this.enqueue({ ...tx, config: true });
    return { status: common.Status.SUCCESS, info: '' };
  }

  private enqueue(envelope: AcceptedEnvelope): void {
    this.queue.push(envelope);
    this.queuedBytes += envelope.bytes.length;
    this.schedule();
  }

  /**
   * Test hook (never reachable over gRPC): hold block cutting; envelopes keep being
   * accepted and queue up, so that a test can put chosen transactions into one block.
   */
  pause(): void {
    this.paused = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Resumes block cutting after {@link pause}. */
  resume(): void {
    this.paused = false;
    this.schedule();
  }

  /** Envelopes accepted and not yet cut into a block. */
  get queued(): number {
    return this.queue.length;
  }

  /** Stops accepting envelopes and waits for the block being committed; queued ones are cut first. */
  async close(): Promise<void> {
    this.closed = true;
    this.paused = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.committing || (this.queue.length > 0 && this.failure === undefined)) {
      if (!this.committing) this.cut();
      await this.committing?.catch(() => undefined);
    }
  }

  private get maxMessageCount(): number {
    return this.opts.maxMessageCount ?? DEFAULT_MAX_MESSAGE_COUNT;
  }

  private get preferredMaxBytes(): number {
    return this.opts.preferredMaxBytes ?? DEFAULT_PREFERRED_MAX_BYTES;
  }

  /**
   * The next block's envelopes: up to maxMessageCount, within preferredMaxBytes (at least one). A
   * config transaction goes into a block of its own, as Fabric's block cutter isolates it.
   */
  private takeBatch(): AcceptedEnvelope[] {
    let count = 0;
    let bytes = 0;
    for (const envelope of this.queue) {
      if (count >= this.maxMessageCount) break;
      if (envelope.config && count > 0) break;
      if (envelope.config) {
        bytes += envelope.bytes.length;
        count = 1;
        break;
      }
      if (count > 0 && bytes + envelope.bytes.length > this.preferredMaxBytes) break;
      count++;
      bytes += envelope.bytes.length;
    }
    this.queuedBytes -= bytes;
    return this.queue.splice(0, count);
  }

  /** Decides whether to cut now, later (batch timeout) or after the current commit. */
  private schedule(): void {
    if (this.paused || this.committing || this.queue.length === 0 || this.failure !== undefined) return;
    const timeout = this.opts.batchTimeoutMs ?? 0;
    if (timeout <= 0 || this.queue.length >= this.maxMessageCount || this.queuedBytes >= this.preferredMaxBytes || this.closed) {
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      this.cut();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.cut();
    }, timeout);
  }

  private cut(): void {
    if (this.committing || this.queue.length === 0) return;
    const batch = this.takeBatch();
    const blocks = this.opts.ledger.blocks;
    const isConfig = batch[0]?.config === true;
    const build = (): common.Block => {
      if (isConfig) this.lastConfigIndex = blocks.height;
      return buildBlock({
        number: blocks.height,
        previousHash: blocks.currentHash(),
        envelopes: batch.map((e) => e.bytes),
        signer: this.opts.identity,
        lastConfigIndex: this.lastConfigIndex,
        nonce: this.opts.nonce,
      });
    };
    // Building and signing can throw too (from a timer callback): treat it as a failed commit.
    this.committing = Promise.resolve()
      .then(() => this.opts.commit(build()))
      .catch((err: unknown) => {
        this.failure = err;
        this.opts.onFailure?.(err);
      })
      .finally(() => {
        this.committing = undefined;
        if (isConfig) this.configPending = false;
        this.schedule();
      });
  }
}
