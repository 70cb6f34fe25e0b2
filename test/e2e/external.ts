/**
 * The journeys against an external Fabric network (`HEALTHLEDGER_E2E_TARGET=fabric`, set by
 * `npm run test:fabric`): one gateway per organisation, each configured as that organisation
 * would deploy it, from the `gateway/<MSP>.env` file `scripts/network.sh up` writes (FABRIC_*
 * variables, its own identity directory, no dev token endpoint). Every user calls their own
 * organisation's gateway with an HS256 token, as an OIDC provider would issue it.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { issueToken } from '@healthledger/gateway/auth/tokens';
import { startGateway, type RunningGateway } from '@healthledger/gateway/server';
import { loadConsortium } from '@healthledger/network';
import type { JourneyNetwork } from './network';

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

export async function startExternal(name: string): Promise<JourneyNetwork> {
  const consortium = loadConsortium();
  const secret = randomBytes(32).toString('hex');
  const gateways = new Map<string, RunningGateway>();
  const dataDirs: string[] = [];
  const stop = async (): Promise<void> => {
    for (const gateway of gateways.values()) await gateway.close();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const org of consortium.organizations) {
      const env = parseEnvFile(readFileSync(path.join(fabricWorkDir(), 'gateway', `${org.mspId}.env`), 'utf8'));
      const dataDir = mkdtempSync(path.join(tmpdir(), `hl-e2e-${name}-${org.mspId}-`));
      dataDirs.push(dataDir);
      const gateway = await startGateway({
        env: { ...env, HEALTHLEDGER_DATA_DIR: dataDir, HEALTHLEDGER_JWT_SECRET: secret, PORT: '0', LOG_LEVEL: 'warn', HEALTHLEDGER_RATE_LIMIT: '1000000' },
      });
      gateways.set(org.mspId, gateway);
    }
  } catch (err) {
    await stop();
    throw err;
  }
  const orgOf = new Map(consortium.organizations.flatMap((o) => o.users.map((u) => [u.name, o.mspId] as const)));
  const gatewayOf = (user: string | undefined): RunningGateway => {
    const mspId = (user && orgOf.get(user)) ?? consortium.organizations[0]?.mspId ?? '';
    const gateway = gateways.get(mspId);
    if (!gateway) throw new Error(`no gateway for ${user ?? 'anonymous'} (${mspId})`);
    return gateway;
  };
  return {
    urlFor: (user) => gatewayOf(user).url,
    async bearer(user) {
      const mspId = orgOf.get(user);
      if (!mspId) throw new Error(`${user} is not a user of the consortium`);
      return `Bearer ${await issueToken(secret, { name: user, mspId }, 3600)}`;
    },
    stop,
  };
}
