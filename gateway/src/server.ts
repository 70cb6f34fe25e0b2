/**
 * Assembles and runs the gateway process: configuration, ledger topology and wallet, the Fabric
 * connection, authentication, the event feed and every route; `close()` drains in-flight
 * requests (Fastify answers new ones 503 meanwhile), then stops the feed and the connection.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { ApiKeys } from './auth/api-keys';
import { tokenVerifier } from './auth/tokens';
import { loadConfig, requireAuthSource, type GatewayConfig } from './config';
import { FabricConnection } from './fabric/connection';
import { loadDescriptor, type LedgerTopology } from './fabric/descriptor';
import { walletFromDirectory } from './fabric/wallet';
import { identityServiceOf } from './identity/setup';
import { GatewayMetrics } from './ops/metrics';
import { apiRoutes } from './routes';
import { EventFeed } from './events/feed';

export interface RunningGateway {
  app: FastifyInstance;
  config: GatewayConfig;
  topology: LedgerTopology;
  /** Base URL, e.g. `http://127.0.0.1:3000`. */
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** Running on the devnet: enables the dev token endpoint and a generated JWT secret. */
  devnet?: boolean;
}

function topologyOf(config: GatewayConfig): LedgerTopology {
  const source = config.ledger;
  if (source.kind === 'devnet') return loadDescriptor(source.descriptorPath);
  return {
    channel: source.channel,
    chaincode: source.chaincode,
    peers: [
      {
        mspId: source.mspId,
        endpoint: source.peerEndpoint,
        tlsRootCert: source.tlsCaCertPath ? readFileSync(source.tlsCaCertPath) : undefined,
        hostOverride: source.hostOverride,
      },
    ],
    wallet: walletFromDirectory(source.identityDir, source.mspId),
  };
}

/** The devnet's HS256 secret: from the environment, else generated once and kept in the data dir. */
function devnetSecret(config: GatewayConfig): string {
  if (config.jwt.secret) return config.jwt.secret;
  const file = join(config.dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

/**
 * Starts the gateway and listens. Configuration faults — a bad variable, or no way to authenticate
 * callers — throw a ConfigError naming the variables before any connection is made.
 */
export async function startGateway(options: StartOptions = {}): Promise<RunningGateway> {
  const config = loadConfig(options.env ?? process.env);
  const apiKeys = new ApiKeys(config.apiKeysPath);
  const secret = options.devnet ? devnetSecret(config) : undefined;
  // Before connecting to anything: a gateway that can authenticate nobody must not start.
  requireAuthSource(config, { apiKeys: apiKeys.size, devTokens: secret !== undefined });
  const topology = topologyOf(config);
  const metrics = new GatewayMetrics();
  const ledger = new FabricConnection(topology, { deadlines: config.deadlines, maxAttempts: config.maxAttempts, observe: metrics.observeCall, crashAt: config.crashAt });
  const jwt = secret ? { ...config.jwt, secret } : config.jwt;
  const feedUser = topology.wallet.list().find((u) => u.privateKey !== undefined);
  const identities = identityServiceOf(config, topology);
  const feed = feedUser ? new EventFeed({ ledger, user: feedUser, dataDir: config.dataDir }) : undefined;
  const app = await buildApp({
    config,
    ledger,
    wallet: topology.wallet,
    identities,
    tokens: tokenVerifier(jwt),
    apiKeys,
    metrics,
    devTokenSecret: secret,
    routes: apiRoutes(feed),
  });
  try {
    await feed?.start(app.log);
    const url = await app.listen({ port: config.port, host: config.host });
    return {
      app,
      config,
      topology,
      url,
      close: async () => {
        await app.close();
        await feed?.stop();
        ledger.close();
      },
    };
  } catch (err) {
    await app.close();
    await feed?.stop();
    ledger.close();
    throw err;
  }
}
