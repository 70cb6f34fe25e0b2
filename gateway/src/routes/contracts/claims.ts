/**
 * Coverage and claims. A claim's keys carry state-based endorsement by its provider AND payer,
 * so every claim transaction is endorsed by exactly those two organisations; clinical detail
 * travels as transient data to both.
 */
import { CLAIMS, COVERAGE, fail, ORGANIZATION_KINDS } from '@healthledger/contract-api';
import type { RouteModule } from '../context';
import type { Ledger } from '../../fabric/ledger';
import type { FabricUser } from '../../fabric/wallet';
import { parseResult, registerOperations, type Route } from './operation';

const coverage = ['coverage'];
const claims = ['claims'];

/**
 * A new claim: the caller's organisation (provider) and the named payer. The payer is checked
 * here, with the chaincode's own rule and answer, because it names an endorsing organisation:
 * Fabric cannot plan an endorsement by an organisation that is not in the channel and says so
 * as "failed to find any endorsing peers", which is also what a payer whose peers are down
 * looks like (503) — the chaincode's 400 would never be reached.
 */
function submitEndorsers(request: Record<string, unknown>, user: FabricUser): Promise<string[]> {
  const payer = String(request['payer']);
  if (ORGANIZATION_KINDS[payer] !== 'payer') fail('VALIDATION_FAILED', `request/payer: ${payer} is not a payer`);
  return Promise.resolve([...new Set([user.mspId, payer])]);
}

/** An existing claim: its provider and payer, read from the ledger. */
async function claimParties(request: Record<string, unknown>, user: FabricUser, ledger: Ledger): Promise<string[]> {
  const bytes = await ledger.evaluate(user, { fn: CLAIMS.get.qualifiedName, args: [JSON.stringify({ claimId: request['claimId'] })] });
  const claim = parseResult(bytes) as { provider?: string; payer?: string } | null;
  if (!claim?.provider || !claim.payer) return [user.mspId];
  return [...new Set([claim.provider, claim.payer])];
}

/** Clinical detail lives in the caller organisation's collection: evaluate on its own peer. */
function ownPeer(_request: Record<string, unknown>, user: FabricUser): Promise<string[]> {
  return Promise.resolve([user.mspId]);
}

export const CLAIM_ROUTES: Route[] = [
  { method: 'POST', url: '/coverages', tx: COVERAGE.register, tags: coverage, created: '/coverages/:coverageId' },
  { method: 'PUT', url: '/coverages/:coverageId', tx: COVERAGE.update, tags: coverage, params: ['coverageId'] },
  { method: 'GET', url: '/coverages/:coverageId', tx: COVERAGE.get, tags: coverage, params: ['coverageId'] },
  { method: 'GET', url: '/patients/:patientRef/coverages', tx: COVERAGE.list, tags: coverage, params: ['patientRef'], paged: true },
  { method: 'POST', url: '/eligibility-checks', tx: COVERAGE.checkEligibility, tags: coverage, status: 200 },
  { method: 'POST', url: '/claims', tx: CLAIMS.submit, tags: claims, endorsers: submitEndorsers, created: '/claims/:claimId' },
  { method: 'POST', url: '/claims/:claimId/adjudication', tx: CLAIMS.adjudicate, tags: claims, params: ['claimId'], status: 200, endorsers: claimParties },
  { method: 'POST', url: '/claims/:claimId/payment', tx: CLAIMS.pay, tags: claims, params: ['claimId'], status: 200, endorsers: claimParties },
  { method: 'POST', url: '/claims/:claimId/appeals', tx: CLAIMS.appeal, tags: claims, params: ['claimId'], endorsers: claimParties, created: '/claims/:claimId' },
  { method: 'GET', url: '/claims/:claimId', tx: CLAIMS.get, tags: claims, params: ['claimId'] },
  { method: 'GET', url: '/claims/:claimId/detail', tx: CLAIMS.getDetail, tags: claims, params: ['claimId'], endorsers: ownPeer },
  { method: 'GET', url: '/claims', tx: CLAIMS.list, tags: claims, paged: true },
];

export const claimRoutes: RouteModule = (app, ctx) => registerOperations(app, ctx, CLAIM_ROUTES);
