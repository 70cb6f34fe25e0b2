/**
 * Fabric holds a shared lock for the life of a simulation and commits take it exclusively, so a
 * simulation reads one consistent state. Writers are preferred: a simulation that
 * starts while a commit waits queues behind it.
 */
export class SimulationLock {
  private readers = 0;
  private writer = false;
  private readonly waitingWriters: Array<() => void> = [];
  private waitingReaders: Array<() => void> = [];

  /** Shared hold for one simulation; call the returned function exactly once to release. */
  async acquireShared(): Promise<() => void> {
    if (this.writer || this.waitingWriters.length > 0) {
      await new Promise<void>((resolve) => this.waitingReaders.push(resolve));
    } else {
      this.readers++;
    }
    return once(() => {
      this.readers--;
      this.wake();
    });
  }

  /** Exclusive hold for one block commit. */
  async acquireExclusive(): Promise<() => void> {
    if (this.writer || this.readers > 0) {
      await new Promise<void>((resolve) => this.waitingWriters.push(resolve));
    } else {
      this.writer = true;
    }
    return once(() => {
      this.writer = false;
      this.wake();
    });
  }

  private wake(): void {
    if (this.writer || this.readers > 0) return;
    const nextWriter = this.waitingWriters.shift();
    if (nextWriter) {
      this.writer = true;
      nextWriter();
      return;
    }
    const readers = this.waitingReaders;
    this.waitingReaders = [];
    this.readers += readers.length;
    for (const resume of readers) resume();
  }
}

function once(release: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    release();
  };
}

const locks = new WeakMap<object, SimulationLock>();

/**
 * The lock guarding one ledger (all simulated peers share the public state). The committer takes
 * it exclusively around `commitBlock`; every simulation holds it shared.
 */
export function simulationLockFor(ledger: object): SimulationLock {
  let lock = locks.get(ledger);
  if (!lock) {
    lock = new SimulationLock();
    locks.set(ledger, lock);
  }
  return lock;
}
