/**
 * A suite's view of its jest worker's shared end-to-end network (shared-network-broker.ts): the
 * devnet and gateway the worker's earlier suites may have used. Suites on it must not assume a
 * fresh ledger — ids unique per run (`uid`), no counts over the whole ledger — as on real Fabric,
 * where `npm run test:fabric` runs every journey twice on one ledger.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkDescriptor, type DevnetDescriptor } from '@healthledger/fabric-core/descriptor';
import { loadDescriptor, type LedgerTopology } from '@healthledger/gateway/fabric/descriptor';
import { BROKER_ENV, type SharedNetworkInfo } from './shared-network-info';
import { devTokens, keyOf, type JourneyNetwork } from './network';

/** The worker's shared network, or undefined when no broker runs (jest without the e2e project's setup). */
export async function sharedNetwork(): Promise<JourneyNetwork | undefined> {
  const broker = process.env[BROKER_ENV];
  if (!broker) return undefined;
  const worker = process.env.JEST_WORKER_ID ?? '1';
  const res = await fetch(`${broker}/networks/${worker}`);
  if (!res.ok) throw new Error(`shared e2e network of worker ${worker}: ${res.status} ${await res.text()}`);
  const { url, descriptorPath } = (await res.json()) as SharedNetworkInfo;
  const descriptor: DevnetDescriptor = checkDescriptor(descriptorPath, JSON.parse(readFileSync(descriptorPath, 'utf8')));
  let topology: LedgerTopology | undefined;
  return {
    urlFor: () => url,
    bearer: devTokens(() => url),
    userKey: (user) => keyOf(descriptor, path.dirname(descriptorPath), user),
    // The gateway's own topology comes from the same descriptor (HEALTHLEDGER_DEVNET).
    topologyFor: () => (topology ??= loadDescriptor(descriptorPath)),
    restartGateway: () => Promise.reject(new Error('the shared e2e network is not restarted: use startJourneys(name, { own: true })')),
    // Other suites of the worker run on it next; the broker stops it at the end of the run.
    stop: () => Promise.resolve(),
  };
}
