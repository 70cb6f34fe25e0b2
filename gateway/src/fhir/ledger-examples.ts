/**
 * Compact ledger values, shaped as the chaincode returns them: one of each FHIR resource's
 * source, with every optional field set, and a minimal variant where it matters (a pended claim,
 * a first record version). The mapping and route tests map them, and so do the OpenAPI examples
 * of the FHIR routes (examples.ts), so the documented examples are what the mappers emit.
 */
import type { LedgerDisclosure } from './audit-event';
import type { LedgerClaim } from './claim';
import type { LedgerClaimResponse } from './claim-response';
import type { LedgerConsent } from './consent';
import type { LedgerCoverage } from './coverage';
import type { LedgerRecordMetadata } from './document-reference';
import type { LedgerRecordVersion } from './provenance';
import type { Stamp } from './stamp';
import type { Subject, Trial } from '@healthledger/contract-api';

const TX = 'a3f1c2d4e5b6a7980112233445566778899aabbccddeeff00112233445566778';

export function stamp(at: string, org = 'Hospital1MSP', role = 'clinician'): Stamp {
  return { org, role, actor: 'act-5d2c9e0f1a2b3c4d', txId: TX, at };
}

export const CONSENT: LedgerConsent = {
  consentId: 'cns-001',
  patientRef: 'pt-0c5f1a9e',
  grantee: { org: 'Hospital2MSP', practitionerId: 'prac-h2-0001', role: 'clinician' },
  period: { start: '2026-01-01', end: '2026-12-31T23:59:59Z' },
  provisions: [
    { type: 'permit', actions: ['access', 'use'], purposes: ['TREAT', 'ETREAT'], categories: ['lab-result', 'imaging'] },
    { type: 'deny', actions: ['disclose'], purposes: ['HRESCH'] },
  ],
  status: 'inactive',
  recorded: '2026-01-02T10:00:00.000Z',
  revokedAt: '2026-03-01T09:30:00.000Z',
  updatedBy: stamp('2026-03-01T09:30:00.000Z', 'Hospital1MSP', 'patient'),
};

export const MINIMAL_CONSENT: LedgerConsent = {
  consentId: 'cns_with:colon',
  patientRef: 'pt-0c5f1a9e',
  grantee: { org: 'Hospital2MSP' },
  period: { start: '2026-01-01' },
  provisions: [{ type: 'permit', actions: ['access'], purposes: ['TREAT'] }],
  status: 'active',
  recorded: '2026-01-02T10:00:00.000Z',
  updatedBy: stamp('2026-01-02T10:00:00.000Z', 'Hospital1MSP', 'patient'),
};

export const DISCLOSURE: LedgerDisclosure = {
  disclosureId: TX,
  recorded: '2026-02-03T11:12:13.000Z',
  action: 'access',
  outcome: 'granted',
  basis: 'consent',
  purpose: 'TREAT',
  agent: { actor: 'act-5d2c9e0f1a2b3c4d', org: 'Hospital2MSP', role: 'clinician', practitionerId: 'prac-h2-0001' },
  entity: { recordId: 'rec-001', patientRef: 'pt-0c5f1a9e', custodian: 'Hospital1MSP', category: 'lab-result' },
  consentId: 'cns-001',
  emergencyId: 'em-001',
  emergency: true,
  expiresAt: '2026-02-03T12:12:13.000Z',
  updatedBy: stamp('2026-02-03T11:12:13.000Z', 'Hospital2MSP'),
};

export const DENIED_DISCLOSURE: LedgerDisclosure = {
  disclosureId: TX.replace(/^a/, 'b'),
  recorded: '2026-02-03T11:12:13.000Z',
  action: 'access',
  outcome: 'denied',
  reason: 'no-consent',
  purpose: 'HPAYMT',
  agent: { actor: 'act-5d2c9e0f1a2b3c4d', org: 'Hospital2MSP', role: 'clinician' },
  entity: { recordId: 'rec-001', patientRef: 'pt-0c5f1a9e', custodian: 'Hospital1MSP', category: 'lab-result' },
  emergency: false,
  updatedBy: stamp('2026-02-03T11:12:13.000Z', 'Hospital2MSP'),
};

export const COVERAGE: LedgerCoverage = {
  coverageId: 'cov-001',
  patientRef: 'pt-0c5f1a9e',
  planId: 'gold-2026',
  period: { start: '2026-01-01', end: '2026-12-31' },
  status: 'active',
  currency: 'USD',
  deductible: 50000,
  copay: 2500,
  coinsuranceBps: 2000,
  outOfPocketMax: 600000,
  autoAdjudicationLimit: 5_000_000_000_000,
  benefits: [
    { system: 'CPT', code: '99213', copay: 1500, quantityLimitPerYear: 12 },
    { system: 'NDC', code: '00093505601', coinsuranceBps: 1000, manualReview: true },
  ],
  payer: 'InsurerMSP',
  updatedBy: stamp('2026-01-01T00:00:00.000Z', 'InsurerMSP', 'adjudicator'),
};

export const CLAIM: LedgerClaim = {
  claimId: 'clm-001',
  patientRef: 'pt-0c5f1a9e',
  provider: 'Hospital1MSP',
  payer: 'InsurerMSP',
  coverageId: 'cov-001',
  serviceDate: '2026-02-10',
  currency: 'USD',
  items: [
    { sequence: 1, system: 'CPT', code: '99213', modifiers: ['25'], quantity: 1, unitPrice: 15000, net: 15000 },
    { sequence: 2, system: 'NDC', code: '00093505601', quantity: 30, unitPrice: 123, net: 3690, sgtin: { gtin: '00300930556018', serial: 'SN123' } },
  ],
  total: 18690,
  detailHash: 'f'.repeat(64),
  status: 'partial',
  possibleDuplicateOf: 'clm-000',
  submittedAt: '2026-02-10T15:00:00.000Z',
  updatedBy: stamp('2026-02-11T09:00:00.000Z', 'InsurerMSP', 'adjudicator'),
};

const LINE_1 = { sequence: 1, eligibleQuantity: 1, submitted: 15000, eligible: 15000, copay: 2500, deductible: 0, coinsurance: 2500, benefit: 10000, patientResponsibility: 5000, reasons: [] };
const LINE_2 = { sequence: 2, eligibleQuantity: 20, submitted: 3690, eligible: 2460, copay: 0, deductible: 0, coinsurance: 246, benefit: 2214, patientResponsibility: 1476, reasons: ['LIMIT_EXCEEDED' as const] };

export const CLAIM_RESPONSE: LedgerClaimResponse = {
  claimId: 'clm-001',
  patientRef: 'pt-0c5f1a9e',
  provider: 'Hospital1MSP',
  payer: 'InsurerMSP',
  currency: 'USD',
  submittedAt: '2026-02-10T15:00:00.000Z',
  adjudication: {
    claimId: 'clm-001',
    payer: 'InsurerMSP',
    pendReasons: ['manual-review-code'],
    current: {
      round: 2,
      mode: 'manual',
      outcome: 'partial',
      reasons: ['LIMIT_EXCEEDED'],
      items: [LINE_1, LINE_2],
      totals: { submitted: 18690, eligible: 17460, copay: 2500, deductible: 0, coinsurance: 2746, benefit: 12214, patientResponsibility: 6476 },
      at: '2026-02-11T09:00:00.000Z',
    },
    payment: { amount: 12214, currency: 'USD', reference: 'EFT-2026-0001', at: '2026-02-12T08:00:00.000Z' },
    updatedBy: stamp('2026-02-12T08:00:00.000Z', 'InsurerMSP', 'adjudicator'),
  },
  appeal: {
    claimId: 'clm-001',
    provider: 'Hospital1MSP',
    appeals: [{ reason: 'CODING_CORRECTED', afterRound: 1, at: '2026-02-10T18:00:00.000Z' }],
    updatedBy: stamp('2026-02-10T18:00:00.000Z', 'Hospital1MSP', 'billing'),
  },
};

export const PENDED_RESPONSE: LedgerClaimResponse = {
  ...CLAIM_RESPONSE,
  currency: 'JPY',
  adjudication: { claimId: 'clm-001', payer: 'InsurerMSP', pendReasons: [], updatedBy: stamp('2026-02-10T15:00:00.000Z', 'Hospital1MSP', 'billing') },
  appeal: { claimId: 'clm-001', provider: 'Hospital1MSP', appeals: [], updatedBy: stamp('2026-02-10T15:00:00.000Z', 'Hospital1MSP', 'billing') },
};

export const RECORD: LedgerRecordMetadata = {
  recordId: 'rec-001',
  patientRef: 'pt-0c5f1a9e',
  custodian: 'Hospital1MSP',
  category: 'lab-result',
  version: 2,
  contentHash: 'c'.repeat(64),
  previousHash: 'b'.repeat(64),
  contentType: 'application/pdf',
  created: '2026-01-05T10:00:00.000Z',
  updated: '2026-01-06T10:00:00.000Z',
  erased: true,
  erasedAt: '2026-04-01T00:00:00.000Z',
  erasureReason: 'patient-request',
  updatedBy: stamp('2026-04-01T00:00:00.000Z'),
};

export const VERSIONS: LedgerRecordVersion[] = [
  { version: 1, contentHash: 'b'.repeat(64), previousHash: null, at: '2026-01-05T10:00:00.000Z', author: stamp('2026-01-05T10:00:00.000Z') },
  { version: 2, contentHash: 'c'.repeat(64), previousHash: 'b'.repeat(64), at: '2026-01-06T10:00:00.000Z', author: stamp('2026-01-06T10:00:00.000Z', 'Hospital1MSP', 'clinician') },
];

const HASH = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

/** A closed trial: protocol amended once, outcomes before enrolment, results before unblinding. */
export const TRIAL: Trial = {
  trialId: 'trial-1',
  registryId: 'NCT01234567',
  sponsor: 'Hospital1MSP',
  sites: ['Hospital1MSP', 'Hospital2MSP'],
  status: 'closed',
  registered: '2026-01-05T09:00:00.000Z',
  documents: [
    { kind: 'protocol', version: 1, hash: HASH, anchoredAt: '2026-01-05T09:00:00.000Z', effectiveFrom: '2026-01-05T09:00:00.000Z', anchoredBy: stamp('2026-01-05T09:00:00.000Z', 'Hospital1MSP', 'researcher') },
    { kind: 'protocol', version: 2, hash: HASH.replace('9f', 'a0'), anchoredAt: '2026-02-01T09:00:00.000Z', effectiveFrom: '2026-03-01T00:00:00.000Z', anchoredBy: stamp('2026-02-01T09:00:00.000Z', 'Hospital1MSP', 'researcher') },
    { kind: 'results', version: 1, hash: HASH.replace('9f', 'b1'), anchoredAt: '2026-09-01T09:00:00.000Z', effectiveFrom: '2026-09-01T09:00:00.000Z', anchoredBy: stamp('2026-09-01T09:00:00.000Z', 'Hospital1MSP', 'researcher') },
  ],
  unblindedAt: '2026-09-02T09:00:00.000Z',
  closedAt: '2026-10-01T09:00:00.000Z',
  updatedBy: stamp('2026-10-01T09:00:00.000Z', 'Hospital1MSP', 'researcher'),
};

/** A withdrawn subject of {@link TRIAL}. */
export const SUBJECT: Subject = {
  trialId: 'trial-1',
  subjectId: 'subj-001',
  patientRef: 'pt-0c5f1a9e',
  site: 'Hospital2MSP',
  consentId: 'cns-trial-1',
  status: 'withdrawn',
  enrolledAt: '2026-03-02T10:00:00.000Z',
  withdrawnAt: '2026-05-02T10:00:00.000Z',
  updatedBy: stamp('2026-05-02T10:00:00.000Z', 'Hospital1MSP', 'patient'),
};

/** A research-scope consent, tied to {@link TRIAL}. */
export const TRIAL_CONSENT: LedgerConsent = {
  consentId: 'cns-trial-1',
  patientRef: 'pt-0c5f1a9e',
  grantee: { org: 'Hospital1MSP', role: 'researcher' },
  period: { start: '2026-03-01' },
  provisions: [{ type: 'permit', actions: ['access'], purposes: ['HRESCH'], categories: ['lab-result'] }],
  trialId: 'trial-1',
  status: 'active',
  recorded: '2026-03-01T10:00:00.000Z',
  updatedBy: stamp('2026-03-01T10:00:00.000Z', 'Hospital1MSP', 'patient'),
};

