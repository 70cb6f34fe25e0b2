/**
 * The end-to-end network: the real devnet (full consortium from network/consortium.yaml, in
 * memory, random ports) with our chaincode as a chaincode service, and the REST gateway on a
 * random port reading the devnet's descriptor. Tests talk to it over HTTP only.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DevnetDescriptor } from '@healthledger/fabric-core/descriptor';
import type { Devnet } from '@healthledger/network/devnet';
import type { LedgerTopology } from '@healthledger/gateway/fabric/descriptor';
import type { RunningGateway } from '@healthledger/gateway/server';
import { MATERIAL_ROOT, seedMaterial } from './material';

export { seedMaterial } from './material';

/** Where a user's gateway is and how to authenticate to it: all an HTTP client needs. */
export interface GatewayEndpoint {
  /** Base URL of the gateway `user` calls (their organisation's; one gateway on the devnet). */
  urlFor(user?: string): string;
  /** Bearer header for a demo user. */
  bearer(user: string): Promise<string>;
}

/** What the user journeys need, implemented alike by the devnet and an external Fabric network. */
export interface JourneyNetwork extends GatewayEndpoint {
  /**
   * The PEM private key of a demo user, as the user holds it for offline signing (read from the
   * network's crypto material: `users/<name>@<domain>/msp/keystore/`).
   */
  userKey(user: string): string;
  /**
   * Stops the gateway `user` calls and starts it again on the same data directory (its event
   * checkpoint, event log and webhooks survive). While it is down, `meanwhile` gets a second
   * gateway of the same organisation on a fresh data directory, through which the ledger moves on;
   * that one is stopped before the restart. Afterwards `urlFor(user)` is the restarted gateway.
   */
  restartGateway(user: string, meanwhile?: (spare: GatewayEndpoint) => Promise<void>): Promise<void>;
  /**
   * The ledger topology (channel, chaincode, peers, wallet) of the gateway `user` calls, for tests
   * that go beneath the REST API; undefined when that gateway runs in a process of its own.
   */
  topologyFor(user: string): LedgerTopology | undefined;
  stop(): Promise<void>;
}

/**
 * The network for the user journeys: the devnet by default; an external Fabric network with one
 * gateway per organisation when HEALTHLEDGER_E2E_TARGET=fabric (see external.ts), started in this
 * process or, with HEALTHLEDGER_E2E_GATEWAYS, already running on hosts of their own.
 *
 * On the devnet a suite shares its jest worker's network with the worker's other suites
 * (shared-network.ts), as the journeys share one ledger on real Fabric; `own` starts a network
 * for the suite alone, for a suite that restarts or reconfigures it.
 */
export async function startJourneys(name: string, opts: { own?: boolean } = {}): Promise<JourneyNetwork> {
  if (process.env.HEALTHLEDGER_E2E_TARGET === 'fabric') {
    const { startExternal } = await import('./external');
    return startExternal(name);
  }
  if (!opts.own) {
    const { sharedNetwork } = await import('./shared-network');
    const shared = await sharedNetwork();
    if (shared) return shared;
  }
  return startE2e(name);
}

export interface E2eNetwork extends JourneyNetwork {
  devnet: Devnet;
  gateway: RunningGateway;
  baseUrl: string;
  dataDir: string;
}

/** Bearer headers from a devnet gateway's dev token endpoint, cached per user. */
export function devTokens(baseUrl: () => string): (user: string) => Promise<string> {
  const tokens = new Map<string, string>();
  return async (user) => {
    let token = tokens.get(user);
    if (!token) {
      const res = await fetch(`${baseUrl()}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) });
      if (!res.ok) throw new Error(`dev token for ${user}: ${res.status} ${await res.text()}`);
      token = ((await res.json()) as { access_token: string }).access_token;
      tokens.set(user, token);
    }
    return `Bearer ${token}`;
  };
}

/** A demo user's PEM private key from a devnet descriptor whose relative paths resolve against `baseDir`. */
export function keyOf(descriptor: DevnetDescriptor, baseDir: string, user: string): string {
  const entry = descriptor.orgs.flatMap((o) => o.users).find((u) => u.name === user);
  if (!entry) throw new Error(`${user} is not a user of the devnet`);
  return entry.key.startsWith('-----BEGIN') ? entry.key : readFileSync(path.resolve(baseDir, entry.key), 'utf8');
}

export async function startE2e(name: string, opts: { dataDir?: string } = {}): Promise<E2eNetwork> {
  const dataDir = opts.dataDir ?? path.join(MATERIAL_ROOT, name);
  seedMaterial(dataDir);
  // Loaded here, not at the top: a suite on the worker's shared network never loads the devnet
  // and the gateway (their modules cost each suite's module registry a second or more of CPU).
  const { Devnet } = await import('@healthledger/network/devnet');
  const { startGateway } = await import('@healthledger/gateway/server');
  const devnet = await Devnet.start({ dataDir, inMemory: opts.dataDir === undefined, randomPorts: true, chaincodeServer: true });
  const gatewayDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), `hl-e2e-${name}-`));
  const gatewayOn = (dir: string) =>
    startGateway({
      // Property tests send thousands of requests: the rate limit is not what they test.
      env: { HEALTHLEDGER_DATA_DIR: dir, HEALTHLEDGER_DEVNET: devnet.descriptorPath, PORT: '0', LOG_LEVEL: 'warn', HEALTHLEDGER_RATE_LIMIT: '1000000' },
      devnet: true,
    });
  let gateway: RunningGateway;
  try {
    gateway = await gatewayOn(gatewayDir);
  } catch (err) {
    await devnet.stop();
    throw err;
  }
  /** False while the gateway is stopped for a restart (net.stop() must not close it twice). */
  let running = true;
  const net: E2eNetwork = {
    devnet,
    gateway,
    baseUrl: gateway.url,
    dataDir: gatewayDir,
    urlFor: () => net.baseUrl,
    // The dev token secret is kept in the data directory, so tokens survive a restart.
    bearer: devTokens(() => net.baseUrl),
    userKey: (user) => keyOf(devnet.descriptor, path.dirname(devnet.descriptorPath), user),
    async restartGateway(_user, meanwhile) {
      running = false;
      await net.gateway.close();
      if (meanwhile) {
        const spareDir = mkdtempSync(path.join(tmpdir(), `hl-e2e-${name}-spare-`));
        try {
          const spare = await gatewayOn(spareDir);
          try {
            await meanwhile({ urlFor: () => spare.url, bearer: devTokens(() => spare.url) });
          } finally {
            await spare.close();
          }
        } finally {
          rmSync(spareDir, { recursive: true, force: true });
        }
      }
      net.gateway = await gatewayOn(gatewayDir);
      net.baseUrl = net.gateway.url;
      running = true;
    },
    topologyFor: () => net.gateway.topology,
    async stop() {
      if (running) await net.gateway.close();
      await devnet.stop();
      if (opts.dataDir === undefined) rmSync(gatewayDir, { recursive: true, force: true });
    },
  };
  return net;
}
