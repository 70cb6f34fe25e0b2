/**
 * Time slices for a long scan of committed blocks on the devnet's event loop. A ChaincodeEvents
 * stream that starts far behind the tip (a gateway restarting with its checkpoint many blocks back,
 * or a chaincode whose events are rare) reads and decodes every block up to the tip; those blocks
 * are already committed, so the loop never waits and, without a pause, would hold the event loop
 * for the whole scan (seconds at 100,000 transactions): every other call, the gateway's readiness
 * probe included, would wait behind it. A pause lets them in between slices.
 */
import { setImmediate as nextMacrotask } from 'node:timers/promises';

/** How long a scan runs before it lets other work in (ms): short next to a request's latency. */
export const SCAN_SLICE_MS = 10;

/** Tracks one scan's slice; `pause()` between blocks. */
export class ScanSlicer {
  #sliceStart: number;

  constructor(
    private readonly sliceMs = SCAN_SLICE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.#sliceStart = now();
  }

  /** Resolves at once within the slice; once it is used up, after the event loop's pending callbacks. */
  async pause(): Promise<void> {
    if (this.now() - this.#sliceStart < this.sliceMs) return;
    await nextMacrotask();
    this.#sliceStart = this.now();
  }
}
