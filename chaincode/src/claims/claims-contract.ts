import { canonicalJson, HealthContract, HealthContext, requireOrg, requireOrgKind, requireRole, type Caller, Tx } from '../shared';
import { AdjudicateClaimRequest, AppealClaimRequest, fail, GetClaimRequest, ListClaimsRequest, parseInput, PayClaimRequest, SubmitClaimRequest, CLAIMS } from '@healthledger/contract-api';
import { applyAdjudication, manualDecisions } from './adjudication';
import { readAdjudicationPart, readAppealPart, readClaim, setStatus, writeAdjudicationPart, writeAppealPart, type ClaimHeader } from './claim-ledger';
import { requirePayerAdjudicator } from './coverage-contract';
import { readCoverage } from './coverage-ledger';
import { loadDetail } from './detail';
import { requireTransition } from './lifecycle';
import { submitClaim } from './submission';

/**
 * Insurance claims (FHIR Claim / ClaimResponse) between a provider and a payer. Every submit
 * changes keys owned by both parties, so it is endorsed by a provider peer AND a payer peer (the
 * Fabric gateway plans that from the keys' state-based endorsement policies).
 */
export class ClaimsContract extends HealthContract {
  constructor() {
    super('claims');
  }

  /**
   * Submits a claim and adjudicates it when the coverage rules decide (else pends it). Submit.
   * Caller: billing role of a provider organisation (becomes the provider). Request:
   * {@link SubmitClaimRequest}; transient `detail`: {@link ClaimDetail} JSON. Endorsers: provider
   * and payer. Returns the public claim with its adjudication (no clinical detail).
   */
  @Tx(CLAIMS.submit)
  async submit(ctx: HealthContext, request: string): Promise<string> {
    requireProviderBilling(ctx.caller);
    const { claim, part } = await submitClaim(ctx, parseInput(SubmitClaimRequest, request));
    return canonicalJson({ ...claim, adjudication: part });
  }

  /**
   * Manual adjudication of a pended claim, or re-adjudication of an appealed one: approve, partial
   * (per line) or deny with reason codes; the plan's cost sharing is applied. Submit. Caller:
   * adjudicator of the claim's payer. Request: {@link AdjudicateClaimRequest}. Endorsers: provider and payer.
   */
  @Tx(CLAIMS.adjudicate)
  async adjudicate(ctx: HealthContext, request: string): Promise<string> {
    requirePayerAdjudicator(ctx.caller);
    const input = parseInput(AdjudicateClaimRequest, request);
    const claim = await readClaim(ctx, input.claimId);
    requireOrg(ctx.caller, claim.payer);
    requireTransition(claim.claimId, claim.status, 'adjudicate');
    const decided = manualDecisions(claim, input);
    const part = await readAdjudicationPart(ctx, claim);
    const coverage = await readCoverage(ctx, claim.coverageId);
    const { adjudication, outcome } = await applyAdjudication(ctx, coverage, claim, part, { mode: 'manual', ...decided });
    const next = { ...part, current: adjudication, updatedBy: ctx.stamp() };
    await writeAdjudicationPart(ctx, next);
    const header = await setStatus(ctx, claim, outcome, claim.status === 'appealed' ? 're-adjudicated' : 'adjudicated');
    return canonicalJson({ ...header, adjudication: next });
  }

  /**
   * Records the payer's payment of an approved or partially approved claim; the amount must equal
   * the adjudicated benefit. Submit. Caller: adjudicator of the claim's payer. Request:
   * {@link PayClaimRequest}. Endorsers: provider and payer.
   */
  @Tx(CLAIMS.pay)
  async pay(ctx: HealthContext, request: string): Promise<string> {
    requirePayerAdjudicator(ctx.caller);
    const input = parseInput(PayClaimRequest, request);
    const claim = await readClaim(ctx, input.claimId);
    requireOrg(ctx.caller, claim.payer);
    requireTransition(claim.claimId, claim.status, 'pay');
    const part = await readAdjudicationPart(ctx, claim);
    const benefit = part.current?.totals.benefit;
    if (input.currency !== claim.currency || input.amount !== benefit) fail('CLAIM_PAYMENT_MISMATCH', `${claim.claimId}: benefit ${benefit ?? 0} ${claim.currency}`);
    const next = { ...part, payment: { amount: input.amount, currency: input.currency, reference: input.reference, at: ctx.now.iso }, updatedBy: ctx.stamp() };
    await writeAdjudicationPart(ctx, next);
    const header = await setStatus(ctx, claim, 'paid', 'paid');
    return canonicalJson({ ...header, adjudication: next });
  }

  /**
   * Appeals a denied or partially approved claim with a coded reason; the payer then
   * re-adjudicates. Submit. Caller: billing role of the claim's provider. Request:
   * {@link AppealClaimRequest}. Endorsers: provider and payer.
   */
  @Tx(CLAIMS.appeal)
  async appeal(ctx: HealthContext, request: string): Promise<string> {
    requireProviderBilling(ctx.caller);
    const input = parseInput(AppealClaimRequest, request);
    const claim = await readClaim(ctx, input.claimId);
    requireOrg(ctx.caller, claim.provider);
    requireTransition(claim.claimId, claim.status, 'appeal');
    const adjudication = await readAdjudicationPart(ctx, claim);
    const part = await readAppealPart(ctx, claim);
    const next = { ...part, appeals: [...part.appeals, { reason: input.reason, afterRound: adjudication.current?.round ?? 0, at: ctx.now.iso }], updatedBy: ctx.stamp() };
    await writeAppealPart(ctx, next);
    const header = await setStatus(ctx, claim, 'appealed', 'appealed');
    return canonicalJson({ ...header, appeal: next });
  }

  /**
   * One claim: header, the payer's adjudication and payment, the provider's appeals (public
   * data, no clinical detail). Evaluate. Caller: billing of the provider, adjudicator of the payer,
   * the patient, or an auditor of either party. Request: {@link GetClaimRequest}.
   */
  @Tx(CLAIMS.get)
  async get(ctx: HealthContext, request: string): Promise<string> {
    const { claimId } = parseInput(GetClaimRequest, request);
    const claim = await readClaim(ctx, claimId);
    requireClaimReader(ctx.caller, claim);
    const [adjudication, appeal] = [await readAdjudicationPart(ctx, claim), await readAppealPart(ctx, claim)];
    return canonicalJson({ ...claim, adjudication, appeal });
  }

  /**
   * The claim's clinical detail (diagnoses, procedures, notes) from this peer's implicit
   * collection, checked against the public hash. Evaluate, on a peer of the caller's own
   * organisation (else WRONG_PEER). Caller: billing of the provider or adjudicator of the payer. Request:
   * {@link GetClaimRequest}.
   */
  @Tx(CLAIMS.getDetail)
  async getDetail(ctx: HealthContext, request: string): Promise<string> {
    requireRole(ctx.caller, 'billing', 'adjudicator');
    const { claimId } = parseInput(GetClaimRequest, request);
    const claim = await readClaim(ctx, claimId);
    requireOrg(ctx.caller, ctx.caller.role === 'billing' ? claim.provider : claim.payer);
    return canonicalJson({ claimId, detail: await loadDetail(ctx, claim) });
  }

  /**
   * The caller organisation's claims in one status, as provider (billing role) or payer
   * (adjudicator role), paginated. Evaluate. Request: {@link ListClaimsRequest}; returns
   * `{ items: ClaimHeader[], bookmark }`.
   */
  @Tx(CLAIMS.list)
  async list(ctx: HealthContext, request: string): Promise<string> {
    const input = parseInput(ListClaimsRequest, request);
    requireRole(ctx.caller, 'billing', 'adjudicator');
    requireOrgKind(ctx.caller, ctx.caller.role === 'billing' ? 'provider' : 'payer');
    // The index is (party, status, claimId): without a status, the party's prefix covers every status.
    const prefix = input.status ? [ctx.caller.mspId, input.status] : [ctx.caller.mspId];
    const page = await ctx.state.page('claim~party', prefix, input.pageSize, input.bookmark);
    const items: ClaimHeader[] = [];
    for (const { attributes } of page.items) {
      const claimId = attributes[2];
      if (claimId !== undefined) items.push(await readClaim(ctx, claimId));
    }
    return canonicalJson({ items, bookmark: page.bookmark });
  }
}

/** Requires the billing role in a provider organisation. */
function requireProviderBilling(caller: Caller): void {
  requireRole(caller, 'billing');
  requireOrgKind(caller, 'provider');
}

/** Parties' billing/adjudicator roles, the patient, and auditors of either party. */
function requireClaimReader(caller: Caller, claim: ClaimHeader): void {
  requireRole(caller, 'billing', 'adjudicator', 'patient', 'auditor');
  if (caller.role === 'billing') requireOrg(caller, claim.provider);
  if (caller.role === 'adjudicator') requireOrg(caller, claim.payer);
  if (caller.role === 'auditor' && caller.mspId !== claim.provider) requireOrg(caller, claim.payer);
  if (caller.role === 'patient' && caller.patientId !== claim.patientRef) fail('NOT_PATIENT_OR_DELEGATE', claim.claimId);
}
