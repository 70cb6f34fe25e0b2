/**
 * The end-to-end network: the real devnet (full consortium from network/consortium.yaml, in
 * memory, random ports) with our chaincode as a chaincode service, and the REST gateway on a
 * random port reading the devnet's descriptor. Tests talk to it over HTTP only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Devnet } from '@healthledger/network/devnet';
import { startGateway, type RunningGateway } from '@healthledger/gateway/server';

/** What the user journeys need: where each user's gateway is, and how to authenticate. */
export interface JourneyNetwork {
  /** Base URL of the gateway `user` calls (their organisation's; one gateway on the devnet). */
  urlFor(user?: string): string;
  /** Bearer header for a demo user. */
  bearer(user: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The network for the user journeys: the devnet by default; an external Fabric network with one
 * gateway per organisation when HEALTHLEDGER_E2E_TARGET=fabric (see external.ts).
 */
export async function startJourneys(name: string): Promise<JourneyNetwork> {
  if (process.env.HEALTHLEDGER_E2E_TARGET === 'fabric') {
    const { startExternal } = await import('./external');
    return startExternal(name);
  }
  return startE2e(name);
}

export interface E2eNetwork extends JourneyNetwork {
  devnet: Devnet;
  gateway: RunningGateway;
  baseUrl: string;
  dataDir: string;
}

/** Material is generated once per test file into a stable directory (reused across runs). */
const MATERIAL_ROOT = path.resolve(__dirname, '../../.healthledger/e2e');

export async function startE2e(name: string, opts: { dataDir?: string } = {}): Promise<E2eNetwork> {
  const dataDir = opts.dataDir ?? path.join(MATERIAL_ROOT, name);
  const devnet = await Devnet.start({ dataDir, inMemory: opts.dataDir === undefined, randomPorts: true, chaincodeServer: true });
  const gatewayDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), `hl-e2e-${name}-`));
  let gateway: RunningGateway;
  try {
    gateway = await startGateway({
      // Property tests send thousands of requests: the rate limit is not what they test.
      env: { HEALTHLEDGER_DATA_DIR: gatewayDir, HEALTHLEDGER_DEVNET: devnet.descriptorPath, PORT: '0', LOG_LEVEL: 'warn', HEALTHLEDGER_RATE_LIMIT: '1000000' },
      devnet: true,
    });
  } catch (err) {
    await devnet.stop();
    throw err;
  }
  const tokens = new Map<string, string>();
  const net: E2eNetwork = {
    devnet,
    gateway,
    baseUrl: gateway.url,
    dataDir: gatewayDir,
    urlFor: () => net.baseUrl,
    async bearer(user) {
      let token = tokens.get(user);
      if (!token) {
        const res = await fetch(`${net.baseUrl}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) });
        if (!res.ok) throw new Error(`dev token for ${user}: ${res.status} ${await res.text()}`);
        token = ((await res.json()) as { access_token: string }).access_token;
        tokens.set(user, token);
      }
      return `Bearer ${token}`;
    },
    async stop() {
      await net.gateway.close();
      await devnet.stop();
      if (opts.dataDir === undefined) rmSync(gatewayDir, { recursive: true, force: true });
    },
  };
  return net;
}
