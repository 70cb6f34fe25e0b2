/**
 * The OpenAPI examples of the FHIR routes: for each resource type one resource, made by the same
 * mapper the route uses from a compact ledger value (ledger-examples.ts), and a one-entry
 * searchset Bundle of it. A test validates every example in the served document against the R4
 * schema, so the documentation cannot show a resource the interface would not emit.
 */
import { disclosureToFhir } from './audit-event';
import { claimToFhir } from './claim';
import { claimResponseToFhir } from './claim-response';
import { consentToFhir } from './consent';
import { coverageToFhir } from './coverage';
import { recordToFhir } from './document-reference';
import * as L from './ledger-examples';
import { versionToFhir } from './provenance';
import { subjectToFhir, trialToFhir } from './research-study';
import type { Bundle, Resource } from './types';

/** The base URL the examples use: the gateway's default address. */
export const EXAMPLE_BASE = 'http://127.0.0.1:3000/fhir';

const EXAMPLES: Readonly<Record<string, () => Resource>> = {
  Consent: () => consentToFhir(L.MINIMAL_CONSENT),
  AuditEvent: () => disclosureToFhir(L.DENIED_DISCLOSURE),
  DocumentReference: () => {
    const { erasedAt: _erasedAt, erasureReason: _erasureReason, ...record } = L.RECORD;
    return recordToFhir({ ...record, erased: false });
  },
  Provenance: () => versionToFhir(L.RECORD.recordId, L.VERSIONS[1] ?? L.VERSIONS[0]!),
  Coverage: () => coverageToFhir(L.COVERAGE),
  Claim: () => claimToFhir(L.CLAIM),
  ClaimResponse: () => claimResponseToFhir(L.CLAIM_RESPONSE),
  ResearchStudy: () => trialToFhir(L.TRIAL),
  ResearchSubject: () => subjectToFhir(L.SUBJECT),
};

/** The search each type's example Bundle answers. */
const SEARCHES: Readonly<Record<string, string>> = {
  Provenance: `target=DocumentReference/${L.RECORD.recordId}`,
  AuditEvent: `patient=Patient/${L.RECORD.patientRef}&date=ge2026-01-01`,
};

/** An example resource of `type`, or undefined for a type without one. */
export function exampleResource(type: string): Resource | undefined {
  return EXAMPLES[type]?.();
}

/** A one-entry searchset Bundle of `resource`, as a search on its type answers. */
export function exampleSearchset(resource: Resource): Bundle {
  const query = SEARCHES[resource.resourceType] ?? `patient=Patient/${L.RECORD.patientRef}`;
  const self = `${EXAMPLE_BASE}/${resource.resourceType}?${query}`;
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    link: [{ relation: 'self', url: self }],
    entry: [{ fullUrl: `${EXAMPLE_BASE}/${resource.resourceType}/${resource.id ?? ''}`, resource, search: { mode: 'match' } }],
  };
}
