/** What the devnet's worker thread and the thread that started it say to each other. */
import type { DevnetOptions } from '../devnet';

/** The devnet options that cross to the worker (plain data; progress lines come back as messages). */
export type DevnetThreadSettings = Pick<DevnetOptions, 'dataDir' | 'tls' | 'randomPorts' | 'bindHost' | 'chaincodeServer' | 'inMemory' | 'consortium' | 'chaincodes'>;

/** Worker → starter. */
export type FromDevnetThread =
  | { type: 'progress'; line: string }
  | { type: 'ready'; descriptorPath: string; height: string; peers: { mspId: string; address: string }[]; materialDir: string }
  | { type: 'failed'; message: string }
  | { type: 'cpu'; ms: number | undefined }
  | { type: 'heap'; usedBytes: number; limitBytes: number; residentBytes: number; externalBytes: number };

/** Starter → worker. */
export type ToDevnetThread = { type: 'stop' } | { type: 'cpu' } | { type: 'heap' };
