/**
 * Whole request bodies for the operations whose body, composed from its fields' examples, would
 * not be a request a client should send (both of two alternatives, an optional field that only
 * fits another case, a hash the gateway computes itself). Keyed by operationId; the OpenAPI test
 * validates each against the operation's body schema.
 */
import { CONTENT_EXAMPLES } from '../routes/contracts/content';

/**
 * A body's examples, one per media type, for a body that several media types carry in different
 * forms (an upload: JSON as JSON, text as text, a document as the text form of its bytes).
 */
export class MediaExamples {
  constructor(readonly byType: Readonly<Record<string, unknown>>) {}
}

/** An upload's body: the content's bytes under their media type, one example per type. */
const UPLOAD = new MediaExamples(CONTENT_EXAMPLES);
/** A trial protocol's exact text: the hash `research_registerTrial` anchors is its SHA-256. */
const TRIAL_PROTOCOL = 'Protocol trial-1, version 1: randomised, double-blind, placebo-controlled study of drug X in type 2 diabetes. Primary outcome: change in HbA1c at 26 weeks.';
const PACK = { gtin: '09506000134352', serial: 'P0001' };
const OBSERVATION = { resourceType: 'Observation', code: { text: 'HbA1c' }, valueQuantity: { value: 7.1, unit: '%' } };

export const REQUEST_EXAMPLES: Readonly<Record<string, unknown>> = {
  research_registerTrial: {
    trialId: 'trial-1',
    registryId: 'NCT01234567',
    sites: ['Hospital1MSP', 'Hospital2MSP'],
    protocolHash: '7be39758f5bfd129a3ea65dfe8017b5b82a75c3d4b71e62f897bfa795e391ef7',
    analysisPlanHash: 'd59a02bf069e7b24f0e57a3ecc6bf60a5238eaf28e06228abb62123826063f4b',
  },
  research_anchorDocument: { kind: 'outcomes', hash: 'a222c92b2621e00b45e568291b61bd6714099b1a756185002fbaa847f5704c33', effectiveFrom: '2026-12-06T00:00:00Z' },
  research_depositDocument: { kind: 'protocol', version: 1, document: TRIAL_PROTOCOL },
  research_verifyDocument: { kind: 'protocol', document: TRIAL_PROTOCOL },
  records_uploadRecord: UPLOAD,
  records_uploadVersion: UPLOAD,
  records_verifyUpload: UPLOAD,
  records_createRecord: { recordId: 'rec-1', patientRef: 'pt-0c5f1a9e', category: 'lab-result', content: OBSERVATION },
  records_amendRecord: { expectedVersion: 1, content: { ...OBSERVATION, valueQuantity: { value: 6.8, unit: '%' } } },
  records_requestAccess: { purpose: 'TREAT' },
  consent_checkAccess: { purpose: 'TREAT' },
  records_verifyContent: { version: 1, content: OBSERVATION },
  emergency_openEmergency: {
    emergencyId: 'em-1',
    patientRef: 'pt-8e41d3b2',
    reasonCode: 'unconscious',
    durationMinutes: 60,
    justification: 'Unconscious on arrival; allergy history needed',
  },
  coverage_register: {
    coverageId: 'cov-1',
    patientRef: 'pt-0c5f1a9e',
    planId: 'gold-2026',
    period: { start: '2026-01-01', end: '2026-12-31' },
    currency: 'USD',
    deductible: 50000,
    copay: 2000,
    coinsuranceBps: 2000,
    outOfPocketMax: 500000,
    autoAdjudicationLimit: 100000,
    benefits: [
      { system: 'CPT', code: '99213' },
      { system: 'CPT', code: '99214', manualReview: true },
      { system: 'NDC', code: '00002143380', copay: 1000, quantityLimitPerYear: 12 },
    ],
  },
  claims_submit: {
    claimId: 'clm-1',
    patientRef: 'pt-0c5f1a9e',
    payer: 'InsurerMSP',
    coverageId: 'cov-1',
    serviceDate: '2026-12-01',
    currency: 'USD',
    items: [
      { system: 'CPT', code: '99213', modifiers: ['25'], quantity: 1, unitPrice: 12000 },
      { system: 'NDC', code: '00002143380', quantity: 1, unitPrice: 5000, sgtin: PACK },
    ],
    total: 17000,
    detail: {
      nonce: 'q3v9Rk2xY7bN1mT5wZ8cL0pH4sD6fJ2a',
      diagnoses: [{ sequence: 1, code: 'E11.9' }],
      procedures: [{ sequence: 1, system: 'CPT', code: '99213', itemSequences: [1] }],
    },
  },
  claims_adjudicate: { decision: 'partial', items: [{ sequence: 2, eligibleQuantity: 0, reasons: ['PRIOR_AUTH_REQUIRED'] }] },
  trace_commission: { gtin: '09506000134352', lot: 'L2026A', expiry: '2030-06-30', serials: ['P0001', 'P0002', 'P0003'] },
  trace_commissionBulk: { gtin: '09506000134352', lot: 'L2026A', expiry: '2030-06-30', range: { prefix: 'P', start: 1, count: 500, width: 4 } },
  trace_aggregate: { sscc: '106141411234567897', companyPrefixLength: 7, packs: [PACK, { ...PACK, serial: 'P0002' }] },
  trace_disaggregate: {},
  trace_ship: {
    shipmentId: 'shp-1',
    to: 'DistributorMSP',
    containers: ['106141411234567897'],
    packs: [{ ...PACK, serial: 'P0003' }],
    transactionDate: '2026-12-05',
    transactionStatement: { attested: true },
  },
  trace_receive: { containers: ['106141411234567897'], packs: [{ ...PACK, serial: 'P0003' }] },
  trace_dispense: {},
  trace_undoDispense: {},
  trace_destroy: { packs: [PACK], reason: 'damaged' },
  trace_verify: { barcode: '(01)09506000134352(21)P0001(10)L2026A(17)300630' },
  trace_recallLot: { gtin: '09506000134352', lot: 'L2026A', reason: 'contamination' },
  trace_quarantine: { packs: [PACK], reason: 'suspect_counterfeit' },
  trace_clearQuarantine: { reason: 'verified_legitimate' },
  trace_confirmIllegitimate: { reason: 'counterfeit' },
  trace_recordSensorReport: { containers: ['106141411234567897'], readings: [{ type: 'Temperature', value: 5.2, uom: 'CEL', time: '2026-12-05T10:15:00Z' }] },
  trace_recordObservation: { packs: [PACK], bizStep: 'inspecting', action: 'OBSERVE', readPoint: 'urn:epc:id:sgln:0614141.00777.0' },
};
