import { type HealthContext } from '../shared';
import { type AdjudicateClaimRequest, type AdjudicationReason, fail } from '@healthledger/contract-api';
import { planYear, readAccumulator, writeAccumulator } from './accumulators';
import type { Adjudication, AdjudicationPart, ClaimHeader } from './claim-ledger';
import type { Coverage } from './coverage-ledger';
import { decideByRules, outcomeOf, price, reverse, type LineDecision, type Outcome } from './pricing';

/** Decisions of a manual adjudication, checked against the claim's lines. */
export function manualDecisions(claim: ClaimHeader, input: AdjudicateClaimRequest): { decisions: LineDecision[]; reasons: AdjudicationReason[] } {
  const reasons: AdjudicationReason[] = input.reasons ?? [];
  if (input.decision === 'approve') return { decisions: claim.items.map((i) => ({ eligibleQuantity: i.quantity, reasons: [] })), reasons };
  if (input.decision === 'deny') {
    if (reasons.length === 0) fail('VALIDATION_FAILED', 'request/reasons: a denial needs reason codes');
    return { decisions: claim.items.map(() => ({ eligibleQuantity: 0, reasons })), reasons };
  }
  const decisions: LineDecision[] = claim.items.map((i) => ({ eligibleQuantity: i.quantity, reasons: [] }));
  const named = new Set<number>();
  (input.items ?? fail('VALIDATION_FAILED', 'request/items: a partial decision names the reduced lines')).forEach((d, n) => {
    const line = claim.items[d.sequence - 1];
    if (!line || named.has(d.sequence)) fail('VALIDATION_FAILED', `request/items/${n}/sequence: no such line or named twice`);
    if (d.eligibleQuantity > line.quantity) fail('VALIDATION_FAILED', `request/items/${n}/eligibleQuantity: above the line quantity`);
    if (d.eligibleQuantity < line.quantity && !d.reasons?.length) fail('VALIDATION_FAILED', `request/items/${n}/reasons: a reduced line needs reason codes`);
    named.add(d.sequence);
    decisions[d.sequence - 1] = { eligibleQuantity: d.eligibleQuantity, reasons: d.reasons ?? [] };
  });
  if (outcomeOf(claim.items, decisions) !== 'partial') fail('VALIDATION_FAILED', 'request/items: a partial decision reduces some lines but not all to zero');
  return { decisions, reasons };
}

/**
 * Prices the claim under `decisions`, moving the patient's plan-year accumulator: what an earlier
 * adjudication of the same claim added is taken out first, so re-adjudication never counts twice.
 */
export async function applyAdjudication(
  ctx: HealthContext,
  coverage: Coverage,
  claim: ClaimHeader,
  part: AdjudicationPart,
  decided: { mode: Adjudication['mode']; decisions: LineDecision[]; reasons: Adjudication['reasons'] },
): Promise<{ adjudication: Adjudication; outcome: Outcome }> {
  let accumulator = await readAccumulator(ctx, coverage, planYear(claim.serviceDate));
  if (part.current) accumulator = reverse(accumulator, claim.items, part.current.items);
  const priced = price(coverage, claim.items, decided.decisions, accumulator);
  await writeAccumulator(ctx, coverage, priced.accumulator);
  const outcome = outcomeOf(claim.items, decided.decisions);
  const adjudication: Adjudication = {
    round: (part.current?.round ?? 0) + 1,
    mode: decided.mode,
    outcome,
    reasons: decided.reasons,
    items: priced.lines,
    totals: priced.totals,
    at: ctx.now.iso,
  };
  return { adjudication, outcome };
}

/** The coverage rules' decisions for a claim at submit. */
export async function decideAtSubmit(ctx: HealthContext, coverage: Coverage, claim: ClaimHeader): Promise<LineDecision[]> {
  const accumulator = await readAccumulator(ctx, coverage, planYear(claim.serviceDate));
  return decideByRules(coverage, claim.serviceDate, claim.items, accumulator);
}
