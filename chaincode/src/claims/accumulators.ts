import type { HealthContext } from '../shared';
import type { Coverage } from './coverage-ledger';

/**
 * What a patient has used of a plan in one calendar year: deductible met, out-of-pocket paid and
 * units per code (for per-code limits). Stored under
 * `key('coverage~accumulator', patientRef, coverageId, year)`, owned (SBE) by the payer.
 */
export interface Accumulator {
  patientRef: string;
  coverageId: string;
  year: string;
  deductibleMet: number;
  outOfPocket: number;
  /** Units used per `codeKey` (`CPT:99213`). */
  units: Record<string, number>;
}

/** The plan year of a service date: its calendar year. */
export function planYear(serviceDate: string): string {
  return serviceDate.slice(0, 4);
}

function accumulatorKey(ctx: HealthContext, coverage: Coverage, year: string): string {
  return ctx.state.key('coverage~accumulator', coverage.patientRef, coverage.coverageId, year);
}

/** The accumulator of `coverage` for `year`, zero if nothing was used yet. */
export async function readAccumulator(ctx: HealthContext, coverage: Coverage, year: string): Promise<Accumulator> {
  const found = await ctx.state.get<Accumulator>(accumulatorKey(ctx, coverage, year));
  return found ?? { patientRef: coverage.patientRef, coverageId: coverage.coverageId, year, deductibleMet: 0, outOfPocket: 0, units: {} };
}

/** Writes the accumulator; a new key is restricted to the payer's endorsement. */
export async function writeAccumulator(ctx: HealthContext, coverage: Coverage, accumulator: Accumulator): Promise<void> {
  const key = accumulatorKey(ctx, coverage, accumulator.year);
  const existed = await ctx.state.exists(key);
  await ctx.state.put(key, accumulator);
  if (!existed) await ctx.state.setEndorsers(key, [coverage.payer]);
}
