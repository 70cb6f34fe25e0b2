/**
 * Code systems, identifier systems and the project's extension namespace, each named once. HL7
 * and external systems are the published ones; what only the ledger knows (MSP ids, pseudonymous
 * actors, record categories, ledger bookkeeping) lives under `urn:healthledger:fhir:…`, listed in
 * docs/design/fhir.md.
 */

/** Published code systems the mappings use. */
export const SYSTEM = {
  consentScope: 'http://terminology.hl7.org/CodeSystem/consentscope',
  loinc: 'http://loinc.org',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  actReason: 'http://terminology.hl7.org/CodeSystem/v3-ActReason',
  consentAction: 'http://terminology.hl7.org/CodeSystem/consentaction',
  participationType: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType',
  dicom: 'http://dicom.nema.org/resources/ontology/DCM',
  restfulInteraction: 'http://hl7.org/fhir/restful-interaction',
  auditEntityType: 'http://terminology.hl7.org/CodeSystem/audit-entity-type',
  objectRole: 'http://terminology.hl7.org/CodeSystem/object-role',
  securitySourceType: 'http://terminology.hl7.org/CodeSystem/security-source-type',
  coverageClass: 'http://terminology.hl7.org/CodeSystem/coverage-class',
  copayType: 'http://terminology.hl7.org/CodeSystem/coverage-copay-type',
  claimType: 'http://terminology.hl7.org/CodeSystem/claim-type',
  processPriority: 'http://terminology.hl7.org/CodeSystem/processpriority',
  adjudication: 'http://terminology.hl7.org/CodeSystem/adjudication',
  paymentType: 'http://terminology.hl7.org/CodeSystem/ex-paymenttype',
  provenanceAgentType: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
  dataOperation: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation',
  cpt: 'http://www.ama-assn.org/go/cpt',
  hcpcs: 'https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  ndc: 'http://hl7.org/fhir/sid/ndc',
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  icd10pcs: 'http://www.cms.gov/Medicare/Coding/ICD10',
} as const;

/** The project's namespace for identifier systems, code systems and extensions. */
export const NS = 'urn:healthledger:fhir';

/** Identifier and code systems of the project's own. */
export const LOCAL = {
  /** Organisations are named by their Fabric MSP id. */
  mspId: `${NS}:msp-id`,
  /** Pseudonymous actor of a ledger identity (never a name). */
  actor: `${NS}:actor`,
  practitionerId: `${NS}:practitioner-id`,
  emergencyId: `${NS}:emergency-id`,
  /** The ledger's own id of an asset whose id is not a valid FHIR id. */
  ledgerId: `${NS}:ledger-id`,
  recordCategory: `${NS}:record-category`,
  /** A trial's id in an external registry (an NCT number, a EudraCT number…). */
  trialRegistryId: `${NS}:trial-registry-id`,
  /** A trial subject's pseudonymous id within its trial. */
  subjectId: `${NS}:trial-subject-id`,
  /** The ledger's roles (clinician, billing, adjudicator…). */
  role: `${NS}:role`,
  adjudication: `${NS}:adjudication`,
  adjudicationReason: `${NS}:adjudication-reason`,
  problem: 'urn:healthledger:problem',
} as const;

/** The URL of one of the project's extensions. */
export function extensionUrl(name: string): string {
  return `${NS}:extension:${name}`;
}

/** A FHIR logical id: what a ledger id must look like to be one (ledger ids may be longer or use `_` and `:`). */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
