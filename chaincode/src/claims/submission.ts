import { type HealthContext } from '../shared';
import { fail, ORGANIZATION_KINDS, type SubmitClaimRequest } from '@healthledger/contract-api';
import { applyAdjudication, decideAtSubmit } from './adjudication';
import { claimKey, createClaim, type AdjudicationPart, type ClaimHeader, type StoredItem } from './claim-ledger';
import { checkServiceCode } from './codes';
import { readCoverage, type Coverage } from './coverage-ledger';
import { storeDetail, takeDetail } from './detail';
import { billDrugLines, checkDrugLines } from './drug-lines';
import { findSimilarClaim, fingerprintOf, indexFingerprint } from './duplicates';
import { pendReasons } from './pricing';
import { checkDate } from './terms';

/**
 * Submits a claim: validates it, checks coverage, duplicates and drug lines, stores the clinical
 * detail privately with both parties, and adjudicates it at once when the coverage rules decide
 * (otherwise it is pended; a possible duplicate — same services, other modifiers — always is). Any failed check fails the whole transaction, so nothing is written.
 */
export async function submitClaim(ctx: HealthContext, input: SubmitClaimRequest): Promise<{ claim: ClaimHeader; part: AdjudicationPart }> {
  const items = checkClaim(ctx, input);
  checkDrugLines(input.items);
  const detail = takeDetail(ctx);
  if (await ctx.state.exists(claimKey(ctx, input.claimId))) fail('CLAIM_EXISTS', input.claimId);
  const coverage = await readCoverage(ctx, input.coverageId);
  checkCoverage(coverage, input);

  const provider = ctx.caller.mspId;
  const fingerprint = fingerprintOf({ ...input, provider, items });
  const similar = await findSimilarClaim(ctx, fingerprint);
  await billDrugLines(ctx, input.claimId, input.items);

  const stamp = ctx.stamp();
  let claim: ClaimHeader = {
    claimId: input.claimId,
    patientRef: input.patientRef,
    provider,
    payer: input.payer,
    coverageId: input.coverageId,
    serviceDate: input.serviceDate,
    currency: input.currency,
    items,
    total: input.total,
    detailHash: detail.hash,
    status: 'pended',
    possibleDuplicateOf: similar,
    submittedAt: ctx.now.iso,
    updatedBy: stamp,
  };
  let part: AdjudicationPart = { claimId: claim.claimId, payer: claim.payer, pendReasons: [...pendReasons(coverage, claim.serviceDate, claim.items), ...(similar ? ['POSSIBLE_DUPLICATE'] : [])], updatedBy: stamp };
  if (part.pendReasons.length === 0) {
    const decisions = await decideAtSubmit(ctx, coverage, claim);
    const reasons = [...new Set(decisions.flatMap((d) => d.reasons))].sort();
    const { adjudication, outcome } = await applyAdjudication(ctx, coverage, claim, part, { mode: 'auto', decisions, reasons });
    claim = { ...claim, status: outcome };
    part = { ...part, current: adjudication };
  }
  await createClaim(ctx, claim, part);
  await indexFingerprint(ctx, fingerprint, claim.claimId);
  await storeDetail(ctx, claim, detail.bytes);
  ctx.changes.add({ type: 'claim', id: claim.claimId, action: 'submitted', status: claim.status, provider: claim.provider, payer: claim.payer });
  return { claim, part };
}

/** Schema-independent checks of the public claim; returns the lines as stored. */
function checkClaim(ctx: HealthContext, input: SubmitClaimRequest): StoredItem[] {
  checkDate(input.serviceDate, 'request/serviceDate');
  if (input.serviceDate > ctx.now.iso.slice(0, 10)) fail('VALIDATION_FAILED', 'request/serviceDate: in the future');
  if (ORGANIZATION_KINDS[input.payer] !== 'payer') fail('VALIDATION_FAILED', `request/payer: ${input.payer} is not a payer`);
  const items = input.items.map((item, i): StoredItem => {
    checkServiceCode(item.system, item.code, `request/items/${i}/code`);
    const net = item.quantity * item.unitPrice;
    if (item.net !== undefined && item.net !== net) fail('CLAIM_TOTAL_MISMATCH', `items/${i}: net ${item.net} ≠ quantity × unitPrice ${net}`);
    return { ...item, sequence: i + 1, net };
  });
  const sum = items.reduce((acc, item) => acc + item.net, 0);
  if (sum !== input.total) fail('CLAIM_TOTAL_MISMATCH', `total ${input.total} ≠ sum of lines ${sum}`);
  return items;
}

function checkCoverage(coverage: Coverage, input: SubmitClaimRequest): void {
  if (coverage.payer !== input.payer) fail('COVERAGE_MISMATCH', `${coverage.coverageId}: payer`);
  if (coverage.patientRef !== input.patientRef) fail('COVERAGE_MISMATCH', `${coverage.coverageId}: patientRef`);
  if (coverage.currency !== input.currency) fail('COVERAGE_MISMATCH', `${coverage.coverageId}: currency`);
}
