/**
 * The financial resources: Coverage (read, search by patient and status), Claim (read, search by patient and status, create)
 * and ClaimResponse (read, search by patient and status). The ledger lists a caller
 * organisation's claims by ledger status, so a claim search walks those lists in turn (one ledger
 * page per Bundle page) and filters by patient; `ledger-status` narrows it to one list.
 */
import { randomUUID } from 'node:crypto';
import { StringEnum, CLAIMS, COVERAGE, DEFAULT_PAGE_SIZE, type ClaimStatus } from '@healthledger/contract-api';
import { signingUserOf } from '../auth/principal';
import { CLAIM_ROUTES } from '../routes/contracts/claims';
import type { EndorserChoice } from '../routes/contracts/operation';
import { claimFromFhir, claimToFhir, type FhirClaim, type LedgerClaim } from './claim';
import { claimResponseToFhir, type LedgerAdjudicationPart, type LedgerAppealPart } from './claim-response';
import { coverageToFhir, type LedgerCoverage } from './coverage';
import { ClaimInput } from './input-schemas';
import type { Interaction, ResourceInteractions, SearchParam, SearchResult } from './interactions';
import { invoke, type LedgerPage } from './ledger';
import { invalid, mspIdOf } from './references';
import type { Resource } from './types';
import { multiListNext, multiListPosition, nextCursor, pageRequest, PatientParam, patientParam, type Paging } from './search';

/** What `claims:get` answers: the header with the payer's and the provider's parts. */
type ClaimView = LedgerClaim & { adjudication: LedgerAdjudicationPart; appeal: LedgerAppealPart };

const LEDGER_STATUSES: readonly ClaimStatus[] = ['pended', 'approved', 'partial', 'denied', 'appealed', 'paid'];

/** The compact route's endorsers for a new claim (the provider and the named payer). */
const submitEndorsers: EndorserChoice | undefined = CLAIM_ROUTES.find((r) => r.tx === CLAIMS.submit)?.endorsers;

async function getClaim(i: Interaction, claimId: string): Promise<ClaimView> {
  return (await invoke(i.ctx, i.request, CLAIMS.get, { claimId })) as ClaimView;
}

function responseOf(view: ClaimView): Resource {
  return claimResponseToFhir(view);
}

const CLAIM_SEARCH: Record<string, SearchParam> = {
  patient: { schema: PatientParam, type: 'reference', documentation: 'Patient/<pseudonymous ref>' },
  status: { schema: StringEnum(['active', 'cancelled', 'draft', 'entered-in-error']), type: 'token', documentation: 'FHIR status: every ledger claim is active' },
  'ledger-status': { schema: StringEnum(LEDGER_STATUSES), type: 'token', documentation: 'the ledger status (pended, approved, partial, denied, appealed, paid)' },
};

/** One Bundle page of the caller organisation's claims: one ledger page of one status list. */
async function claimPage(i: Interaction, q: Record<string, unknown>, toResource: (header: LedgerClaim) => Promise<Resource>): Promise<SearchResult> {
  const lists = q['ledger-status'] !== undefined ? [q['ledger-status'] as ClaimStatus] : q['status'] === undefined || q['status'] === 'active' ? LEDGER_STATUSES : [];
  const { list, bookmark } = multiListPosition(q, lists.length);
  const status = lists[list];
  if (status === undefined) return { resources: [] };
  const input = { status, pageSize: (q as Paging)._count ?? DEFAULT_PAGE_SIZE, ...(bookmark === undefined ? {} : { bookmark }) };
  const page = (await invoke(i.ctx, i.request, CLAIMS.list, input)) as LedgerPage<LedgerClaim>;
  const patient = q['patient'] === undefined ? undefined : patientParam(q['patient'] as string);
  const resources: Resource[] = [];
  for (const header of page.items) if (patient === undefined || header.patientRef === patient) resources.push(await toResource(header));
  return { resources, next: multiListNext(list, page.bookmark, lists.length) };
}

const COVERAGE_SEARCH: Record<string, SearchParam> = {
  patient: { schema: PatientParam, type: 'reference', documentation: 'Patient/<pseudonymous ref> (required)' },
  status: { schema: StringEnum(['active', 'cancelled', 'draft', 'entered-in-error']), type: 'token', documentation: 'active or cancelled (the ledger has no draft or entered-in-error coverage)' },
};

/** One Bundle page of a patient's coverages: one ledger page of `coverage:list`. */
async function coveragePage(i: Interaction, q: Record<string, unknown>): Promise<SearchResult> {
  const status = q['status'] as string | undefined;
  if (status === 'draft' || status === 'entered-in-error') return { resources: [] };
  const input = { patientRef: patientParam(q['patient'] as string), ...(status === undefined ? {} : { status }), ...pageRequest(q) };
  const page = (await invoke(i.ctx, i.request, COVERAGE.list, input)) as LedgerPage<LedgerCoverage>;
  return { resources: page.items.map(coverageToFhir), next: nextCursor(page.bookmark) };
}

const coverage: ResourceInteractions = {
  type: 'Coverage',
  documentation: "A patient's coverage by a payer and its plan's cost sharing (coverage:get, list). A payer's adjudicator finds only its own organisation's coverages.",
  read: async (i, coverageId) => coverageToFhir((await invoke(i.ctx, i.request, COVERAGE.get, { coverageId })) as LedgerCoverage),
  search: { params: COVERAGE_SEARCH, required: ['patient'], run: coveragePage },
};

const claim: ResourceInteractions = {
  type: 'Claim',
  documentation: "A provider's claim to a payer (claims:submit, get, list). Diagnoses and procedures sent with a new claim stay private to provider and payer and are not returned here.",
  read: async (i, claimId) => claimToFhir(await getClaim(i, claimId)),
  search: { params: CLAIM_SEARCH, run: (i, q) => claimPage(i, q, (header) => Promise.resolve(claimToFhir(header))) },
  create: {
    body: ClaimInput,
    run: async (i, body) => {
      const resource = body as FhirClaim;
      // The chaincode makes the caller's organisation the provider: a claim naming another is refused, not rewritten.
      if (mspIdOf(resource.provider, 'Claim.provider') !== signingUserOf(i.request).mspId) throw invalid("Claim.provider: the caller's organisation submits its own claims");
      const { request, detail } = claimFromFhir(resource, () => `clm-${randomUUID()}`);
      const options = { transient: { detail: JSON.stringify(detail) }, endorsers: submitEndorsers, reply: i.reply };
      return claimToFhir((await invoke(i.ctx, i.request, CLAIMS.submit, { ...request }, options)) as LedgerClaim);
    },
  },
};

const claimResponse: ResourceInteractions = {
  type: 'ClaimResponse',
  documentation: "The payer's adjudication of a claim and its payment (claims:get). Same id as the claim; queued while pended.",
  read: async (i, claimId) => responseOf(await getClaim(i, claimId)),
  search: { params: CLAIM_SEARCH, run: (i, q) => claimPage(i, q, async (header) => responseOf(await getClaim(i, header.claimId))) },
};

/** The financial resource types. */
export const FINANCIAL: readonly ResourceInteractions[] = [coverage, claim, claimResponse];
