import { canonicalJson, HealthContract, HealthContext, requireOrg, requireOrgKind, requireRole, type Caller, Tx } from '../shared';
import { EligibilityRequest, fail, GetCoverageRequest, ListCoveragesRequest, parseInput, RegisterCoverageRequest, UpdateCoverageRequest, COVERAGE } from '@healthledger/contract-api';
import { readAccumulator, planYear } from './accumulators';
import { checkServiceCode } from './codes';
import { coverageKey, findCoverage, inForce, readCoverage, writeCoverage, type Coverage } from './coverage-ledger';
import { decideByRules, outcomeOf, pendReasons, price } from './pricing';
import { checkDate, checkTerms } from './terms';

/**
 * Coverage (FHIR Coverage): a payer's plan terms for one patient reference. The coverage key is
 * owned by the payer through state-based endorsement.
 */
export class CoverageContract extends HealthContract {
  constructor() {
    super('coverage');
  }

  /**
   * Registers a coverage. Submit. Caller: adjudicator of a payer organisation (becomes the payer).
   * Request: {@link RegisterCoverageRequest}. No transient data. Endorsement: the chaincode policy
   * (a new key); afterwards the key needs the payer's peer.
   */
  @Tx(COVERAGE.register)
  async register(ctx: HealthContext, request: string): Promise<string> {
    requirePayerAdjudicator(ctx.caller);
    const input = parseInput(RegisterCoverageRequest, request);
    checkTerms(input);
    if (await ctx.state.exists(ctx.state.key('coverage', input.coverageId))) fail('COVERAGE_EXISTS', input.coverageId);
    const coverage: Coverage = { ...input, status: input.status ?? 'active', payer: ctx.caller.mspId, updatedBy: ctx.stamp() };
    await writeCoverage(ctx, coverage, true);
    ctx.changes.add({ type: 'coverage', id: coverage.coverageId, action: 'registered', status: coverage.status, payer: coverage.payer });
    return canonicalJson(coverage);
  }

  /**
   * Replaces a coverage's terms (plan, period, status, cost sharing, benefits). Submit. Caller:
   * adjudicator of the coverage's payer. Request: {@link UpdateCoverageRequest}. Endorsement: the payer.
   */
  @Tx(COVERAGE.update)
  async update(ctx: HealthContext, request: string): Promise<string> {
    requirePayerAdjudicator(ctx.caller);
    const input = parseInput(UpdateCoverageRequest, request);
    checkTerms(input);
    const current = await readCoverage(ctx, input.coverageId);
    requireOrg(ctx.caller, current.payer);
    const coverage: Coverage = { ...input, patientRef: current.patientRef, payer: current.payer, status: input.status ?? current.status, updatedBy: ctx.stamp() };
    await writeCoverage(ctx, coverage, false);
    ctx.changes.add({ type: 'coverage', id: coverage.coverageId, action: 'updated', status: coverage.status, payer: coverage.payer });
    return canonicalJson(coverage);
  }

  /**
   * One coverage. Evaluate. Caller: adjudicator of its payer, billing of a provider organisation,
   * the patient it covers, or an auditor. Request: {@link GetCoverageRequest}.
   */
  @Tx(COVERAGE.get)
  async get(ctx: HealthContext, request: string): Promise<string> {
    const { coverageId } = parseInput(GetCoverageRequest, request);
    const coverage = await readCoverage(ctx, coverageId);
    requireCoverageReader(ctx.caller, coverage, true);
    return canonicalJson(coverage);
  }

  /**
   * One page of a patient's coverages, in coverage-id order: `{ items, bookmark }`. Evaluate.
   * Caller: as for {@link get} — an adjudicator sees only its own organisation's coverages, the
   * patient only their own. `status` filters within the ledger page (the index is by patient
   * alone, since a coverage's status changes), so a page may hold fewer than `pageSize` items.
   * Request: {@link ListCoveragesRequest}.
   */
  @Tx(COVERAGE.list)
  async list(ctx: HealthContext, request: string): Promise<string> {
    const input = parseInput(ListCoveragesRequest, request);
    requireCoverageListReader(ctx.caller, input.patientRef);
    const page = await ctx.state.page('coverage~patient', [input.patientRef], input.pageSize, input.bookmark);
    const items: Coverage[] = [];
    for (const { attributes } of page.items) {
      const coverage = await ctx.state.get<Coverage>(coverageKey(ctx, attributes[1] ?? ''));
      if (coverage && listed(ctx.caller, coverage, input.status)) items.push(coverage);
    }
    return canonicalJson({ items, bookmark: page.bookmark });
  }

  /**
   * Eligibility and estimate: is the patient covered (by the coverage named, or by the payer named)
   * on the date for these codes, what would the plan pay and the patient owe, would a claim pend
   * (same rules and rounding as claim adjudication, nothing written).
   * Evaluate. Caller: billing of a provider organisation, adjudicator of the payer, or the patient.
   * Request: {@link EligibilityRequest}.
   */
  @Tx(COVERAGE.checkEligibility)
  async checkEligibility(ctx: HealthContext, request: string): Promise<string> {
    const input = parseInput(EligibilityRequest, request);
    checkDate(input.serviceDate, 'request/serviceDate');
    input.items.forEach((line, i) => checkServiceCode(line.system, line.code, `request/items/${i}/code`));
    const coverage = await coverageAsked(ctx, input);
    requireCoverageReader(ctx.caller, coverage, false);
    if (coverage.patientRef !== input.patientRef) fail('COVERAGE_MISMATCH', `${coverage.coverageId}: patientRef`);
    if (input.payer !== undefined && coverage.payer !== input.payer) fail('COVERAGE_MISMATCH', `${coverage.coverageId}: payer`);
    if (coverage.currency !== input.currency) fail('COVERAGE_MISMATCH', `${coverage.coverageId}: currency`);
    const accumulator = await readAccumulator(ctx, coverage, planYear(input.serviceDate));
    const decisions = decideByRules(coverage, input.serviceDate, input.items, accumulator);
    const priced = price(coverage, input.items, decisions, accumulator);
    return canonicalJson({
      coverageId: coverage.coverageId,
      inForce: inForce(coverage, input.serviceDate),
      outcome: outcomeOf(input.items, decisions),
      pendReasons: pendReasons(coverage, input.serviceDate, input.items),
      items: priced.lines,
      totals: priced.totals,
      // The patient's standing before these services (the lines show what they would use).
      deductibleRemaining: Math.max(0, coverage.deductible - accumulator.deductibleMet),
      outOfPocketRemaining: Math.max(0, coverage.outOfPocketMax - accumulator.outOfPocket),
    });
  }
}

/** The coverage an eligibility request names, or the patient's coverage from the payer it names. */
async function coverageAsked(ctx: HealthContext, input: EligibilityRequest): Promise<Coverage> {
  if (input.coverageId !== undefined) return readCoverage(ctx, input.coverageId);
  if (input.payer === undefined) fail('VALIDATION_FAILED', 'request: coverageId or payer is required');
  return findCoverage(ctx, input.patientRef, input.payer, input.serviceDate);
}

/** Requires role adjudicator in a payer organisation. */
export function requirePayerAdjudicator(caller: Caller): void {
  requireRole(caller, 'adjudicator');
  requireOrgKind(caller, 'payer');
}

/** Who may read a coverage: its payer's adjudicators, providers' billing, the patient, auditors (if `auditors`). */
function requireCoverageReader(caller: Caller, coverage: Coverage, auditors: boolean): void {
  const roles = auditors ? (['adjudicator', 'billing', 'patient', 'auditor'] as const) : (['adjudicator', 'billing', 'patient'] as const);
  requireRole(caller, ...roles);
  if (caller.role === 'adjudicator') requireOrg(caller, coverage.payer);
  if (caller.role === 'billing') requireOrgKind(caller, 'provider');
  if (caller.role === 'patient' && caller.patientId !== coverage.patientRef) fail('NOT_PATIENT_OR_DELEGATE', coverage.coverageId);
}

/** Who may list a patient's coverages: the readers of {@link requireCoverageReader}, checked before any coverage is read. */
function requireCoverageListReader(caller: Caller, patientRef: string): void {
  requireRole(caller, 'adjudicator', 'billing', 'patient', 'auditor');
  if (caller.role === 'adjudicator') requireOrgKind(caller, 'payer');
  if (caller.role === 'billing') requireOrgKind(caller, 'provider');
  if (caller.role === 'patient' && caller.patientId !== patientRef) fail('NOT_PATIENT_OR_DELEGATE', patientRef);
}

/** Whether a listed coverage is shown: of the status asked, and an adjudicator's only if its organisation is the payer. */
function listed(caller: Caller, coverage: Coverage, status: Coverage['status'] | undefined): boolean {
  if (status !== undefined && coverage.status !== status) return false;
  return caller.role !== 'adjudicator' || coverage.payer === caller.mspId;
}
