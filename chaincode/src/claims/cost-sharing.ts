/**
 * The one rounding rule and the cost-sharing arithmetic of a service line. Pure functions over
 * integer minor units, so every endorsing peer computes the same figures.
 *
 * Order on a line: copay first, then deductible, then coinsurance on the rest; each is capped by
 * what the patient still has to reach the out-of-pocket maximum. Coinsurance is computed per line
 * as `eligible-after-copay-and-deductible × bps / 10 000`, rounded half up to the minor unit
 * (`floor((x × bps + 5 000) / 10 000)`) in BigInt, so large amounts cannot lose precision.
 */

/** What the patient still owes toward the plan-year deductible and out-of-pocket maximum. */
export interface Remaining {
  deductible: number;
  outOfPocket: number;
}

/** Cost sharing of one line's eligible amount. */
export interface LineShare {
  copay: number;
  deductible: number;
  coinsurance: number;
  /** What the plan pays: eligible − copay − deductible − coinsurance. */
  benefit: number;
}

/** Half-up division of a non-negative BigInt product, as a safe integer number. */
export function roundHalfUp(numerator: bigint, denominator: bigint): number {
  return Number((numerator * 2n + denominator) / (denominator * 2n));
}

/** Coinsurance on `amount` at `bps`, rounded half up to the minor unit. */
export function coinsuranceOf(amount: number, bps: number): number {
  return roundHalfUp(BigInt(amount) * BigInt(bps), 10_000n);
}

/**
 * Splits `eligible` between patient and plan and returns the line's share together with the
 * remaining deductible and out-of-pocket room after it (inputs are not modified).
 */
export function shareCost(eligible: number, terms: { copay: number; coinsuranceBps: number }, remaining: Remaining): { share: LineShare; remaining: Remaining } {
  let oop = remaining.outOfPocket;
  const copay = Math.min(terms.copay, eligible, oop);
  oop -= copay;
  const deductible = Math.min(eligible - copay, remaining.deductible, oop);
  oop -= deductible;
  const coinsurance = Math.min(coinsuranceOf(eligible - copay - deductible, terms.coinsuranceBps), oop);
  oop -= coinsurance;
  return {
    share: { copay, deductible, coinsurance, benefit: eligible - copay - deductible - coinsurance },
    remaining: { deductible: remaining.deductible - deductible, outOfPocket: oop },
  };
}
