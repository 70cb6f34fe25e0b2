/**
 * The whole system on one machine, as `npm start` runs it: the devnet (with our chaincode server)
 * in a worker thread of its own and the REST gateway on this thread's event loop. Separate event
 * loops keep a busy gateway (HTTP, JSON, validation, logs) from delaying the ledger's endorsements
 * and commits, and let the two use two cores; they talk over loopback gRPC exactly as a gateway
 * and a peer do. The benchmarks start the same system through this module.
 */
import { DevnetThread, type DevnetThreadSettings } from '@healthledger/network/devnet/thread';
import type { RunningGateway } from './server';
import { loadServer, type LoadedServer } from './server-bundle';

/** How to start the local system. */
export interface LocalOptions {
  /** Where the devnet and the gateway keep their data. */
  dataDir: string;
  /** The gateway's environment (PORT, rate limit, JWT secret…); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Devnet settings beyond the data directory (free ports for tests and benchmarks). */
  devnet?: Omit<DevnetThreadSettings, 'dataDir'>;
  /** The devnet's progress lines. */
  onProgress?: (line: string) => void;
  /** Called if the devnet thread dies while the system runs (the gateway has lost its ledger). */
  onDevnetFailure?: (err: Error) => void;
}

/** The running system. */
export interface LocalSystem {
  gateway: RunningGateway;
  devnet: DevnetThread;
  /** Drains and stops the gateway, then stops the devnet. */
  stop(): Promise<void>;
}

/**
 * Starts the devnet thread, then the gateway on it; stops the devnet if the gateway fails to start.
 * The gateway's modules (the bundle of server-bundle.ts) are loaded only once the thread is under way (they take longer to load than
 * the devnet takes to open its ledger): this thread loads them while the devnet's thread loads its
 * own and opens the ledger, on two cores where there are two.
 */
export async function startLocal(options: LocalOptions): Promise<LocalSystem> {
  const { dataDir, env = process.env } = options;
  const starting = DevnetThread.start({
    chaincodeServer: true,
    ...options.devnet,
    dataDir,
    onProgress: options.onProgress,
    onFailure: options.onDevnetFailure,
  });
  let loaded: LoadedServer;
  try {
    loaded = await loadServer();
  } catch (err) {
    await starting.then((devnet) => devnet.stop(), () => undefined);
    throw err;
  }
  const devnet = await starting;
  let gateway: RunningGateway;
  try {
    gateway = await loaded.server.startGateway({ env: { ...env, HEALTHLEDGER_DATA_DIR: dataDir, HEALTHLEDGER_DEVNET: devnet.descriptorPath }, devnet: true });
  } catch (err) {
    await devnet.stop();
    throw err;
  }
  loaded.saveCodeCacheSoon();
  return {
    gateway,
    devnet,
    stop: async () => {
      await gateway.close();
      await devnet.stop();
    },
  };
}
