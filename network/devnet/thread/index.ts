/**
 * The devnet in a worker thread of its own, for a process that also serves something else
 * (`npm start` runs the REST gateway beside it). Each thread has its own event loop, so a busy
 * gateway does not delay the devnet's endorsements, ordering and commits, and on a machine with
 * more than one core the two run in parallel. One process still: a kill -9 of it stops both, and
 * the chaincode server the devnet spawns exits with it (its parent-death watchdog).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { devnetHeapLimits, outOfMemoryMessage } from './limits';
import type { DevnetThreadSettings, FromDevnetThread, ToDevnetThread } from './messages';

export type { DevnetThreadSettings } from './messages';
export { devnetHeapLimits } from './limits';
export { resolveDataDir } from '../data-dir';

/** How to start the devnet thread. */
export interface DevnetThreadOptions extends DevnetThreadSettings {
  /** Progress lines of the devnet (material, ledger, endpoints, the chaincode server's output). */
  onProgress?: (line: string) => void;
  /** Called once if the thread dies after it was ready without being asked to stop. */
  onFailure?: (err: Error) => void;
  /** The thread's heap bounds; default {@link devnetHeapLimits} (limits.ts: measured defaults, env overrides). */
  resourceLimits?: ResourceLimits;
}

/** What the devnet reported once ready. */
/** The devnet thread's memory as its own isolate sees it (see {@link DevnetThread.heap}). */
export type DevnetHeap = Omit<Extract<FromDevnetThread, { type: 'heap' }>, 'type'>;

export type DevnetThreadReady = Omit<Extract<FromDevnetThread, { type: 'ready' }>, 'type'>;

/**
 * The worker's compiled entry. From dist it sits beside this file; under ts-jest (sources) the
 * built copy is used, since a worker thread loads JavaScript only.
 */
function workerScript(): string {
  const candidates = [path.join(__dirname, 'worker.js'), path.resolve(__dirname, '..', '..', 'dist', 'devnet', 'thread', 'worker.js')];
  const found = candidates.find((file) => existsSync(file));
  if (!found) throw new Error(`devnet worker not built (looked for ${candidates.join(', ')}): run npm run build`);
  return found;
}

/** A running devnet in its worker thread. */
export class DevnetThread {
  private stopping: Promise<void> | undefined;
  private readonly exited: Promise<number>;
  private running = true;

  private constructor(
    private readonly worker: Worker,
    /** What the devnet reported once ready: devnet.json, height, peer endpoints. */
    readonly ready: DevnetThreadReady,
  ) {
    this.exited = new Promise((resolve) => worker.once('exit', resolve));
    void this.exited.then(() => (this.running = false));
  }

  /** Starts the devnet in a new worker thread; resolves once every peer accepts calls. */
  static start(options: DevnetThreadOptions): Promise<DevnetThread> {
    const { onProgress, onFailure, resourceLimits = devnetHeapLimits(), ...settings } = options;
    const worker = new Worker(workerScript(), { workerData: settings, name: 'devnet', resourceLimits });
    return new Promise((resolve, reject) => {
      let thread: DevnetThread | undefined;
      let failed = false;
      // Once: a thread that dies reports an 'error' and then its 'exit'; the first says why.
      const fail = (err: Error) => {
        if (failed) return;
        failed = true;
        if (!thread) reject(err);
        else if (!thread.stopping) onFailure?.(err);
      };
      worker.on('message', (message: FromDevnetThread) => {
        if (message.type === 'progress') onProgress?.(message.line);
        else if (message.type === 'failed') fail(new Error(`devnet: ${message.message}`));
        else if (message.type === 'ready' && !thread) {
          const { type: _type, ...ready } = message;
          thread = new DevnetThread(worker, ready);
          resolve(thread);
        }
      });
      worker.on('error', (err: Error & { code?: string }) => fail(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new Error(outOfMemoryMessage(resourceLimits)) : err));
      worker.on('exit', (code) => fail(new Error(`devnet thread exited (code ${code})`)));
    });
  }

  /** Absolute path of devnet.json (what the gateway's HEALTHLEDGER_DEVNET names). */
  get descriptorPath(): string {
    return this.ready.descriptorPath;
  }

  /** CPU time (ms) the devnet's thread has used (Linux; undefined elsewhere). */
  async cpuMs(): Promise<number | undefined> {
    return (await this.ask('cpu'))?.ms;
  }

  /**
   * The thread's V8 heap now: bytes in use, its limit (the bound it was started with), the heap's
   * resident bytes (what it adds to the process's RSS) and the thread's external memory (array
   * buffers and other native memory V8 is told of); undefined once stopped.
   */
  async heap(): Promise<DevnetHeap | undefined> {
    const answer = await this.ask('heap');
    return answer && { usedBytes: answer.usedBytes, limitBytes: answer.limitBytes, residentBytes: answer.residentBytes, externalBytes: answer.externalBytes };
  }

  /** Sends a request; resolves with the thread's next answer of that type (undefined once it stopped). */
  private ask<T extends 'cpu' | 'heap'>(type: T): Promise<Extract<FromDevnetThread, { type: T }> | undefined> {
    if (!this.running) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const answer = (message: FromDevnetThread) => {
        if (message.type !== type) return;
        this.worker.off('message', answer);
        resolve(message as Extract<FromDevnetThread, { type: T }>);
      };
      this.worker.on('message', answer);
      this.send({ type });
    });
  }

  /** Stops the devnet (endpoints, orderer, chaincode server, ledger) and ends the thread. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.running) this.send({ type: 'stop' });
      await this.exited;
    })();
    return this.stopping;
  }

  private send(message: ToDevnetThread): void {
    this.worker.postMessage(message);
  }
}
