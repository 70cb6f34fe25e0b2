/**
 * The journeys against an external Fabric network (`HEALTHLEDGER_E2E_TARGET=fabric`, set by
 * `npm run test:fabric`): one gateway per organisation, each configured as that organisation
 * would deploy it, from the `gateway/<MSP>.env` file `scripts/network.sh up` writes (FABRIC_*
 * variables, its own identity directory, no dev token endpoint). Every user calls their own
 * organisation's gateway with an HS256 token, as an OIDC provider would issue it.
 *
 * The gateways run in this process, or — with HEALTHLEDGER_E2E_GATEWAYS naming a gateways file
 * (see {@link GatewaysFile}; scripts/test-fabric-hosts.js writes one) — they already run as
 * processes of their own, each on its organisation's host, and are reached by URL only.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { issueToken } from '@healthledger/gateway/auth/tokens';
import { startGateway, type RunningGateway } from '@healthledger/gateway/server';
import { loadConsortium } from '@healthledger/network';
import { localAddressToward } from './http';
import type { GatewayEndpoint, JourneyNetwork } from './network';

/**
 * Gateways that run already (HEALTHLEDGER_E2E_GATEWAYS names this JSON file), e.g. each in its
 * organisation's network namespace, started by `scripts/network.sh gateway start`.
 */
export interface GatewaysFile {
  /** MSP id → base URL of that organisation's gateway; every organisation of the consortium. */
  gateways: Record<string, string>;
  /**
   * The environment the gateways were started with beyond their env files. Its
   * HEALTHLEDGER_JWT_SECRET is the HS256 secret they all verify (tokens are issued with it); all
   * of it is passed on when a gateway is started again.
   */
  env: Record<string, string>;
  /**
   * A command (argv) that stops or starts one organisation's gateway process and returns once it
   * is gone or listens again: `[...control, 'stop' | 'start', '--org', mspId]`. Without it
   * `restartGateway` fails, saying so.
   */
  control?: string[];
}

/** Where `scripts/network.sh` keeps its work directory. */
export function fabricWorkDir(): string {
  return process.env.HEALTHLEDGER_FABRIC_DIR ?? path.resolve(__dirname, '../../network/fabric/work');
}

function parseEnvFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match?.[1]) env[match[1]] = match[2] ?? '';
  }
  return env;
}

/**
 * A user's private key in a fabric-samples identity directory (FABRIC_IDENTITY_DIR): the first
 * file of `<name>@<domain>/msp/keystore/` (or `<name>/msp/keystore/`), as the gateway's wallet reads it.
 */
function keyIn(identityDir: string, user: string): string {
  const entry = readdirSync(identityDir).find((name) => name === user || name.startsWith(`${user}@`));
  const keystore = entry === undefined ? undefined : path.join(identityDir, entry, 'msp', 'keystore');
  const file = keystore !== undefined && existsSync(keystore) ? readdirSync(keystore).sort()[0] : undefined;
  if (keystore === undefined || file === undefined) throw new Error(`no private key for ${user} in ${identityDir}`);
  return readFileSync(path.join(keystore, file), 'utf8');
}

/** The gateway env file `up` wrote for each organisation of the consortium, by MSP id. */
function envFiles(): Map<string, Record<string, string>> {
  return new Map(loadConsortium().organizations.map((org) => [org.mspId, parseEnvFile(readFileSync(path.join(fabricWorkDir(), 'gateway', `${org.mspId}.env`), 'utf8'))]));
}

/** Users by name → their organisation's MSP id, and a user's key from the network's material. */
function usersOf(envs: Map<string, Record<string, string>>) {
  const consortium = loadConsortium();
  const orgOf = new Map(consortium.organizations.flatMap((o) => o.users.map((u) => [u.name, o.mspId] as const)));
  const mspOf = (user: string | undefined): string => (user && orgOf.get(user)) ?? consortium.organizations[0]?.mspId ?? '';
  return {
    mspOf,
    userKey: (user: string): string => {
      const identityDir = envs.get(mspOf(user))?.['FABRIC_IDENTITY_DIR'];
      if (!orgOf.has(user) || !identityDir) throw new Error(`${user} is not a user of the consortium, or its gateway env file names no FABRIC_IDENTITY_DIR`);
      return keyIn(identityDir, user);
    },
    // Every gateway verifies the same HS256 secret, as they would trust one identity provider.
    bearer: (secret: string) => async (user: string) => {
      const mspId = orgOf.get(user);
      if (!mspId) throw new Error(`${user} is not a user of the consortium`);
      return `Bearer ${await issueToken(secret, { name: user, mspId }, 3600)}`;
    },
  };
}

export async function startExternal(name: string): Promise<JourneyNetwork> {
  const gatewaysFile = process.env.HEALTHLEDGER_E2E_GATEWAYS;
  if (gatewaysFile) return useRunning(name, gatewaysFile);
  const consortium = loadConsortium();
  const secret = randomBytes(32).toString('hex');
  /** The running gateway of each organisation; absent while it is stopped for a restart. */
  const gateways = new Map<string, RunningGateway>();
  const envs = envFiles();
  const users = usersOf(envs);
  const dataDirs = new Map<string, string>();
  const scratch: string[] = [];
  // In this process the gateways are the test's own, called by it alone: loopback, whatever
  // address an env file for several hosts names.
  const gatewayOn = (mspId: string, dataDir: string): Promise<RunningGateway> =>
    startGateway({
      env: { ...envs.get(mspId), HEALTHLEDGER_DATA_DIR: dataDir, HEALTHLEDGER_JWT_SECRET: secret, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', HEALTHLEDGER_RATE_LIMIT: '1000000' },
    });
  const stop = async (): Promise<void> => {
    for (const gateway of gateways.values()) await gateway.close();
    gateways.clear();
    for (const dir of [...dataDirs.values(), ...scratch]) rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const org of consortium.organizations) {
      const dataDir = mkdtempSync(path.join(tmpdir(), `hl-e2e-${name}-${org.mspId}-`));
      dataDirs.set(org.mspId, dataDir);
      gateways.set(org.mspId, await gatewayOn(org.mspId, dataDir));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const gatewayOf = (user: string | undefined): RunningGateway => {
    const gateway = gateways.get(users.mspOf(user));
    if (!gateway) throw new Error(`no gateway for ${user ?? 'anonymous'} (${users.mspOf(user)})`);
    return gateway;
  };
  const bearer = users.bearer(secret);
  return {
    urlFor: (user) => gatewayOf(user).url,
    bearer,
    userKey: users.userKey,
    async restartGateway(user, meanwhile) {
      const mspId = users.mspOf(user);
      const dataDir = dataDirs.get(mspId);
      if (!dataDir) throw new Error(`no gateway for ${user} (${mspId})`);
      await gatewayOf(user).close();
      gateways.delete(mspId);
      if (meanwhile) {
        const spareDir = mkdtempSync(path.join(tmpdir(), `hl-e2e-${name}-${mspId}-spare-`));
        scratch.push(spareDir);
        const spare = await gatewayOn(mspId, spareDir);
        const endpoint: GatewayEndpoint = { urlFor: () => spare.url, bearer };
        try {
          await meanwhile(endpoint);
        } finally {
          await spare.close();
        }
      }
      gateways.set(mspId, await gatewayOn(mspId, dataDir));
    },
    topologyFor: (user) => gatewayOf(user).topology,
    stop,
  };
}

/**
 * Gateways already running, by URL (HEALTHLEDGER_E2E_GATEWAYS). They are not this process's to
 * stop: `stop()` leaves them running, and `restartGateway` goes through the file's control command.
 */
function useRunning(name: string, file: string): JourneyNetwork {
  const running = JSON.parse(readFileSync(file, 'utf8')) as GatewaysFile;
  const secret = running.env?.['HEALTHLEDGER_JWT_SECRET'];
  if (!secret) throw new Error(`${file}: env.HEALTHLEDGER_JWT_SECRET (the HS256 secret the gateways verify) is missing`);
  const envs = envFiles();
  const users = usersOf(envs);
  const missing = [...envs.keys()].filter((mspId) => !running.gateways?.[mspId]);
  if (missing.length > 0) throw new Error(`${file}: no gateway URL for ${missing.join(', ')}`);
  const urlOf = (user: string | undefined): string => running.gateways[users.mspOf(user)] ?? '';
  const bearer = users.bearer(secret);
  const scratch: string[] = [];
  const control = async (action: 'start' | 'stop', mspId: string): Promise<void> => {
    if (!running.control || running.control.length === 0) {
      throw new Error(`restartGateway: ${file} names no control command, so the running gateway of ${mspId} cannot be stopped and started again`);
    }
    const [command, ...args] = running.control;
    // Asynchronously: this process keeps serving the webhook receiver while the gateway starts.
    await promisify(execFile)(command!, [...args, action, '--org', mspId], { env: { ...process.env, ...running.env }, timeout: 120_000 });
  };
  return {
    urlFor: urlOf,
    bearer,
    userKey: users.userKey,
    async restartGateway(user, meanwhile) {
      const mspId = users.mspOf(user);
      // The spare runs in this process, on the address at which the gateways' host reaches this
      // one (never loopback: on several hosts that is nobody's but this host's).
      const spareHost = await localAddressToward(urlOf(user));
      await control('stop', mspId);
      if (meanwhile) {
        const spareDir = mkdtempSync(path.join(tmpdir(), `hl-e2e-${name}-${mspId}-spare-`));
        scratch.push(spareDir);
        const spare = await startGateway({
          env: { ...envs.get(mspId), ...running.env, HEALTHLEDGER_DATA_DIR: spareDir, HOST: spareHost, PORT: '0', LOG_LEVEL: 'warn' },
        });
        try {
          await meanwhile({ urlFor: () => spare.url, bearer });
        } finally {
          await spare.close();
        }
      }
      await control('start', mspId);
    },
    topologyFor: () => undefined,
    stop() {
      for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}
