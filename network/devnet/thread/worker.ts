/**
 * The entry of the devnet's worker thread (see index.ts). The devnet's code (run.ts and the ~600
 * modules it requires: gRPC, the Fabric protos, the ledger, the PKI) is loaded from its bundle,
 * worker.bundle.js, with a V8 code cache (../bundle), as the gateway's thread loads its server:
 * `npm start` waits for both threads, and loading those modules one file at a time was most of
 * this thread's start. Without a current bundle (tsc run alone), run.js is required as usual.
 */
import path from 'node:path';
import { loadBundle } from '../bundle';

type RunModule = typeof import('./run');

async function main(): Promise<void> {
  const bundled = loadBundle<RunModule>(path.join(__dirname, 'worker.bundle.js'));
  const { runDevnetThread } = bundled?.exports ?? (await import('./run'));
  await runDevnetThread();
  bundled?.saveCodeCacheSoon();
}

void main();
