import type { DisclosureEntry } from '@healthledger/contract-api';
import type { HealthContext } from '../shared';

/**
 * One disclosure attempt, shaped after FHIR AuditEvent: `agent` (who), `entity` (what),
 * `purpose` (purposeOfEvent), `outcome`, `recorded`. Denied attempts are kept too. Public state:
 * pseudonymous refs and codes only.
 */
export type Disclosure = DisclosureEntry;

/**
 * Index of a patient's disclosures in time order: `disclosure~patient` (patientRef, recorded,
 * disclosureId). `recorded` is fixed-width ISO 8601 UTC, so key order is time order.
 */
export const DISCLOSURE_BY_PATIENT = 'disclosure~patient';

export function disclosureKey(ctx: HealthContext, disclosureId: string): string {
  return ctx.state.key('disclosure', disclosureId);
}

/** Writes a disclosure entry and its patient/time index entry, and announces it (no PHI). */
export async function recordDisclosure(ctx: HealthContext, disclosure: Disclosure): Promise<void> {
  await ctx.state.put(disclosureKey(ctx, disclosure.disclosureId), disclosure);
  await ctx.state.putIndex(DISCLOSURE_BY_PATIENT, disclosure.entity.patientRef, disclosure.recorded, disclosure.disclosureId);
  ctx.changes.add({
    type: 'disclosure',
    id: disclosure.disclosureId,
    action: disclosure.outcome,
    recordId: disclosure.entity.recordId,
    patientRef: disclosure.entity.patientRef,
    custodian: disclosure.entity.custodian,
    org: disclosure.agent.org,
    emergency: disclosure.emergency,
  });
}
