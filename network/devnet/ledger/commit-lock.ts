/**
 * The ledger's commit lock: every simulation holds it shared for its whole life and a block commit
 * holds it exclusively, so a simulation reads one consistent state. Writers are preferred: a
 * simulation that starts while a commit waits queues behind it, so commits cannot starve.
 */
export class CommitLock {
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
