import { codeKey } from './codes';
import { inForce, type Coverage } from './coverage-ledger';
import type { Accumulator } from './accumulators';
import { shareCost, type Remaining } from './cost-sharing';
import type { AdjudicationReason, PricedLine, ServiceLine } from '@healthledger/contract-api';

/** How much of a line is eligible for benefits, and why not all of it. */
export interface LineDecision {
  eligibleQuantity: number;
  reasons: AdjudicationReason[];
}

export type { PricedLine };

export type PricedTotals = Omit<PricedLine, 'sequence' | 'eligibleQuantity' | 'reasons'>;

/** Adjudication outcome of a set of decisions. */
export type Outcome = 'approved' | 'partial' | 'denied';

/**
 * The coverage rules' decision for each line: nothing when the coverage is not in force or the
 * code is not a benefit; otherwise the quantity left under the code's yearly limit (counting
 * earlier lines of the same claim).
 */
export function decideByRules(coverage: Coverage, serviceDate: string, lines: ServiceLine[], accumulator: Accumulator): LineDecision[] {
  if (!inForce(coverage, serviceDate)) return lines.map(() => ({ eligibleQuantity: 0, reasons: ['COVERAGE_INACTIVE'] }));
  const used = { ...accumulator.units };
  return lines.map((line) => {
    const benefit = benefitFor(coverage, line);
    if (!benefit) return { eligibleQuantity: 0, reasons: ['NOT_COVERED'] };
    const key = codeKey(line);
    const left = benefit.quantityLimitPerYear === undefined ? line.quantity : Math.max(0, benefit.quantityLimitPerYear - (used[key] ?? 0));
    const eligibleQuantity = Math.min(line.quantity, left);
    used[key] = (used[key] ?? 0) + eligibleQuantity;
    return { eligibleQuantity, reasons: eligibleQuantity < line.quantity ? ['LIMIT_EXCEEDED'] : [] };
  });
}

/**
 * Why the coverage rules leave services to the payer: a code flagged for manual review, or a
 * total above the plan's auto-adjudication limit. A coverage not in force is decided (denied) by
 * the rules, not pended, so it gives no reasons.
 */
export function pendReasons(coverage: Coverage, serviceDate: string, lines: ServiceLine[]): string[] {
  if (!inForce(coverage, serviceDate)) return [];
  const reasons: string[] = [];
  if (lines.some((line) => benefitFor(coverage, line)?.manualReview === true)) reasons.push('MANUAL_REVIEW_CODE');
  const total = lines.reduce((sum, line) => sum + line.quantity * line.unitPrice, 0);
  if (coverage.autoAdjudicationLimit !== undefined && total > coverage.autoAdjudicationLimit) reasons.push('ABOVE_AUTO_LIMIT');
  return reasons;
}

/**
 * Prices lines under `decisions` in line order, carrying the deductible and out-of-pocket room
 * from line to line, and returns the priced lines, totals and the accumulator after them.
 */
export function price(coverage: Coverage, lines: ServiceLine[], decisions: LineDecision[], accumulator: Accumulator): { lines: PricedLine[]; totals: PricedTotals; accumulator: Accumulator } {
  let remaining: Remaining = {
    deductible: Math.max(0, coverage.deductible - accumulator.deductibleMet),
    outOfPocket: Math.max(0, coverage.outOfPocketMax - accumulator.outOfPocket),
  };
  const after: Accumulator = { ...accumulator, units: { ...accumulator.units } };
  const priced = lines.map((line, i) => {
    const decision = decisions[i] ?? { eligibleQuantity: 0, reasons: ['OTHER'] };
    const benefit = benefitFor(coverage, line);
    const terms = { copay: benefit?.copay ?? coverage.copay, coinsuranceBps: benefit?.coinsuranceBps ?? coverage.coinsuranceBps };
    const submitted = line.quantity * line.unitPrice;
    const eligible = decision.eligibleQuantity * line.unitPrice;
    const shared = shareCost(eligible, terms, remaining);
    remaining = shared.remaining;
    const { copay, deductible, coinsurance, benefit: paid } = shared.share;
    after.deductibleMet += deductible;
    after.outOfPocket += copay + deductible + coinsurance;
    if (decision.eligibleQuantity > 0) after.units[codeKey(line)] = (after.units[codeKey(line)] ?? 0) + decision.eligibleQuantity;
    return { sequence: i + 1, eligibleQuantity: decision.eligibleQuantity, submitted, eligible, copay, deductible, coinsurance, benefit: paid, patientResponsibility: submitted - paid, reasons: decision.reasons };
  });
  return { lines: priced, totals: totalsOf(priced), accumulator: after };
}

/** Takes what `lines` added back out of an accumulator (before re-adjudicating a claim). */
export function reverse(accumulator: Accumulator, lines: ServiceLine[], priced: PricedLine[]): Accumulator {
  const after: Accumulator = { ...accumulator, units: { ...accumulator.units } };
  priced.forEach((p, i) => {
    after.deductibleMet -= p.deductible;
    after.outOfPocket -= p.copay + p.deductible + p.coinsurance;
    const line = lines[i];
    if (line && p.eligibleQuantity > 0) {
      const key = codeKey(line);
      const left = (after.units[key] ?? 0) - p.eligibleQuantity;
      if (left > 0) after.units[key] = left;
      else delete after.units[key];
    }
  });
  return after;
}

/** approved: every line fully eligible; denied: none at all; partial otherwise. */
export function outcomeOf(lines: ServiceLine[], decisions: LineDecision[]): Outcome {
  const full = lines.every((line, i) => decisions[i]?.eligibleQuantity === line.quantity);
  if (full) return 'approved';
  return decisions.every((d) => d.eligibleQuantity === 0) ? 'denied' : 'partial';
}

function benefitFor(coverage: Coverage, line: ServiceLine) {
  return coverage.benefits.find((b) => b.system === line.system && b.code === line.code);
}

function totalsOf(lines: PricedLine[]): PricedTotals {
  const sum = (pick: (l: PricedLine) => number) => lines.reduce((acc, l) => acc + pick(l), 0);
  return {
    submitted: sum((l) => l.submitted),
    eligible: sum((l) => l.eligible),
    copay: sum((l) => l.copay),
    deductible: sum((l) => l.deductible),
    coinsurance: sum((l) => l.coinsurance),
    benefit: sum((l) => l.benefit),
    patientResponsibility: sum((l) => l.patientResponsibility),
  };
}
