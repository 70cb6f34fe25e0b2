/**
 * What the devnet's worker thread runs (its entry, worker.ts, loads this from its bundle or as a
 * module): starts the devnet with the settings in `workerData`, reports progress and readiness,
 * answers CPU-time and heap requests, and stops when asked.
 */
import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { Devnet } from '../devnet';
import type { DevnetThreadSettings, FromDevnetThread, ToDevnetThread } from './messages';

/** Linux's USER_HZ: the unit of utime/stime in /proc (100 on every Linux Node supports). */
const CLOCK_TICKS_PER_SECOND = 100;

function post(message: FromDevnetThread): void {
  parentPort?.postMessage(message);
}

/**
 * CPU time (ms) of this thread alone, from /proc/thread-self/stat; undefined where there is none.
 * `process.cpuUsage()` would count the whole process, the gateway's thread included.
 */
function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    // After the command name (which may hold spaces): state, ppid, …, utime (14th), stime (15th).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND) * 1000;
  } catch {
    return undefined;
  }
}

async function run(): Promise<void> {
  const settings = workerData as DevnetThreadSettings;
  const devnet = await Devnet.start({ ...settings, onProgress: (line) => post({ type: 'progress', line }) });
  parentPort?.on('message', (message: ToDevnetThread) => {
    if (message.type === 'cpu') post({ type: 'cpu', ms: threadCpuMs() });
    else if (message.type === 'heap') {
      const heap = getHeapStatistics();
      // This isolate's own figures (a worker's `external` is its own; `rss` would be the process's).
      const { external } = process.memoryUsage();
      post({ type: 'heap', usedBytes: heap.used_heap_size, limitBytes: heap.heap_size_limit, residentBytes: heap.total_physical_size, externalBytes: external });
    }
    else if (message.type === 'stop') {
      // Exiting ends this thread only; the starter waits for it.
      devnet.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          post({ type: 'failed', message: `stop failed: ${(err as Error).message}` });
          process.exit(1);
        },
      );
    }
  });
  post({
    type: 'ready',
    descriptorPath: devnet.descriptorPath,
    height: String(devnet.network.ledger.blocks.height),
    peers: devnet.peers.map((p) => ({ mspId: p.runtime.mspId, address: p.address })),
    materialDir: devnet.material.rootDir,
  });
}

/** Runs the devnet in this thread; resolves once it is ready, or reports why it could not start and ends the thread. */
export function runDevnetThread(): Promise<void> {
  return run().catch((err: unknown) => {
    post({ type: 'failed', message: (err as Error).message });
    process.exit(1);
  });
}
