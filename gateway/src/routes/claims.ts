/**
 * Coverage and claims. A claim's keys carry state-based endorsement by its provider AND payer,
 * so every claim transaction is endorsed by exactly those two organisations; clinical detail
 * travels as transient data to both.
 */
import {
  AdjudicateClaimRequest,
  AppealClaimRequest,
  ClaimDetail,
  EligibilityRequest,
  GetClaimRequest,
  GetCoverageRequest,
  ListClaimsRequest,
  PayClaimRequest,
  RegisterCoverageRequest,
  SubmitClaimRequest,
  UpdateCoverageRequest,
} from '@healthledger/chaincode/claims/schemas';
import { fail } from '@healthledger/chaincode/shared/errors';
import { ORGANIZATION_KINDS } from '@healthledger/chaincode/shared/organizations';
import type { RouteModule } from '../app';
import type { Ledger } from '../fabric/ledger';
import type { FabricUser } from '../fabric/wallet';
import { parseResult, registerOperations, type Operation } from './operation';

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
  const bytes = await ledger.evaluate(user, { fn: 'claims:get', args: [JSON.stringify({ claimId: request['claimId'] })] });
  const claim = parseResult(bytes) as { provider?: string; payer?: string } | null;
  if (!claim?.provider || !claim.payer) return [user.mspId];
  return [...new Set([claim.provider, claim.payer])];
}

/** Clinical detail lives in the caller organisation's collection: evaluate on its own peer. */
function ownPeer(_request: Record<string, unknown>, user: FabricUser): Promise<string[]> {
  return Promise.resolve([user.mspId]);
}

export const CLAIM_OPERATIONS: Operation[] = [
  {
    method: 'POST', url: '/coverages', fn: 'coverage:register', mode: 'submit', request: RegisterCoverageRequest, tags: coverage,
    summary: 'Register a coverage (payer adjudicator)',
  },
  {
    method: 'PUT', url: '/coverages/:coverageId', fn: 'coverage:update', mode: 'submit', request: UpdateCoverageRequest, tags: coverage,
    params: ['coverageId'], summary: "Replace a coverage's terms",
  },
  {
    method: 'GET', url: '/coverages/:coverageId', fn: 'coverage:get', mode: 'evaluate', request: GetCoverageRequest, tags: coverage,
    params: ['coverageId'], summary: 'One coverage',
  },
  {
    method: 'POST', url: '/eligibility-checks', fn: 'coverage:checkEligibility', mode: 'evaluate', request: EligibilityRequest, tags: coverage,
    status: 200, summary: 'Eligibility and cost estimate (nothing written)',
  },
  {
    method: 'POST', url: '/claims', fn: 'claims:submit', mode: 'submit', request: SubmitClaimRequest, tags: claims,
    summary: 'Submit a claim; adjudicated at once when the rules decide, else pended', endorsers: submitEndorsers,
    transient: [{ name: 'detail', required: true, schema: ClaimDetail, description: 'Clinical detail (private to provider and payer)' }],
  },
  {
    method: 'POST', url: '/claims/:claimId/adjudication', fn: 'claims:adjudicate', mode: 'submit', request: AdjudicateClaimRequest, tags: claims,
    params: ['claimId'], status: 200, summary: 'Adjudicate a pended or appealed claim', endorsers: claimParties,
  },
  {
    method: 'POST', url: '/claims/:claimId/payment', fn: 'claims:pay', mode: 'submit', request: PayClaimRequest, tags: claims,
    params: ['claimId'], status: 200, summary: 'Record the payment of an approved claim', endorsers: claimParties,
  },
  {
    method: 'POST', url: '/claims/:claimId/appeals', fn: 'claims:appeal', mode: 'submit', request: AppealClaimRequest, tags: claims,
    params: ['claimId'], summary: 'Appeal a denied or partially approved claim', endorsers: claimParties,
  },
  {
    method: 'GET', url: '/claims/:claimId', fn: 'claims:get', mode: 'evaluate', request: GetClaimRequest, tags: claims,
    params: ['claimId'], summary: 'One claim with its adjudication, payment and appeals',
  },
  {
    method: 'GET', url: '/claims/:claimId/detail', fn: 'claims:getDetail', mode: 'evaluate', request: GetClaimRequest, tags: claims,
    params: ['claimId'], summary: 'Clinical detail (provider billing or payer adjudicator)', endorsers: ownPeer,
  },
  {
    method: 'GET', url: '/claims', fn: 'claims:list', mode: 'evaluate', request: ListClaimsRequest, tags: claims,
    paged: true, summary: "The caller organisation's claims in one status",
  },
];

export const claimRoutes: RouteModule = (app, ctx) => registerOperations(app, ctx, CLAIM_OPERATIONS);
