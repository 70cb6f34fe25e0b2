import { RECORD_CATEGORIES, SMALL_CELL_THRESHOLD, type RecordCategory, type RecordCounts } from '@healthledger/contract-api';
import { inPeriod, type Consent } from '../consent/access';
import { CONSENT_BY_PATIENT, consentKey } from '../consent/store';
import { RECORD_BY_PATIENT, recordKey, type RecordEntry } from '../records/record';
import type { HealthContext } from '../shared';

/**
 * Counts for population health: records by category and custodian, over the patients whose own
 * consents permit research use of that category now. Only counts leave the chaincode, and a
 * count below {@link SMALL_CELL_THRESHOLD} is suppressed, never shown.
 */
export async function countResearchRecords(ctx: HealthContext): Promise<RecordCounts> {
  const tally = new Map<string, number>();
  for (const [patientRef, consents] of await researchConsentsByPatient(ctx)) {
    for await (const entry of ctx.state.scan(RECORD_BY_PATIENT, patientRef)) {
      const record = await ctx.state.get<RecordEntry>(recordKey(ctx, entry.attributes[1] ?? ''));
      if (!record || record.erased || !permitsResearch(consents, record.category)) continue;
      const cell = `${record.category}\n${record.custodian}`;
      tally.set(cell, (tally.get(cell) ?? 0) + 1);
    }
  }
  return { threshold: SMALL_CELL_THRESHOLD, asOf: ctx.now.iso, cells: cellsOf(tally) };
}

/**
 * Each patient's consents that bear on research use now: active, in period, not tied to a trial
 * (a trial consent is for that trial's releases only).
 */
async function researchConsentsByPatient(ctx: HealthContext): Promise<Map<string, Consent[]>> {
  const byPatient = new Map<string, Consent[]>();
  for await (const entry of ctx.state.scan(CONSENT_BY_PATIENT)) {
    const [patientRef, consentId] = entry.attributes;
    if (patientRef === undefined || consentId === undefined) continue;
    const consent = await ctx.state.get<Consent>(consentKey(ctx, consentId));
    if (!consent || consent.status !== 'active' || consent.trialId !== undefined || !inPeriod(consent.period, ctx.now.epochMs)) continue;
    byPatient.set(patientRef, [...(byPatient.get(patientRef) ?? []), consent]);
  }
  return byPatient;
}

/** A permit for purpose HRESCH covering the category, and no deny for it (deny overrides permit, as in access). */
export function permitsResearch(consents: readonly Consent[], category: RecordCategory): boolean {
  const provisions = consents.flatMap((c) => c.provisions).filter((p) => p.purposes.includes('HRESCH') && (p.categories === undefined || p.categories.includes(category)));
  return provisions.some((p) => p.type === 'permit') && !provisions.some((p) => p.type === 'deny');
}

/** The tally as cells in category order, then custodian; small counts suppressed. */
function cellsOf(tally: Map<string, number>): RecordCounts['cells'] {
  return [...tally.entries()]
    .map(([cell, count]) => {
      const [category = 'other', custodian = ''] = cell.split('\n');
      return { category: category as RecordCategory, custodian, count };
    })
    .sort((a, b) => RECORD_CATEGORIES.indexOf(a.category) - RECORD_CATEGORIES.indexOf(b.category) || (a.custodian < b.custodian ? -1 : a.custodian > b.custodian ? 1 : 0))
    .map(({ category, custodian, count }) => (count < SMALL_CELL_THRESHOLD ? { category, custodian, suppressed: true } : { category, custodian, suppressed: false, count }));
}
