/**
 * FHIR R4 resources as a hospital system would write them, built here by hand rather than with
 * the gateway's own mapping, so the end-to-end tests check the mapping against an independent
 * reading of the standard.
 */
const MSP = 'urn:healthledger:fhir:msp-id';

/** A privacy Consent: `grantee` (an organisation) may `access` records for `purposes` from `start`. */
export function fhirConsent(patientRef: string, grantee: string, purposes: string[], start = '2020-01-01') {
  return {
    resourceType: 'Consent',
    status: 'active',
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
    patient: { reference: `Patient/${patientRef}` },
    policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTIN' }] },
    provision: {
      period: { start },
      actor: [
        {
          role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP' }] },
          reference: { type: 'Organization', identifier: { system: MSP, value: grantee } },
        },
      ],
      provision: [
        {
          type: 'permit',
          action: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'access' }] }],
          purpose: purposes.map((code) => ({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code })),
        },
      ],
    },
  };
}

/** A professional Claim (by Hospital 1 unless `provider` says) of one CPT line (amount in dollars) with one ICD-10-CM diagnosis. */
export function fhirClaim(opts: { id?: string; provider?: string; patientRef: string; coverageId: string; serviceDate: string; cpt: string; dollars: number; diagnosis: string }) {
  const usd = (value: number) => ({ value, currency: 'USD' });
  return {
    resourceType: 'Claim',
    ...(opts.id === undefined ? {} : { id: opts.id }),
    status: 'active',
    type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/claim-type', code: 'professional' }] },
    use: 'claim',
    patient: { reference: `Patient/${opts.patientRef}` },
    billablePeriod: { start: opts.serviceDate, end: opts.serviceDate },
    created: `${opts.serviceDate}T12:00:00Z`,
    insurer: { type: 'Organization', identifier: { system: MSP, value: 'InsurerMSP' } },
    provider: { type: 'Organization', identifier: { system: MSP, value: opts.provider ?? 'Hospital1MSP' } },
    priority: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/processpriority', code: 'normal' }] },
    insurance: [{ sequence: 1, focal: true, coverage: { reference: `Coverage/${opts.coverageId}` } }],
    diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: opts.diagnosis }] } }],
    item: [
      {
        sequence: 1,
        productOrService: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: opts.cpt }] },
        servicedDate: opts.serviceDate,
        quantity: { value: 1 },
        unitPrice: usd(opts.dollars),
        net: usd(opts.dollars),
      },
    ],
    total: usd(opts.dollars),
  };
}
