/**
 * The journeys against an external Fabric network (`HEALTHLEDGER_E2E_TARGET=fabric`, set by
 * `npm run test:fabric`): one gateway per organisation, each configured as that organisation
 * would deploy it, from the `gateway/<MSP>.env` file `scripts/network.sh up` writes (FABRIC_*
 * variables, its own identity directory, no dev token endpoint). Every user calls their own
 * organisation's gateway with an HS256 token, as an OIDC provider would issue it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { issueToken } from '@healthledger/gateway/auth/tokens';
import { startGateway, type RunningGateway } from '@healthledger/gateway/server';
import { loadConsortium } from '@healthledger/network';
import type { GatewayEndpoint, JourneyNetwork } from './network';

/** Where `scripts/network.sh` keeps its work directory. */
function fabricWorkDir(): string {
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

export async function startExternal(name: string): Promise<JourneyNetwork> {
  const consortium = loadConsortium();
  const secret = randomBytes(32).toString('hex');
  /** The running gateway of each organisation; absent while it is stopped for a restart. */
  const gateways = new Map<string, RunningGateway>();
  const envs = new Map<string, Record<string, string>>();
  const dataDirs = new Map<string, string>();
  const scratch: string[] = [];
  const gatewayOn = (mspId: string, dataDir: string): Promise<RunningGateway> =>
    startGateway({
      env: { ...envs.get(mspId), HEALTHLEDGER_DATA_DIR: dataDir, HEALTHLEDGER_JWT_SECRET: secret, PORT: '0', LOG_LEVEL: 'warn', HEALTHLEDGER_RATE_LIMIT: '1000000' },
    });
  const stop = async (): Promise<void> => {
    for (const gateway of gateways.values()) await gateway.close();
    gateways.clear();
    for (const dir of [...dataDirs.values(), ...scratch]) rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const org of consortium.organizations) {
      envs.set(org.mspId, parseEnvFile(readFileSync(path.join(fabricWorkDir(), 'gateway', `${org.mspId}.env`), 'utf8')));
      const dataDir = mkdtempSync(path.join(tmpdir(), `hl-e2e-${name}-${org.mspId}-`));
      dataDirs.set(org.mspId, dataDir);
      gateways.set(org.mspId, await gatewayOn(org.mspId, dataDir));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const orgOf = new Map(consortium.organizations.flatMap((o) => o.users.map((u) => [u.name, o.mspId] as const)));
  const mspOf = (user: string | undefined): string => (user && orgOf.get(user)) ?? consortium.organizations[0]?.mspId ?? '';
  const gatewayOf = (user: string | undefined): RunningGateway => {
    const gateway = gateways.get(mspOf(user));
    if (!gateway) throw new Error(`no gateway for ${user ?? 'anonymous'} (${mspOf(user)})`);
    return gateway;
  };
  // Every gateway verifies the same HS256 secret, as they would trust one identity provider.
  const bearer = async (user: string): Promise<string> => {
    const mspId = orgOf.get(user);
    if (!mspId) throw new Error(`${user} is not a user of the consortium`);
    return `Bearer ${await issueToken(secret, { name: user, mspId }, 3600)}`;
  };
  return {
    urlFor: (user) => gatewayOf(user).url,
    bearer,
    userKey(user) {
      const identityDir = envs.get(mspOf(user))?.['FABRIC_IDENTITY_DIR'];
      if (!orgOf.has(user) || !identityDir) throw new Error(`${user} is not a user of the consortium, or its gateway env file names no FABRIC_IDENTITY_DIR`);
      return keyIn(identityDir, user);
    },
    async restartGateway(user, meanwhile) {
      const mspId = mspOf(user);
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
    stop,
  };
}
