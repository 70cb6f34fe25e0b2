/**
 * The state the authorization matrix runs against, set up once through the API: a record (and
 * one to erase), a consent to Hospital 2, a delegate, emergencies to review, a coverage, claims in
 * each status a claim route needs, a product with packs in every place a trace route needs them,
 * and a webhook. Every object a route changes for good (erase, revoke, review, pay, dispense…) has
 * its own copy, so the order of the matrix rows cannot change another row's answer.
 */
import { gs1CheckDigit } from '@healthledger/contract-api';
import type { client, Json } from './http';
import { uid } from './http';

type Api = ReturnType<typeof client>;

/** A demo user as the matrix sees it. */
export interface Caller {
  name: string;
  role: string;
  mspId: string;
}

export const PATIENT1 = 'pt-0c5f1a9e';
/** guardian1's own patient id: registered as patient1's delegate by the fixture. */
export const GUARDIAN1 = 'pt-5d2b7c40';
export const GTIN = '09506000134352';
export const LOT = 'L1';
export const RECALL_LOT = 'LR';
export const COVERAGE = 'cov-m';

/** A GTIN-14 with a valid check digit, different on every call (products are registered per call). */
export function freshGtin(): string {
  const body = `0950600${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
  return body + String(gs1CheckDigit(body));
}

let ssccCounter = Math.floor(Math.random() * 1e6);
/** A fresh SSCC-18 under the manufacturer's company prefix. */
export function freshSscc(): string {
  const body = `00614141${String(ssccCounter++).padStart(9, '0')}`;
  return body + String(gs1CheckDigit(body));
}

/** The manufacturer's container holding M2 (disaggregated by the matrix). */
export const CONTAINER = freshSscc();

export const pack = (serial: string) => ({ gtin: GTIN, serial });
export const statement = { attested: true as const };

export const coverageTerms = {
  planId: 'p', period: { start: '2020-01-01', end: '2099-12-31' }, currency: 'USD', deductible: 0, copay: 0, coinsuranceBps: 0,
  outOfPocketMax: 1000, benefits: [{ system: 'CPT', code: '99213' }, { system: 'CPT', code: '99214', manualReview: true }],
};

/** A claim body for billing at `serviceDate` (claims with the same fingerprint are duplicates). */
export function claimBody(claimId: string, serviceDate: string, code = '99213') {
  return {
    claimId, patientRef: PATIENT1, payer: 'InsurerMSP', coverageId: COVERAGE, serviceDate, currency: 'USD',
    items: [{ system: 'CPT', code, quantity: 1, unitPrice: 100 }], total: 100,
    detail: { nonce: 'n0nce-0123456789abcdefghij', diagnoses: [{ sequence: 1, code: 'J45.909' }] },
  };
}

/** A consent that changes no TREAT decision in the matrix (research purpose, to the distributor). */
export function harmlessConsent(consentId: string) {
  return {
    consentId, patientRef: PATIENT1, grantee: { org: 'DistributorMSP' }, period: { start: '2020-01-01' },
    provisions: [{ type: 'permit', actions: ['access'], purposes: ['HRESCH'] }],
  };
}

export interface Fixture {
  recordId: string;
  /** Erased by the matrix (records-admin of the custodian). */
  erasableRecordId: string;
  /** Permits Hospital 2's workforce to access patient1's records for treatment. */
  consentId: string;
  /** Revoked by the matrix, one per caller allowed to revoke. */
  revocableConsent: Record<'patient1' | 'guardian1', string>;
  /** A delegate of patient1 that the matrix removes. */
  removableDelegate: string;
  /** Unreviewed emergencies opened by clinician1, one per caller allowed to review; `read` is left open. */
  emergency: Record<'auditor1' | 'recordsadmin1' | 'auditor3' | 'read', string>;
  /** Approved (read-only in the matrix), approved (paid by the matrix), pended (adjudicated), denied (appealed). */
  claim: Record<'approved' | 'payable' | 'pended' | 'denied', string>;
  payableBenefit: number;
  /** Manufacturer → distributor, shipped and not yet received. */
  shipmentId: string;
  /** A transaction id for the ledger lookup. */
  txId: string;
  /** clinician1's granted access to a record of patient1's at Hospital 1 (not `recordId`). */
  disclosureId: string;
  /** clinician1's webhook. */
  webhookId: string;
}

async function ok(reply: Promise<{ status: number; body: Json; headers: Headers }>, status: number, what: string) {
  const res = await reply;
  if (res.status !== status) throw new Error(`fixture ${what}: ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/**
 * Serials of lot L1, by what the matrix does with them: M1 read only; M2 inside the container;
 * M3 in the pending shipment; M4 at Hospital 1 (dispensed by the matrix); M5 dispensed at
 * Hospital 1 (undone by the matrix); M13 dispensed at Hospital 1 (the refused undos try it);
 * M6/M7 quarantined (cleared / confirmed illegitimate); M8 aggregated, M9 shipped, M10
 * destroyed, M11 quarantined, M12 sensor-read by the matrix.
 */
export const SERIALS = Array.from({ length: 13 }, (_, i) => `M${i + 1}`);

export async function setUpFixture(api: Api): Promise<Fixture> {
  const recordId = uid('rec');
  const erasableRecordId = uid('rec-erase');
  const created = await ok(api.post('clinician1', '/records', { recordId, patientRef: PATIENT1, category: 'clinical-note', content: { note: 'x' } }), 201, 'record');
  await ok(api.post('clinician1', '/records', { recordId: erasableRecordId, patientRef: PATIENT1, category: 'other', content: { note: 'y' } }), 201, 'erasable record');
  // Its own record, so the rows that read `recordId` before any access request stay so.
  const disclosedRecordId = uid('rec-disclosed');
  await ok(api.post('clinician1', '/records', { recordId: disclosedRecordId, patientRef: PATIENT1, category: 'other', content: { note: 'z' } }), 201, 'disclosed record');
  const disclosure = await ok(api.post('clinician1', `/records/${disclosedRecordId}/access`, { purpose: 'TREAT' }), 201, 'disclosure');

  const consentId = uid('cns');
  await ok(
    api.post('patient1', '/consents', {
      consentId, patientRef: PATIENT1, grantee: { org: 'Hospital2MSP' }, period: { start: '2020-01-01' },
      provisions: [{ type: 'permit', actions: ['access'], purposes: ['TREAT'] }],
    }),
    201,
    'consent',
  );
  const revocableConsent = { patient1: uid('cns-p1'), guardian1: uid('cns-g1') };
  for (const id of Object.values(revocableConsent)) await ok(api.post('patient1', '/consents', harmlessConsent(id)), 201, 'revocable consent');
  await ok(api.post('patient1', `/patients/${PATIENT1}/delegates`, { delegateId: GUARDIAN1 }), 201, 'delegate');
  const removableDelegate = uid('pt-removable');
  await ok(api.post('patient1', `/patients/${PATIENT1}/delegates`, { delegateId: removableDelegate }), 201, 'removable delegate');

  const emergency = { auditor1: uid('em-a1'), recordsadmin1: uid('em-ra1'), auditor3: uid('em-a3'), read: uid('em-read') };
  for (const emergencyId of Object.values(emergency)) {
    await ok(api.post('clinician1', '/emergencies', { emergencyId, patientRef: PATIENT1, reasonCode: 'other', durationMinutes: 5 }), 201, 'emergency');
  }

  await ok(api.post('adjudicator1', '/coverages', { coverageId: COVERAGE, patientRef: PATIENT1, ...coverageTerms }), 201, 'coverage');
  const claim = { approved: uid('cl-ok'), payable: uid('cl-pay'), pended: uid('cl-pend'), denied: uid('cl-deny') };
  await ok(api.post('billing1', '/claims', claimBody(claim.approved, '2026-01-05')), 201, 'approved claim');
  const payable = await ok(api.post('billing1', '/claims', claimBody(claim.payable, '2026-01-06')), 201, 'payable claim');
  await ok(api.post('billing1', '/claims', claimBody(claim.pended, '2026-01-07', '99214')), 201, 'pended claim');
  await ok(api.post('billing1', '/claims', claimBody(claim.denied, '2026-01-08', '99214')), 201, 'claim to deny');
  await ok(api.post('adjudicator1', `/claims/${claim.denied}/adjudication`, { decision: 'deny', reasons: ['INFO_MISSING'] }), 200, 'denial');
  const payableBenefit = (payable.body as { adjudication: { current: { totals: { benefit: number } } } }).adjudication.current.totals.benefit;

  const shipmentId = await setUpSupply(api);
  const hook = await ok(api.post('clinician1', '/webhooks', { url: 'http://127.0.0.1:9/hook', types: ['no-such-change'] }), 201, 'webhook');
  return {
    recordId, erasableRecordId, consentId, revocableConsent, removableDelegate, emergency, claim, payableBenefit, shipmentId,
    txId: created.headers.get('x-transaction-id') ?? '', webhookId: (hook.body as { id: string }).id,
    disclosureId: (disclosure.body as { disclosureId: string }).disclosureId,
  };
}

/** Product, lots, a container, a pending shipment, stock at Hospital 1 and quarantined packs. */
async function setUpSupply(api: Api): Promise<string> {
  await ok(
    api.post('manufacturer1', '/products', {
      gtin: GTIN, companyPrefixLength: 7, name: 'Insulin glargine pen', strength: '100 U/mL', dosageForm: 'solution for injection', packSize: 5,
      storage: { minCelsius: 2, maxCelsius: 8 },
    }),
    201,
    'product',
  );
  await ok(api.post('manufacturer1', '/packs/commission', { gtin: GTIN, lot: LOT, expiry: '2030-06-30', serials: SERIALS }), 201, 'packs');
  await ok(api.post('manufacturer1', '/packs/commission', { gtin: GTIN, lot: RECALL_LOT, expiry: '2030-06-30', serials: ['R1'] }), 201, 'recall lot');
  await ok(api.post('manufacturer1', '/containers', { sscc: CONTAINER, packs: [pack('M2')] }), 201, 'container');
  const shipmentId = uid('ship');
  await ok(
    api.post('manufacturer1', '/shipments', { shipmentId, to: 'DistributorMSP', packs: [pack('M3')], transactionDate: '2026-03-01', transactionStatement: statement }),
    201,
    'pending shipment',
  );
  const toHospital = uid('ship-h1');
  await ok(
    api.post('manufacturer1', '/shipments', { shipmentId: toHospital, to: 'Hospital1MSP', packs: [pack('M4'), pack('M5'), pack('M13')], transactionDate: '2026-03-01', transactionStatement: statement }),
    201,
    'shipment to hospital 1',
  );
  await ok(api.post('pharmacist1', `/shipments/${toHospital}/receipt`, { packs: [pack('M4'), pack('M5'), pack('M13')] }), 200, 'receipt at hospital 1');
  for (const serial of ['M5', 'M13']) await ok(api.post('pharmacist1', `/packs/${GTIN}/${serial}/dispense`, {}), 200, 'dispensed pack');
  await ok(api.post('manufacturer1', '/quarantines', { packs: [pack('M6'), pack('M7')], reason: 'suspect_counterfeit' }), 201, 'quarantine');
  return shipmentId;
}

/** The research fixture: trials sponsored by Hospital 1 (sites: both hospitals), patient1 consenting and enrolled at Hospital 2. */
export interface ResearchFixture {
  /** Active, outcomes anchored, patient1 enrolled as `subjectId`. */
  trialId: string;
  consentId: string;
  subjectId: string;
  /** Results anchored, to unblind. */
  toUnblind: string;
  toClose: string;
}

export const TRIAL_DOCUMENT = 'Protocol of the matrix trial';
/** SHA-256 of {@link TRIAL_DOCUMENT}. */
export const TRIAL_DOCUMENT_HASH = 'e85e6c72cd23c4ef80e39f620cb57257c1f44fa2f214b4d2cd7a1713ce60bd00';

/** Registers a trial as researcher1. */
async function registerTrial(api: Api, trialId: string, protocolHash: string): Promise<void> {
  await ok(api.post('researcher1', '/trials', { trialId, registryId: 'NCT01234567', sites: ['Hospital1MSP', 'Hospital2MSP'], protocolHash, analysisPlanHash: protocolHash }), 201, 'trial');
}

/** patient1's research consent to a trial of Hospital 1 (every category, for HRESCH). */
export function researchConsent(trialId: string) {
  return { trialId, patientRef: PATIENT1, grantee: { org: 'Hospital1MSP' }, period: { start: '2020-01-01' }, provisions: [{ type: 'permit', actions: ['access'], purposes: ['HRESCH'] }] };
}

export async function setUpResearch(api: Api, protocolHash = TRIAL_DOCUMENT_HASH): Promise<ResearchFixture> {
  const [trialId, toUnblind, toClose, consentId, subjectId] = [uid('trial'), uid('trial'), uid('trial'), uid('cns'), uid('subj')];
  for (const id of [trialId, toUnblind, toClose]) await registerTrial(api, id, protocolHash);
  await ok(api.post('researcher1', `/trials/${trialId}/documents`, { kind: 'outcomes', hash: protocolHash }), 201, 'outcomes');
  await ok(api.post('researcher1', `/trials/${toUnblind}/documents`, { kind: 'results', hash: protocolHash }), 201, 'results');
  await ok(api.post('patient1', '/consents', { ...researchConsent(trialId), consentId }), 201, 'trial consent');
  await ok(api.post('clinician2', `/trials/${trialId}/subjects`, { subjectId, patientRef: PATIENT1, consentId }), 201, 'subject');
  return { trialId, consentId, subjectId, toUnblind, toClose };
}
