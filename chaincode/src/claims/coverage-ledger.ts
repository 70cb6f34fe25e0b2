import { type HealthContext, type Stamp } from '../shared';
import { fail, type RegisterCoverageRequest } from '@healthledger/contract-api';

/** A coverage as stored under `key('coverage', coverageId)`, owned (SBE) by its payer. */
export interface Coverage extends Omit<RegisterCoverageRequest, 'status'> {
  /** The payer organisation (MSP id) that registered the coverage. */
  payer: string;
  status: 'active' | 'cancelled';
  updatedBy: Stamp;
}

export function coverageKey(ctx: HealthContext, coverageId: string): string {
  return ctx.state.key('coverage', coverageId);
}

/** The coverage `coverageId`, or COVERAGE_NOT_FOUND. */
export async function readCoverage(ctx: HealthContext, coverageId: string): Promise<Coverage> {
  return (await ctx.state.get<Coverage>(coverageKey(ctx, coverageId))) ?? fail('COVERAGE_NOT_FOUND', coverageId);
}

/** Whether the coverage is in force on `serviceDate` (`YYYY-MM-DD`, inclusive period). */
export function inForce(coverage: Coverage, serviceDate: string): boolean {
  return coverage.status === 'active' && coverage.period.start <= serviceDate && serviceDate <= coverage.period.end;
}

/**
 * Writes a coverage; on creation also indexes it by patient and restricts the key to the payer's
 * endorsement, so no other organisation can change the terms.
 */
export async function writeCoverage(ctx: HealthContext, coverage: Coverage, created: boolean): Promise<void> {
  const key = coverageKey(ctx, coverage.coverageId);
  await ctx.state.put(key, coverage);
  if (!created) return;
  await ctx.state.setEndorsers(key, [coverage.payer]);
  await ctx.state.putIndex('coverage~patient', coverage.patientRef, coverage.coverageId);
}

/**
 * The patient's coverage from `payer` in force on `serviceDate` (first in coverage-id order), or
 * COVERAGE_NOT_FOUND. Scans the `coverage~patient` index, so it belongs in evaluations.
 */
export async function findCoverage(ctx: HealthContext, patientRef: string, payer: string, serviceDate: string): Promise<Coverage> {
  for await (const { attributes } of ctx.state.scan('coverage~patient', patientRef)) {
    const coverageId = attributes[1];
    const coverage = coverageId === undefined ? undefined : await ctx.state.get<Coverage>(coverageKey(ctx, coverageId));
    if (coverage?.payer === payer && inForce(coverage, serviceDate)) return coverage;
  }
  return fail('COVERAGE_NOT_FOUND', `${patientRef} with ${payer} on ${serviceDate}`);
}
