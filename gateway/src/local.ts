/**
 * The whole system on one machine, as `npm start` runs it: the devnet (with our chaincode server)
 * in a worker thread of its own and the REST gateway on this thread's event loop. Separate event
 * loops keep a busy gateway (HTTP, JSON, validation, logs) from delaying the ledger's endorsements
 * and commits, and let the two use two cores; they talk over loopback gRPC exactly as a gateway
 * and a peer do. The benchmarks start the same system through this module.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DESCRIPTOR_FILE } from '@healthledger/fabric-core/descriptor';
import { DevnetThread, type DevnetThreadSettings } from '@healthledger/network/devnet/thread';
import type { PreparedGateway, RunningGateway } from './server';

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
  /** The gateway was built while the devnet started, from the devnet.json the devnet then confirmed. */
  builtAhead: boolean;
  /** Drains and stops the gateway, then stops the devnet. */
  stop(): Promise<void>;
}

/**
 * Starts the devnet thread, then the gateway on it; stops the devnet if the gateway fails to start.
 * The gateway's modules are loaded only once the thread is under way (they take longer to load than
 * the devnet takes to open its ledger): this thread loads them while the devnet's thread loads its
 * own and opens the ledger, on two cores where there are two.
 *
 * On a restart the gateway is also built meanwhile (Fastify's `ready()`: routes, schema compilers,
 * some 0.3–0.4 s) from the devnet.json the previous run left, which names the same ports (the
 * consortium's) and material (kept in the data directory) as the one the devnet writes again.
 * That is a guess until the devnet is ready: the gateway listens only if devnet.json and every
 * file it names read the same then as when the gateway was built; otherwise (first start, another
 * consortium, regenerated material, random ports) that build is discarded, unused — it never
 * called the ledger — and the gateway is built again from the devnet's new devnet.json.
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
  // Observed now: the devnet may fail while the gateway is being built (many turns of the event
  // loop), and an unobserved rejection would end the process before `await starting` reports it.
  starting.catch(() => undefined);
  const gatewayEnv = (descriptorPath: string) => ({ ...env, HEALTHLEDGER_DATA_DIR: dataDir, HEALTHLEDGER_DEVNET: descriptorPath });
  let server: typeof import('./server');
  let ahead: BuiltAhead | undefined;
  try {
    server = await import('./server');
    ahead = await buildAhead(server, path.resolve(dataDir, DESCRIPTOR_FILE), gatewayEnv);
  } catch (err) {
    await starting.then((devnet) => devnet.stop(), () => undefined);
    throw err;
  }
  let devnet: DevnetThread;
  try {
    devnet = await starting;
  } catch (err) {
    await ahead?.prepared.discard();
    throw err;
  }
  let gateway: RunningGateway;
  const confirmed = ahead !== undefined && ahead.descriptorPath === path.resolve(devnet.descriptorPath) && ahead.fingerprint === topologyFingerprint(devnet.descriptorPath);
  try {
    if (ahead && confirmed) gateway = await ahead.prepared.start();
    else {
      await ahead?.prepared.discard();
      gateway = await server.startGateway({ env: gatewayEnv(devnet.descriptorPath), devnet: true });
    }
  } catch (err) {
    await devnet.stop();
    throw err;
  }
  return {
    gateway,
    devnet,
    builtAhead: confirmed,
    stop: async () => {
      await gateway.close();
      await devnet.stop();
    },
  };
}

/** A gateway prepared from the previous run's devnet.json, and what that topology read as. */
interface BuiltAhead {
  prepared: PreparedGateway;
  descriptorPath: string;
  fingerprint: string;
}

/**
 * The gateway prepared (not listening, the ledger not called) from the devnet.json already in the
 * data directory; undefined when there is none, or when it changed or failed to load while the
 * gateway was built (the devnet may be rewriting it): the gateway is then built once the devnet is
 * ready, as on a first start, and reports a real fault from there.
 */
async function buildAhead(
  server: typeof import('./server'),
  descriptorPath: string,
  gatewayEnv: (descriptorPath: string) => Record<string, string | undefined>,
): Promise<BuiltAhead | undefined> {
  const before = topologyFingerprint(descriptorPath);
  if (before === undefined) return undefined;
  let prepared: PreparedGateway;
  try {
    prepared = await server.prepareGateway({ env: gatewayEnv(descriptorPath), devnet: true });
  } catch {
    return undefined;
  }
  if (topologyFingerprint(descriptorPath) === before) return { prepared, descriptorPath, fingerprint: before };
  await prepared.discard();
  return undefined;
}

/**
 * SHA-256 of devnet.json and of every file it names (certificates, keys, TLS roots): equal
 * fingerprints mean the gateway loads the same topology. Undefined when there is no devnet.json
 * or it does not parse.
 */
export function topologyFingerprint(descriptorPath: string): string | undefined {
  let text: string;
  let parsed: unknown;
  try {
    text = readFileSync(descriptorPath, 'utf8');
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const hash = createHash('sha256').update(text);
  const baseDir = path.dirname(descriptorPath);
  for (const value of stringsIn(parsed)) {
    const file = path.resolve(baseDir, value);
    if (value.includes('-----BEGIN') || !existsSync(file) || !statSync(file).isFile()) continue;
    hash.update(`\0${file}\0`).update(readFileSync(file));
  }
  return hash.digest('hex');
}

/** Every string in a parsed JSON value, depth first. */
function* stringsIn(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const item of value) yield* stringsIn(item);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) yield* stringsIn(item);
}
