/**
 * The authorization matrix: every route × every demo user (every role, own and foreign
 * organisation) → the status code, through HTTP on one devnet. Each row restates the callers the
 * contract's TSDoc (or, for ledger and event routes, the gateway) names, and what an allowed
 * call returns on the fixture state; the chaincode decides, the gateway only maps its answer.
 * Refused submits fail at endorsement (no commit), so only allowed writes cost a block.
 */
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { signers } from '@hyperledger/fabric-gateway';
import { sgtinUrn } from '@healthledger/contract-api';
import {
  CONTAINER, COVERAGE, GTIN, GUARDIAN1, LOT, PATIENT1, RECALL_LOT, claimBody, coverageTerms, freshGtin, freshSscc, harmlessConsent, pack,
  researchConsent, setUpFixture, setUpResearch, statement, TRIAL_DOCUMENT, type Caller, type Fixture, type ResearchFixture,
} from './authorization-fixtures';
import { streamedChanges, webhookReceiver } from './event-clients';
import { fhirClaim, fhirConsent } from './fhir-resources';
import { client, uid } from './http';
import { startE2e, type E2eNetwork } from './network';

let net: E2eNetwork;
let api: ReturnType<typeof client>;
let fx: Fixture;
let rx: ResearchFixture;
let users: Caller[];
/** Each demo user's private key file (the offline-signing rows sign with the caller's own key). */
let keyFiles: Map<string, string>;

beforeAll(async () => {
  net = await startE2e('authz');
  api = client(net);
  users = net.devnet.descriptor.orgs.flatMap((o) => o.users.map((u) => ({ name: u.name, role: u.role, mspId: o.mspId })));
  keyFiles = new Map(net.devnet.descriptor.orgs.flatMap((o) => o.users.map((u) => [u.name, u.key] as const)));
  fx = await setUpFixture(api);
  rx = await setUpResearch(api);
}, 180_000);
afterAll(async () => net?.stop());

// --- who is who ------------------------------------------------------------------------------
const H1 = 'Hospital1MSP';
const H2 = 'Hospital2MSP';
const PROVIDERS = [H1, H2];
const named = (...names: string[]) => (u: Caller) => names.includes(u.name);
const hasRole = (...roles: string[]) => (u: Caller) => roles.includes(u.role);
const staffOf = (...orgs: string[]) => (u: Caller) => u.role !== 'patient' && orgs.includes(u.mspId);
const any = (...preds: ((u: Caller) => boolean)[]) => (u: Caller) => preds.some((p) => p(u));
/** patient1 and guardian1, registered as patient1's delegate by the fixture. */
const patient1OrDelegate = named('patient1', 'guardian1');
const auditor = hasRole('auditor');
/** requireRecordReader: auditors, clinicians and records-admins of providers, the patient and delegates. */
const recordReader = any(auditor, (u) => ['clinician', 'records-admin'].includes(u.role) && PROVIDERS.includes(u.mspId), patient1OrDelegate);
/**
 * decideAccess for purpose TREAT on Hospital 1's record: the patient and delegates; the
 * custodian's clinicians and records-admins; Hospital 2's workforce (any non-patient role) through
 * the fixture consent.
 */
const treatGranted = any(patient1OrDelegate, (u) => ['clinician', 'records-admin'].includes(u.role) && u.mspId === H1, staffOf(H2));
const providerBilling = (u: Caller) => u.role === 'billing' && PROVIDERS.includes(u.mspId);
const payerAdjudicator = named('adjudicator1');
/** One of patient1's disclosures at Hospital 1: the patient and delegates, auditors, Hospital 1's records-admins. */
const disclosureReader = any(patient1OrDelegate, auditor, (u) => u.role === 'records-admin' && u.mspId === H1);

/** A route, how each user calls it, and the status the documented rule gives. */
interface Row {
  /** `METHOD url` exactly as the gateway registers it. */
  route: string;
  /** Which fixture object the row targets, when the rule depends on it. */
  note?: string;
  call: (u: Caller) => Promise<number>;
  expect: (u: Caller) => number;
}
const status = async (reply: Promise<{ status: number }>) => (await reply).status;
/** `ok` when `allowed(u)`, else `refused` (403 unless a rule gives another code). */
const when = (allowed: (u: Caller) => boolean, ok: number, refused = 403) => (u: Caller) => (allowed(u) ? ok : refused);
/** Routes every consortium member may call: every demo user belongs to a consortium organisation. */
const everyone = () => true;

/** The document uploads: the same gates as their JSON-body forms (the body here is text/plain). */
const RECORD_UPLOADS: Row[] = [
  {
    route: 'PUT /records/:recordId/content',
    call: (u) => status(api.call(u.name, 'PUT', `/records/${uid('rec')}/content?patientRef=${PATIENT1}&category=other`, 'a note', { 'content-type': 'text/plain' })),
    expect: when((u) => ['clinician', 'records-admin'].includes(u.role) && PROVIDERS.includes(u.mspId), 201),
  },
  {
    route: 'POST /records/:recordId/content', note: 'custodian Hospital 1',
    call: (u) => status(api.call(u.name, 'POST', `/records/${fx.recordId}/content`, `by ${u.name}`, { 'content-type': 'text/plain' })),
    expect: when((u) => ['clinician', 'records-admin'].includes(u.role) && u.mspId === H1, 201),
  },
  {
    route: 'POST /records/:recordId/content/verification',
    call: (u) => status(api.call(u.name, 'POST', `/records/${fx.recordId}/content/verification`, 'x', { 'content-type': 'text/plain' })),
    expect: when(recordReader, 200),
  },
];

const RECORDS: Row[] = [
  {
    route: 'POST /records',
    call: (u) => status(api.post(u.name, '/records', { recordId: uid('rec'), patientRef: PATIENT1, category: 'other', content: { x: 1 } })),
    expect: when((u) => ['clinician', 'records-admin'].includes(u.role) && PROVIDERS.includes(u.mspId), 201),
  },
  {
    route: 'POST /records/:recordId/versions', note: 'custodian Hospital 1',
    call: (u) => status(api.post(u.name, `/records/${fx.recordId}/versions`, { content: { note: `by ${u.name}` } })),
    expect: when((u) => ['clinician', 'records-admin'].includes(u.role) && u.mspId === H1, 201),
  },
  { route: 'GET /records/:recordId', call: (u) => status(api.get(u.name, `/records/${fx.recordId}`)), expect: when(recordReader, 200) },
  { route: 'GET /patients/:patientRef/records', call: (u) => status(api.get(u.name, `/patients/${PATIENT1}/records`)), expect: when(recordReader, 200) },
  {
    route: 'POST /records/:recordId/verification',
    call: (u) => status(api.post(u.name, `/records/${fx.recordId}/verification`, { content: { note: 'x' } })),
    expect: when(recordReader, 200),
  },
  { route: 'GET /records/:recordId/content', note: 'before any access request', call: (u) => status(api.get(u.name, `/records/${fx.recordId}/content`)), expect: () => 403 },
  // Any identity may ask; a denial is a logged disclosure (outcome denied), not an error.
  { route: 'POST /records/:recordId/access', call: (u) => status(api.post(u.name, `/records/${fx.recordId}/access`, { purpose: 'TREAT' })), expect: () => 201 },
  {
    route: 'GET /records/:recordId/content', note: 'after the access request',
    call: (u) => status(api.get(u.name, `/records/${fx.recordId}/content`)),
    // Whoever was granted reads, also roles that may not list records (the gateway finds the
    // custodian through getRecord, which admits holders of an open grant).
    expect: when(treatGranted, 200),
  },
  {
    route: 'POST /records/:recordId/erasure',
    call: (u) => status(api.post(u.name, `/records/${fx.erasableRecordId}/erasure`, { reason: 'entered-in-error' })),
    expect: when((u) => u.role === 'records-admin' && u.mspId === H1, 200),
  },
];

const CONSENT: Row[] = [
  { route: 'POST /consents', call: (u) => status(api.post(u.name, '/consents', harmlessConsent(uid('cns')))), expect: when(patient1OrDelegate, 201) },
  {
    route: 'POST /consents/:consentId/revocation',
    call: (u) => status(api.post(u.name, `/consents/${u.name === 'guardian1' ? fx.revocableConsent.guardian1 : fx.revocableConsent.patient1}/revocation`)),
    expect: when(patient1OrDelegate, 200),
  },
  { route: 'GET /consents/:consentId', note: 'grantee Hospital 2', call: (u) => status(api.get(u.name, `/consents/${fx.consentId}`)), expect: when(any(patient1OrDelegate, auditor, staffOf(H2)), 200) },
  { route: 'GET /patients/:patientRef/consents', call: (u) => status(api.get(u.name, `/patients/${PATIENT1}/consents`)), expect: when(any(patient1OrDelegate, auditor), 200) },
  // Delegates are the patient's own choice: a delegate may not add or remove delegates.
  { route: 'POST /patients/:patientRef/delegates', call: (u) => status(api.post(u.name, `/patients/${PATIENT1}/delegates`, { delegateId: uid('pt-d') })), expect: when(named('patient1'), 201) },
  { route: 'DELETE /patients/:patientRef/delegates/:delegateId', call: (u) => status(api.del(u.name, `/patients/${PATIENT1}/delegates/${fx.removableDelegate}`)), expect: when(named('patient1'), 200) },
  { route: 'GET /patients/:patientRef/delegates', call: (u) => status(api.get(u.name, `/patients/${PATIENT1}/delegates`)), expect: when(any(patient1OrDelegate, auditor), 200) },
  { route: 'POST /records/:recordId/access-check', call: (u) => status(api.post(u.name, `/records/${fx.recordId}/access-check`, { purpose: 'TREAT' })), expect: () => 200 },
  {
    route: 'POST /emergencies',
    call: (u) => status(api.post(u.name, '/emergencies', { emergencyId: uid('em'), patientRef: PATIENT1, reasonCode: 'other', durationMinutes: 5 })),
    expect: when((u) => u.role === 'clinician' && PROVIDERS.includes(u.mspId), 201),
  },
  {
    route: 'POST /emergencies/:emergencyId/review', note: 'opened by Hospital 1',
    call: (u) => {
      const own = fx.emergency[u.name as 'auditor1' | 'recordsadmin1' | 'auditor3'] as string | undefined;
      return status(api.post(u.name, `/emergencies/${own ?? fx.emergency.auditor1}/review`, { outcome: 'justified' }));
    },
    expect: when(any(auditor, (u) => u.role === 'records-admin' && u.mspId === H1), 200),
  },
  // Every organisation's for auditors, their own organisation's for records-admins.
  { route: 'GET /emergencies/unreviewed', call: (u) => status(api.get(u.name, '/emergencies/unreviewed')), expect: when(hasRole('auditor', 'records-admin'), 200) },
  {
    route: 'GET /emergencies/:emergencyId', note: 'opened by Hospital 1',
    call: (u) => status(api.get(u.name, `/emergencies/${fx.emergency.read}`)),
    expect: when(any(auditor, staffOf(H1), patient1OrDelegate), 200),
  },
];

const CLAIMS: Row[] = [
  { route: 'POST /coverages', call: (u) => status(api.post(u.name, '/coverages', { coverageId: uid('cov'), patientRef: PATIENT1, ...coverageTerms })), expect: when(payerAdjudicator, 201) },
  { route: 'PUT /coverages/:coverageId', call: (u) => status(api.put(u.name, `/coverages/${COVERAGE}`, coverageTerms)), expect: when(payerAdjudicator, 200) },
  // The patient it covers (not a delegate: requireCoverageReader compares patient_id), providers' billing, auditors.
  { route: 'GET /coverages/:coverageId', call: (u) => status(api.get(u.name, `/coverages/${COVERAGE}`)), expect: when(any(payerAdjudicator, providerBilling, named('patient1'), auditor), 200) },
  // The same readers as one coverage (the patient checked against the ref asked, before anything is read).
  { route: 'GET /patients/:patientRef/coverages', call: (u) => status(api.get(u.name, `/patients/${PATIENT1}/coverages?status=active`)), expect: when(any(payerAdjudicator, providerBilling, named('patient1'), auditor), 200) },
  {
    route: 'POST /eligibility-checks',
    call: (u) =>
      status(api.post(u.name, '/eligibility-checks', { coverageId: COVERAGE, patientRef: PATIENT1, serviceDate: '2026-02-01', currency: 'USD', items: [{ system: 'CPT', code: '99213', quantity: 1, unitPrice: 100 }] })),
    expect: when(any(payerAdjudicator, providerBilling, named('patient1')), 200),
  },
  {
    route: 'POST /claims',
    // A service date per caller: the same patient, provider, date and codes would be a duplicate.
    call: (u) => status(api.post(u.name, '/claims', claimBody(uid('cl'), `2026-02-${String(users.indexOf(u) + 1).padStart(2, '0')}`))),
    expect: when(providerBilling, 201),
  },
  { route: 'POST /claims/:claimId/adjudication', note: 'pended', call: (u) => status(api.post(u.name, `/claims/${fx.claim.pended}/adjudication`, { decision: 'approve' })), expect: when(payerAdjudicator, 200) },
  {
    route: 'POST /claims/:claimId/payment', note: 'approved',
    call: (u) => status(api.post(u.name, `/claims/${fx.claim.payable}/payment`, { amount: fx.payableBenefit, currency: 'USD', reference: uid('eft') })),
    expect: when(payerAdjudicator, 200),
  },
  // Billing of the claim's provider (Hospital 1); Hospital 2's billing is refused.
  { route: 'POST /claims/:claimId/appeals', note: 'denied', call: (u) => status(api.post(u.name, `/claims/${fx.claim.denied}/appeals`, { reason: 'ADDITIONAL_INFORMATION' })), expect: when(named('billing1'), 201) },
  {
    route: 'GET /claims/:claimId', note: 'Hospital 1 → Insurer',
    call: (u) => status(api.get(u.name, `/claims/${fx.claim.approved}`)),
    expect: when(any(named('billing1'), payerAdjudicator, named('patient1'), (u) => u.role === 'auditor' && [H1, 'InsurerMSP'].includes(u.mspId)), 200),
  },
  { route: 'GET /claims/:claimId/detail', call: (u) => status(api.get(u.name, `/claims/${fx.claim.approved}/detail`)), expect: when(named('billing1', 'adjudicator1'), 200) },
  { route: 'GET /claims', note: 'status approved', call: (u) => status(api.get(u.name, '/claims?status=approved')), expect: when(any(providerBilling, payerAdjudicator), 200) },
];

const manufacturer = named('manufacturer1');
/** An EPCISDocument of one OBSERVE inspecting event on the manufacturer's pack M1. */
const inspectingDocument = () => ({
  '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'], type: 'EPCISDocument', schemaVersion: '2.0', creationDate: '2026-03-01T10:00:00Z',
  epcisBody: { eventList: [{ type: 'ObjectEvent', eventTime: '2026-03-01T10:00:00Z', eventTimeZoneOffset: '+00:00', action: 'OBSERVE', bizStep: 'inspecting', epcList: [sgtinUrn(GTIN, 'M1', 7)] }] },
});
let manufacturerJobId: Promise<string> | undefined;
/** The id of a capture job manufacturer1 started (once). */
const manufacturerJob = (): Promise<string> =>
  (manufacturerJobId ??= api.post('manufacturer1', '/epcis/capture', inspectingDocument()).then((r) => String((r.body as { captureID: unknown }).captureID)));
/** manufacturer1's capture job, once it has finished. */
async function finishedManufacturerJob(): Promise<string> {
  const id = await manufacturerJob();
  for (let polls = 0; polls < 600; polls++) {
    if (!['accepted', 'running'].includes((await api.get('manufacturer1', `/operations/${id}`)).body.status)) return id;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`capture job ${id} still running`);
}
const TRACE: Row[] = [
  {
    route: 'POST /products',
    call: (u) =>
      status(api.post(u.name, '/products', { gtin: freshGtin(), companyPrefixLength: 7, name: 'Pen', strength: '1', dosageForm: 'tablet', packSize: 1, storage: { minCelsius: 2, maxCelsius: 8 } })),
    expect: when(manufacturer, 201),
  },
  { route: 'GET /products/:gtin', call: (u) => status(api.get(u.name, `/products/${GTIN}`)), expect: when(everyone, 200) },
  { route: 'POST /packs/commission', call: (u) => status(api.post(u.name, '/packs/commission', { gtin: GTIN, lot: LOT, expiry: '2030-06-30', serials: [uid('C')] })), expect: when(manufacturer, 201) },
  {
    route: 'POST /packs/commission-bulk',
    call: (u) => status(api.post(u.name, '/packs/commission-bulk', { gtin: GTIN, lot: LOT, expiry: '2030-06-30', range: { prefix: uid('B'), start: 1, count: 2 } })),
    expect: when(manufacturer, 201),
  },
  // The asynchronous form checks the same gate before it accepts anything.
  {
    route: 'POST /packs/commission-bulk', note: 'Prefer: respond-async',
    call: (u) => status(api.post(u.name, '/packs/commission-bulk', { gtin: GTIN, lot: LOT, expiry: '2030-06-30', range: { prefix: uid('A'), start: 1, count: 2 } }, { prefer: 'respond-async' })),
    expect: when(manufacturer, 202),
  },
  // Trading roles of the owner (the manufacturer); other traders are not the owner (NOT_OWNER, 403).
  { route: 'POST /containers', call: (u) => status(api.post(u.name, '/containers', { sscc: freshSscc(), packs: [pack('M8')] })), expect: when(manufacturer, 201) },
  { route: 'POST /containers/:sscc/disaggregation', call: (u) => status(api.post(u.name, `/containers/${CONTAINER}/disaggregation`, {})), expect: when(manufacturer, 200) },
  {
    route: 'POST /shipments',
    // To a partner other than the caller (shipping to oneself is a 400 before any ownership check).
    call: (u) =>
      status(api.post(u.name, '/shipments', { shipmentId: uid('s'), to: u.mspId === 'DistributorMSP' ? H1 : 'DistributorMSP', packs: [pack('M9')], transactionDate: '2026-03-02', transactionStatement: statement })),
    expect: when(manufacturer, 201),
  },
  { route: 'POST /shipments/:shipmentId/receipt', note: 'to the distributor', call: (u) => status(api.post(u.name, `/shipments/${fx.shipmentId}/receipt`, { packs: [pack('M3')] })), expect: when(named('distributor1'), 200) },
  // Sender or consignee organisation, any role (no regulator in the consortium).
  { route: 'GET /shipments/:shipmentId', call: (u) => status(api.get(u.name, `/shipments/${fx.shipmentId}`)), expect: when((u) => ['ManufacturerMSP', 'DistributorMSP'].includes(u.mspId), 200) },
  { route: 'POST /packs/:gtin/:serial/dispense', note: 'owned by Hospital 1', call: (u) => status(api.post(u.name, `/packs/${GTIN}/M4/dispense`, {})), expect: when(named('pharmacist1'), 200) },
  // An undo returns the pack to stock, after which a foreign undo would be a 409: the others try M13.
  {
    route: 'POST /packs/:gtin/:serial/dispense-undo',
    note: 'dispensed by Hospital 1',
    call: (u) => status(api.post(u.name, `/packs/${GTIN}/${u.name === 'pharmacist1' ? 'M5' : 'M13'}/dispense-undo`, {})),
    expect: when(named('pharmacist1'), 200),
  },
  { route: 'POST /destructions', call: (u) => status(api.post(u.name, '/destructions', { packs: [pack('M10')], reason: 'damaged' })), expect: when(manufacturer, 201) },
  { route: 'POST /verifications', call: (u) => status(api.post(u.name, '/verifications', pack('M1'))), expect: when(everyone, 200) },
  { route: 'POST /recalls', call: (u) => status(api.post(u.name, '/recalls', { gtin: GTIN, lot: RECALL_LOT, reason: 'contamination' })), expect: when(manufacturer, 201) },
  { route: 'GET /products/:gtin/lots/:lot/holders', call: (u) => status(api.get(u.name, `/products/${GTIN}/lots/${LOT}/holders`)), expect: when(everyone, 200) },
  { route: 'POST /quarantines', call: (u) => status(api.post(u.name, '/quarantines', { packs: [pack('M11')], reason: 'suspect_counterfeit' })), expect: when(manufacturer, 201) },
  // The product's manufacturer, or an auditor of a regulator (none here: auditors are ORG_FORBIDDEN).
  { route: 'POST /packs/:gtin/:serial/quarantine-clearance', call: (u) => status(api.post(u.name, `/packs/${GTIN}/M6/quarantine-clearance`, {})), expect: when(manufacturer, 200) },
  { route: 'POST /packs/:gtin/:serial/illegitimate', call: (u) => status(api.post(u.name, `/packs/${GTIN}/M7/illegitimate`, {})), expect: when(manufacturer, 200) },
  {
    route: 'POST /sensor-reports',
    call: (u) => status(api.post(u.name, '/sensor-reports', { packs: [pack('M12')], readings: [{ type: 'Temperature', value: 5, uom: 'CEL', time: '2026-03-01T10:00:00Z' }] })),
    expect: when(manufacturer, 201),
  },
  // An EPCIS commissioning event needs what commissioning needs: the product's manufacturer.
  {
    route: 'POST /epcis/events',
    call: (u) =>
      status(api.post(u.name, '/epcis/events', {
        type: 'ObjectEvent', eventTime: '2026-02-28T10:00:00.000+01:00', eventTimeZoneOffset: '+01:00', action: 'ADD', bizStep: 'commissioning',
        epcList: [sgtinUrn(GTIN, uid('E'), 7)], ilmd: { 'cbvmda:lotNumber': LOT, 'cbvmda:itemExpirationDate': '2030-03-31' },
      })),
    expect: when(manufacturer, 201),
  },
  { route: 'GET /packs/:gtin/:serial/history', call: (u) => status(api.get(u.name, `/packs/${GTIN}/M1/history`)), expect: when(everyone, 200) },
  // An observation on a pack: a trading role of its holder (the manufacturer); others are ROLE_FORBIDDEN or NOT_OWNER.
  { route: 'POST /observations', call: (u) => status(api.post(u.name, '/observations', { packs: [pack('M1')], bizStep: 'inspecting', action: 'OBSERVE' })), expect: when(manufacturer, 201) },
  // A capture job is accepted from any trading role (each event is then decided by its operation's rule), refused to others.
  { route: 'POST /epcis/capture', call: (u) => status(api.post(u.name, '/epcis/capture', inspectingDocument())), expect: when(hasRole('manufacturer', 'distributor', 'dispenser'), 202) },
  // A capture job is its starter's only.
  {
    route: 'GET /epcis/capture/:captureID', note: "manufacturer1's job",
    call: async (u) => status(api.get(u.name, `/epcis/capture/${await manufacturerJob()}`)),
    expect: when(manufacturer, 200, 404),
  },
  // An operation (a capture job is one) is its starter's only: anyone else finds nothing.
  { route: 'GET /operations/:id', note: "manufacturer1's capture job", call: async (u) => status(api.get(u.name, `/operations/${await manufacturerJob()}`)), expect: when(manufacturer, 200, 404) },
  { route: 'GET /operations', call: (u) => status(api.get(u.name, '/operations')), expect: when(everyone, 200) },
  // Its starter may cancel it while it runs; finished, it is a 409.
  {
    route: 'DELETE /operations/:id', note: "manufacturer1's finished capture job",
    call: async (u) => status(api.del(u.name, `/operations/${await finishedManufacturerJob()}`)),
    expect: when(manufacturer, 409, 404),
  },
  { route: 'GET /epcis/events', call: (u) => status(api.get(u.name, `/epcis/events?MATCH_epc=${encodeURIComponent(sgtinUrn(GTIN, 'M1', 7))}`)), expect: when(everyone, 200) },
  // The owning organisation, any role (a regulator: any owner's).
  { route: 'GET /holdings', note: 'owner ManufacturerMSP', call: (u) => status(api.get(u.name, '/holdings?owner=ManufacturerMSP')), expect: when((u) => u.mspId === 'ManufacturerMSP', 200) },
  { route: 'GET /packs/:gtin/:serial', call: (u) => status(api.get(u.name, `/packs/${GTIN}/M1`)), expect: when(everyone, 200) },
];

/** Ledger routes (qscc, no contract): the gateway limits them to auditors and admins. */
const ledgerStaff = hasRole('auditor', 'admin');
/** Event routes: organisation systems, not patients (the stream spans every patient). */
const notPatient = (u: Caller) => u.role !== 'patient';
/**
 * Identity lifecycle: an organisation's admin, for its own organisation only. Names are scoped to
 * the caller's organisation, so another organisation's admin finds nothing (404).
 */
let h1Identity: Promise<string> | undefined;
/** An identity Hospital 1's admin registered (never enrolled). */
const registeredInH1 = (): Promise<string> => {
  h1Identity ??= api.post('admin1', '/identities', { name: uid('authz').toLowerCase(), role: 'clinician' }).then((r) => {
    if (r.status !== 201) throw new Error(`registering the fixture identity: ${r.status}`);
    return r.body.identity.name as string;
  });
  return h1Identity;
};
const ownOrgAdmin = (ok: number) => (u: Caller) => (u.role !== 'admin' ? 403 : u.mspId === H1 ? ok : 404);
const IDENTITIES: Row[] = [
  { route: 'POST /identities', call: (u) => status(api.post(u.name, '/identities', { name: uid('authz').toLowerCase(), role: 'clinician' })), expect: when(hasRole('admin'), 201) },
  { route: 'GET /identities', call: (u) => status(api.get(u.name, '/identities')), expect: when(hasRole('admin'), 200) },
  { route: 'GET /identities/:name', call: async (u) => status(api.get(u.name, `/identities/${await registeredInH1()}`)), expect: ownOrgAdmin(200) },
  // A wrong secret: Hospital 1's admin reaches the CA, which refuses it.
  { route: 'POST /identities/:name/enrollment', call: async (u) => status(api.post(u.name, `/identities/${await registeredInH1()}/enrollment`, { secret: 'wrong' })), expect: ownOrgAdmin(401) },
  // Not enrolled yet: nothing to re-enroll.
  { route: 'POST /identities/:name/reenrollment', call: async (u) => status(api.post(u.name, `/identities/${await registeredInH1()}/reenrollment`, {})), expect: ownOrgAdmin(409) },
  // Hospital 1's admin revokes an identity of its own made for the purpose (one config block).
  {
    route: 'POST /identities/:name/revocation',
    call: async (u) => {
      const name = u.name === 'admin1' ? ((await api.post('admin1', '/identities', { name: uid('authz').toLowerCase(), role: 'clinician' })).body.identity.name as string) : await registeredInH1();
      return status(api.post(u.name, `/identities/${name}/revocation`, { reason: 'unspecified' }));
    },
    expect: ownOrgAdmin(200),
  },
];

let recentTxId: Promise<string> | undefined;
/** A transaction committed (once) when the audit-package row starts, near the head of the ledger. */
const recentTransaction = (): Promise<string> =>
  (recentTxId ??= api.post('patient1', '/consents', harmlessConsent(uid('cns'))).then((r) => {
    const txId = r.headers.get('x-transaction-id');
    if (r.status !== 201 || !txId) throw new Error(`committing the audit package's transaction: ${r.status}`);
    return txId;
  }));

const AUDIT_AND_GATEWAY: Row[] = [
  // Every caller may ask who it is (what /me lists is checked against the chaincode's gate in chaincode/src/shared/caller-gate.test.ts).
  { route: 'GET /me', call: (u) => status(api.get(u.name, '/me')), expect: when(everyone, 200) },
  // Auditors; staff of a party (custodian Hospital 1); the patient or a delegate.
  { route: 'GET /audit/history/:assetType/:id', note: 'a record', call: (u) => status(api.get(u.name, `/audit/history/record/${fx.recordId}`)), expect: when(any(auditor, staffOf(H1), patient1OrDelegate), 200) },
  // Provider Hospital 1 and payer Insurer are the parties.
  {
    route: 'GET /audit/history/:assetType/:id', note: 'a claim',
    call: (u) => status(api.get(u.name, `/audit/history/claim/${fx.claim.approved}`)),
    expect: when(any(auditor, staffOf(H1, 'InsurerMSP'), patient1OrDelegate), 200),
  },
  // Trace data is public by design, but a pack's history is its parties': only the manufacturer has written M1.
  {
    route: 'GET /audit/history/:assetType/:id',
    note: 'a pack',
    call: (u) => status(api.get(u.name, `/audit/history/pack/${GTIN}?serial=M1`)),
    expect: when(any(auditor, staffOf('ManufacturerMSP')), 200),
  },
  {
    route: 'GET /packs/:gtin/:serial/ledger-history',
    note: 'the same history under the pack path',
    call: (u) => status(api.get(u.name, `/packs/${GTIN}/M1/ledger-history`)),
    expect: when(any(auditor, staffOf('ManufacturerMSP')), 200),
  },
  {
    route: 'GET /patients/:patientRef/disclosures',
    call: (u) => status(api.get(u.name, `/patients/${PATIENT1}/disclosures?from=2020-01-01&to=2100-01-01`)),
    expect: when(any(patient1OrDelegate, hasRole('auditor', 'records-admin')), 200),
  },
  // The accounting's rule for one entry: records-admins only of the record's custodian (Hospital 1).
  { route: 'GET /disclosures/:disclosureId', call: (u) => status(api.get(u.name, `/disclosures/${fx.disclosureId}`)), expect: when(disclosureReader, 200) },
  { route: 'GET /ledger', call: (u) => status(api.get(u.name, '/ledger')), expect: when(ledgerStaff, 200) },
  { route: 'GET /ledger/blocks/:number', call: (u) => status(api.get(u.name, '/ledger/blocks/0')), expect: when(ledgerStaff, 200) },
  { route: 'GET /ledger/contract', call: (u) => status(api.get(u.name, '/ledger/contract')), expect: when(ledgerStaff, 200) },
  { route: 'GET /ledger/transactions/:txId', call: (u) => status(api.get(u.name, `/ledger/transactions/${fx.txId}`)), expect: when(ledgerStaff, 200) },
  // One block: the gate comes before any block is read, and the whole chain (hundreds of blocks by
  // now, each read and hashed per caller) is verified in care, crash-load and ledger-browse.
  { route: 'POST /ledger/verification', call: (u) => status(api.post(u.name, '/ledger/verification', { from: '0', to: '0' })), expect: when(ledgerStaff, 200) },
  { route: 'GET /ledger/blocks', call: (u) => status(api.get(u.name, '/ledger/blocks?limit=1')), expect: when(ledgerStaff, 200) },
  { route: 'GET /ledger/search', call: (u) => status(api.get(u.name, '/ledger/search?q=0')), expect: when(ledgerStaff, 200) },
  // A package holds every header from its transaction's block to the head: a transaction of the
  // fixture's would bring the whole matrix's ledger per caller; ledger-browse checks a package's content.
  { route: 'POST /ledger/audit-package', call: async (u) => status(api.post(u.name, '/ledger/audit-package', { txIds: [await recentTransaction()] })), expect: when(ledgerStaff, 200) },
  { route: 'GET /ops/metrics', call: (u) => status(api.get(u.name, '/ops/metrics')), expect: when(ledgerStaff, 200) },
  { route: 'GET /ops/network', call: (u) => status(api.get(u.name, '/ops/network')), expect: when(ledgerStaff, 200) },
  { route: 'GET /events', call: (u) => eventStreamStatus(u), expect: when(notPatient, 200) },
  { route: 'POST /webhooks', call: (u) => status(api.post(u.name, '/webhooks', { url: 'http://127.0.0.1:9/hook', types: ['no-such-change'] })), expect: when(notPatient, 201) },
  { route: 'GET /webhooks', call: (u) => status(api.get(u.name, '/webhooks')), expect: when(notPatient, 200) },
  // A webhook is its owner's: anyone else's delete finds nothing.
  { route: 'DELETE /webhooks/:id', note: "clinician1's", call: (u) => status(api.del(u.name, `/webhooks/${fx.webhookId}`)), expect: (u) => (u.role === 'patient' ? 403 : u.name === 'clinician1' ? 204 : 404) },
  // Preparing is unsigned and writes nothing; the chaincode decides at endorsement.
  {
    route: 'POST /offline/proposals',
    call: (u) => status(api.post(u.name, '/offline/proposals', { fn: 'consent:grantConsent', request: harmlessConsent(uid('cns')) })),
    expect: () => 201,
  },
  // Offline, the chaincode decides at endorsement: granting patient1's consent is for patient1 or a delegate.
  {
    route: 'POST /offline/proposals/endorsement',
    note: "patient1's consent, signed with the caller's key",
    call: (u) => offlineEndorsementStatus(u),
    expect: when(patient1OrDelegate, 200),
  },
];

/**
 * The FHIR interface: each route calls the transaction of its compact twin as the caller, so its
 * row expects exactly the twin's rule — the FHIR routes add no trust rule of their own. Records
 * are read on the record nobody requested access to (an open grant also admits its holder).
 */
const FHIR_JSON = { 'content-type': 'application/fhir+json' };
const FHIR: Row[] = [
  { route: 'GET /fhir/metadata', call: (u) => status(api.get(u.name, '/fhir/metadata')), expect: when(everyone, 200) },
  { route: 'GET /fhir/ResearchStudy/:id', call: (u) => status(api.get(u.name, `/fhir/ResearchStudy/${rx.trialId}`)), expect: when(everyone, 200) },
  {
    route: 'GET /fhir/ResearchSubject/:id', note: 'enrolled at Hospital 2',
    call: (u) => status(api.get(u.name, `/fhir/ResearchSubject/${rx.trialId}--${rx.subjectId}`)),
    expect: when(any(patient1OrDelegate, auditor, staffOf(H1, H2)), 200),
  },
  { route: 'POST /fhir/Consent', call: (u) => status(api.post(u.name, '/fhir/Consent', fhirConsent(PATIENT1, 'DistributorMSP', ['HRESCH']), FHIR_JSON)), expect: when(patient1OrDelegate, 201) },
  { route: 'GET /fhir/Consent/:id', note: 'grantee Hospital 2', call: (u) => status(api.get(u.name, `/fhir/Consent/${fx.consentId}`)), expect: when(any(patient1OrDelegate, auditor, staffOf(H2)), 200) },
  { route: 'GET /fhir/Consent', call: (u) => status(api.get(u.name, `/fhir/Consent?patient=Patient/${PATIENT1}`)), expect: when(any(patient1OrDelegate, auditor), 200) },
  {
    route: 'GET /fhir/AuditEvent',
    call: (u) => status(api.get(u.name, `/fhir/AuditEvent?patient=${PATIENT1}&date=ge2020-01-01&date=le2100-01-01`)),
    expect: when(any(patient1OrDelegate, hasRole('auditor', 'records-admin')), 200),
  },
  { route: 'GET /fhir/AuditEvent/:id', call: (u) => status(api.get(u.name, `/fhir/AuditEvent/${fx.disclosureId}`)), expect: when(disclosureReader, 200) },
  { route: 'GET /fhir/DocumentReference/:id', call: (u) => status(api.get(u.name, `/fhir/DocumentReference/${fx.erasableRecordId}`)), expect: when(recordReader, 200) },
  { route: 'GET /fhir/DocumentReference', call: (u) => status(api.get(u.name, `/fhir/DocumentReference?patient=${PATIENT1}`)), expect: when(recordReader, 200) },
  { route: 'GET /fhir/Provenance/:id', call: (u) => status(api.get(u.name, `/fhir/Provenance/${fx.erasableRecordId}-v1`)), expect: when(recordReader, 200) },
  { route: 'GET /fhir/Provenance', call: (u) => status(api.get(u.name, `/fhir/Provenance?target=DocumentReference/${fx.erasableRecordId}`)), expect: when(recordReader, 200) },
  { route: 'GET /fhir/Coverage/:id', call: (u) => status(api.get(u.name, `/fhir/Coverage/${COVERAGE}`)), expect: when(any(payerAdjudicator, providerBilling, named('patient1'), auditor), 200) },
  { route: 'GET /fhir/Coverage', call: (u) => status(api.get(u.name, `/fhir/Coverage?patient=Patient/${PATIENT1}&status=active`)), expect: when(any(payerAdjudicator, providerBilling, named('patient1'), auditor), 200) },
  {
    route: 'POST /fhir/Claim',
    // April dates: the compact row's February claims would make these duplicates. The claim names
    // the caller's organisation as provider, as the chaincode will.
    call: (u) => {
      const serviceDate = `2026-04-${String(users.indexOf(u) + 1).padStart(2, '0')}`;
      const claim = fhirClaim({ provider: u.mspId, patientRef: PATIENT1, coverageId: COVERAGE, serviceDate, cpt: '99213', dollars: 1, diagnosis: 'J45.909' });
      return status(api.post(u.name, '/fhir/Claim', claim, FHIR_JSON));
    },
    expect: when(providerBilling, 201),
  },
  ...['Claim', 'ClaimResponse'].flatMap((type): Row[] => [
    {
      route: `GET /fhir/${type}/:id`, note: 'Hospital 1 → Insurer',
      call: (u) => status(api.get(u.name, `/fhir/${type}/${fx.claim.approved}`)),
      expect: when(any(named('billing1'), payerAdjudicator, named('patient1'), (u) => u.role === 'auditor' && [H1, 'InsurerMSP'].includes(u.mspId)), 200),
    },
    { route: `GET /fhir/${type}`, note: 'ledger status approved', call: (u) => status(api.get(u.name, `/fhir/${type}?ledger-status=approved`)), expect: when(any(providerBilling, payerAdjudicator), 200) },
  ]),
];

/**
 * Research: the sponsor is Hospital 1 (researcher1), the sites both hospitals; patient1 is enrolled
 * at Hospital 2. Each write that changes a trial for good (unblind, close) has a trial of its own.
 */
/** Researchers of a provider or research organisation: Hospital 1's researcher1 and the Research Institute's researcher2. */
const researcherOfSponsorKind = (u: Caller) => u.role === 'researcher' && [...PROVIDERS, 'ResearchMSP'].includes(u.mspId);
const sponsor = named('researcher1');
/** withdrawSubject: the patient or a delegate; clinicians and researchers of the enrolling site (Hospital 2). */
const withdrawer = any(patient1OrDelegate, (u) => ['clinician', 'researcher'].includes(u.role) && u.mspId === H2);
const RESEARCH: Row[] = [
  {
    route: 'POST /trials',
    call: (u) => status(api.post(u.name, '/trials', { trialId: uid('trial'), registryId: 'NCT01234567', sites: [H1], protocolHash: 'a'.repeat(64), analysisPlanHash: 'b'.repeat(64) })),
    expect: when(researcherOfSponsorKind, 201),
  },
  { route: 'GET /trials/:trialId', call: (u) => status(api.get(u.name, `/trials/${rx.trialId}`)), expect: when(everyone, 200) },
  {
    route: 'POST /trials/:trialId/documents', note: 'a protocol amendment',
    call: (u) => status(api.post(u.name, `/trials/${rx.trialId}/documents`, { kind: 'protocol', hash: 'c'.repeat(64) })),
    expect: when(sponsor, 201),
  },
  {
    route: 'POST /trials/:trialId/document-copies',
    call: (u) => status(api.post(u.name, `/trials/${rx.trialId}/document-copies`, { kind: 'protocol', version: 1, document: TRIAL_DOCUMENT })),
    expect: when(sponsor, 201),
  },
  { route: 'POST /trials/:trialId/verification', call: (u) => status(api.post(u.name, `/trials/${rx.trialId}/verification`, { document: TRIAL_DOCUMENT })), expect: when(everyone, 200) },
  { route: 'POST /trials/:trialId/unblinding', call: (u) => status(api.post(u.name, `/trials/${rx.toUnblind}/unblinding`, {})), expect: when(sponsor, 200) },
  { route: 'POST /trials/:trialId/closure', call: (u) => status(api.post(u.name, `/trials/${rx.toClose}/closure`, {})), expect: when(sponsor, 200) },
  {
    route: 'POST /trials/:trialId/subjects',
    call: (u) => status(api.post(u.name, `/trials/${rx.trialId}/subjects`, { subjectId: uid('subj'), patientRef: PATIENT1, consentId: rx.consentId })),
    expect: when((u) => ['clinician', 'researcher'].includes(u.role) && PROVIDERS.includes(u.mspId), 201),
  },
  {
    route: 'GET /trials/:trialId/subjects/:subjectId', note: 'enrolled at Hospital 2',
    call: (u) => status(api.get(u.name, `/trials/${rx.trialId}/subjects/${rx.subjectId}`)),
    expect: when(any(patient1OrDelegate, auditor, staffOf(H1, H2)), 200),
  },
  {
    route: 'POST /trials/:trialId/subjects/:subjectId/releases',
    call: (u) => status(api.post(u.name, `/trials/${rx.trialId}/subjects/${rx.subjectId}/releases`, { categories: ['clinical-note'] })),
    expect: when(sponsor, 201),
  },
  {
    route: 'POST /trials/:trialId/subjects/:subjectId/withdrawal', note: 'enrolled at Hospital 2',
    call: async (u) => {
      // Those the rule refuses try the fixture's subject (a wrong 200 would withdraw it, and show);
      // those it admits each withdraw a subject of their own, on a consent of its own, since a
      // withdrawal revokes the consent it rests on.
      if (!withdrawer(u)) return status(api.post(u.name, `/trials/${rx.trialId}/subjects/${rx.subjectId}/withdrawal`, {}));
      const [subjectId, consentId] = [uid('subj'), uid('cns')];
      await api.post('patient1', '/consents', { ...researchConsent(rx.trialId), consentId });
      const enrolled = await api.post('clinician2', `/trials/${rx.trialId}/subjects`, { subjectId, patientRef: PATIENT1, consentId });
      if (enrolled.status !== 201) return enrolled.status;
      return status(api.post(u.name, `/trials/${rx.trialId}/subjects/${subjectId}/withdrawal`, {}));
    },
    expect: when(withdrawer, 200),
  },
  { route: 'GET /research/record-counts', call: (u) => status(api.get(u.name, '/research/record-counts')), expect: when(hasRole('researcher', 'auditor'), 200) },
];

/** Prepares a consent grant for patient1 as `u`, signs the proposal digest with u's own key, and endorses it. */
async function offlineEndorsementStatus(u: Caller): Promise<number> {
  const prepared = await api.post(u.name, '/offline/proposals', { fn: 'consent:grantConsent', request: harmlessConsent(uid('cns')) });
  if (prepared.status !== 201) return prepared.status;
  const sign = signers.newPrivateKeySigner(createPrivateKey(readFileSync(keyFiles.get(u.name) ?? '')));
  const signature = Buffer.from(await sign(Buffer.from(String(prepared.body.digest), 'base64'))).toString('base64');
  return status(api.post(u.name, '/offline/proposals/endorsement', { proposal: prepared.body.proposal, signature }));
}

/** The SSE stream's status, without waiting for events. */
async function eventStreamStatus(u: Caller): Promise<number> {
  const abort = new AbortController();
  const res = await fetch(`${net.baseUrl}/events`, { headers: { authorization: await net.bearer(u.name) }, signal: abort.signal });
  abort.abort();
  return res.status;
}

async function run(rows: Row[]): Promise<string[]> {
  const mismatches: string[] = [];
  for (const row of rows) {
    for (const user of users) {
      const [actual, expected] = [await row.call(user), row.expect(user)];
      if (actual !== expected) mismatches.push(`${row.route}${row.note ? ` (${row.note})` : ''} as ${user.name} (${user.role}@${user.mspId}): ${actual}, expected ${expected}`);
    }
  }
  return mismatches;
}

test('the demo consortium: 24 users, 11 roles, 6 organisations', () => {
  expect(users).toHaveLength(24);
  expect(new Set(users.map((u) => u.role)).size).toBe(11);
  expect(new Set(users.map((u) => u.mspId)).size).toBe(6);
  expect(users.filter((u) => u.role === 'patient').map((u) => u.name)).toContain('guardian1');
  expect(GUARDIAN1).not.toBe(PATIENT1);
});
test('records × every user', async () => expect(await run(RECORDS)).toEqual([]), 120_000);
test('record uploads × every user', async () => expect(await run(RECORD_UPLOADS)).toEqual([]), 120_000);
test('consent and emergency × every user', async () => expect(await run(CONSENT)).toEqual([]), 120_000);
test('coverage and claims × every user', async () => expect(await run(CLAIMS)).toEqual([]), 120_000);
test('traceability × every user', async () => expect(await run(TRACE)).toEqual([]), 120_000);
test('audit, ledger, events and offline signing × every user', async () => expect(await run(AUDIT_AND_GATEWAY)).toEqual([]), 120_000);
test('research × every user', async () => expect(await run(RESEARCH)).toEqual([]), 120_000);
test('identity lifecycle × every user: admins, own organisation only', async () => expect(await run(IDENTITIES)).toEqual([]), 60_000);
test('the FHIR interface × every user: the compact twin\'s rule', async () => expect(await run(FHIR)).toEqual([]), 120_000);
// Status 200 says the preview ran; what it decided is the access rule itself (decideAccess).
test('the access decision for every user, as the preview reports it', async () => {
  const wrong: string[] = [];
  for (const user of users) {
    const { body } = await api.post(user.name, `/records/${fx.recordId}/access-check`, { purpose: 'TREAT' });
    const expected = treatGranted(user) ? 'granted' : 'denied';
    if ((body as { outcome?: string }).outcome !== expected) wrong.push(`${user.name}: ${JSON.stringify(body)}, expected ${expected}`);
  }
  expect(wrong).toEqual([]);
});

/**
 * Who may see a change on the event stream, and who its patient reference: the read rules of the
 * change's GET routes, restated (docs/design/events.md). A record goes to the custodian's record
 * readers and to providers the patient consented to (the fixture's consent names Hospital 2).
 */
const PATIENT_FACING = ['record', 'consent', 'delegate', 'emergency', 'disclosure'];
function streamRule(u: Caller, c: Record<string, unknown>): 'full' | 'without-patient' | 'none' {
  const named = (field: string) => c[field] === u.mspId;
  const recordReaderHere = ['clinician', 'records-admin'].includes(u.role) && PROVIDERS.includes(u.mspId);
  if (u.role === 'auditor' && (PATIENT_FACING.includes(String(c.type)) || c.type === 'coverage')) return 'full';
  switch (c.type) {
    case 'record': return recordReaderHere && (named('custodian') || (c.patientRef === PATIENT1 && u.mspId === H2)) ? 'full' : 'none';
    case 'consent': return named('grantee') ? 'full' : 'none';
    case 'emergency': return named('org') ? 'full' : 'none';
    case 'disclosure':
      if (u.role === 'records-admin' && named('custodian')) return 'full';
      return named('org') ? (recordReaderHere ? 'full' : 'without-patient') : 'none';
    case 'claim': return (u.role === 'billing' && named('provider')) || (u.role === 'adjudicator' && named('payer')) || (u.role === 'auditor' && (named('provider') || named('payer'))) ? 'full' : 'none';
    case 'coverage': return (u.role === 'adjudicator' && named('payer')) || (u.role === 'billing' && PROVIDERS.includes(u.mspId)) ? 'full' : 'none';
    case 'shipment': return named('from') || named('to') ? 'full' : 'none';
    case 'trial': return 'full';
    case 'trial-subject': return u.role === 'auditor' || named('site') || named('sponsor') ? 'full' : 'none';
    default:
      return ['manufacturer', 'distributor', 'dispenser', 'auditor'].includes(u.role) || ['org', 'holder', 'manufacturer', 'from', 'to'].some(named) ? 'full' : 'none';
  }
}

test("each user's event stream carries only the changes, and patient references, its role and organisation may see", async () => {
  const wrong: string[] = [];
  const seenBy = new Map<string, Record<string, unknown>[]>();
  for (const user of users.filter((u) => u.role !== 'patient')) {
    const changes = await streamedChanges(net, user.name);
    seenBy.set(user.name, changes);
    for (const change of changes) {
      const rule = streamRule(user, change);
      const what = `${user.name} (${user.role}@${user.mspId}) saw ${JSON.stringify(change)}`;
      if (rule === 'none') wrong.push(`${what}: not entitled`);
      else if ('patientRef' in change && rule !== 'full') wrong.push(`${what}: patient reference not entitled`);
      else if (rule === 'full' && PATIENT_FACING.includes(String(change.type)) && change.type !== 'disclosure' && !('patientRef' in change)) wrong.push(`${what}: patient reference missing`);
    }
  }
  expect(wrong).toEqual([]);
  const types = (name: string) => new Set((seenBy.get(name) ?? []).map((c) => String(c.type)));
  // What the fixture committed reaches those entitled to it.
  expect([...types('clinician1')]).toEqual(expect.arrayContaining(['record', 'emergency']));
  expect([...types('clinician2')]).toEqual(expect.arrayContaining(['record', 'consent']));
  expect([...types('adjudicator1')]).toEqual(expect.arrayContaining(['claim', 'coverage']));
  expect([...types('billing1')]).toEqual(expect.arrayContaining(['claim', 'coverage']));
  expect([...types('auditor1')]).toEqual(expect.arrayContaining(['record', 'consent', 'delegate', 'emergency', 'product', 'lot']));
  // A manufacturer's stream: the supply chain, no patient and no money (and, once it asked for a
  // record's content in the rows above, the outcome of its own request, without the patient).
  const manufacturer = seenBy.get('manufacturer1') ?? [];
  expect([...types('manufacturer1')]).toEqual(expect.arrayContaining(['product', 'lot', 'shipment']));
  const ownRequest = (c: Record<string, unknown>) => c.type === 'disclosure' && c.org === 'ManufacturerMSP';
  expect(manufacturer.filter((c) => 'patientRef' in c || ((PATIENT_FACING.includes(String(c.type)) || ['claim', 'coverage'].includes(String(c.type))) && !ownRequest(c)))).toEqual([]);
  // Hospital 2's billing sees no claim of Hospital 1's (the fixture's are all Hospital 1's).
  expect((seenBy.get('billing2') ?? []).filter((c) => c.type === 'claim' && c.provider !== H2)).toEqual([]);
  expect((seenBy.get('billing1') ?? []).filter((c) => c.type === 'claim' && c.provider === H1).length).toBeGreaterThanOrEqual(4);
}, 120_000);

test("webhooks deliver only what their owner's role and organisation may see", async () => {
  const receiver = await webhookReceiver();
  try {
    for (const owner of ['manufacturer1', 'adjudicator1']) expect((await api.post(owner, '/webhooks', { url: receiver.url(owner) })).status).toBe(201);
    const claimId = uid('cl-hook');
    expect((await api.post('clinician1', '/records', { recordId: uid('rec-hook'), patientRef: PATIENT1, category: 'other', content: { x: 1 } })).status).toBe(201);
    expect((await api.post('patient1', '/consents', harmlessConsent(uid('cns-hook')))).status).toBe(201);
    expect((await api.post('billing1', '/claims', claimBody(claimId, '2026-02-01'))).status).toBe(201);
    // One last change each owner may see: delivered in log order, so everything before it was decided.
    const gtin = freshGtin();
    const product = { gtin, companyPrefixLength: 7, name: 'Hook marker', strength: '1 mg', dosageForm: 'tablet', packSize: 1, storage: { minCelsius: 2, maxCelsius: 8 } };
    expect((await api.post('manufacturer1', '/products', product)).status).toBe(201);
    const coverageId = uid('cov-hook');
    expect((await api.post('adjudicator1', '/coverages', { coverageId, patientRef: PATIENT1, ...coverageTerms })).status).toBe(201);
    const arrived = (owner: string, id: string) => (receiver.got.get(owner) ?? []).some((c) => c.id === id);
    for (let i = 0; i < 600 && !(arrived('manufacturer1', gtin) && arrived('adjudicator1', coverageId)); i++) await new Promise((r) => setTimeout(r, 100));

    const manufacturer = receiver.got.get('manufacturer1') ?? [];
    expect(manufacturer.map((c) => c.id)).toContain(gtin);
    expect(manufacturer.filter((c) => 'patientRef' in c || ['record', 'consent', 'claim', 'coverage'].includes(String(c.type)))).toEqual([]);
    const adjudicator = receiver.got.get('adjudicator1') ?? [];
    expect(adjudicator.map((c) => c.id)).toEqual(expect.arrayContaining([claimId, coverageId]));
    expect(adjudicator.filter((c) => !['claim', 'coverage'].includes(String(c.type)) || (c.payer !== undefined && c.payer !== 'InsurerMSP'))).toEqual([]);
  } finally {
    await receiver.close();
  }
}, 120_000);

/**
 * Routes outside the matrix: public ones (no caller to authorize), and the two offline-signing
 * steps after endorsement, which only a caller the chaincode endorsed has a transaction for (the
 * endorsement row is where the rule is applied; gateway-features.test.ts runs the whole flow).
 */
const NOT_IN_MATRIX = [
  'GET /health/live', 'GET /health/ready', 'POST /dev/token', 'POST /offline/transactions/submission', 'POST /offline/commits/status',
];

test('every route the gateway documents is in the matrix', async () => {
  const doc = (await (await fetch(`${net.baseUrl}/docs/json`)).json()) as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
  );
  const covered = new Set([...RECORDS, ...RECORD_UPLOADS, ...CONSENT, ...CLAIMS, ...TRACE, ...AUDIT_AND_GATEWAY, ...IDENTITIES, ...FHIR, ...RESEARCH].map((r) => r.route));
  expect(documented.filter((route) => !covered.has(route) && !NOT_IN_MATRIX.includes(route))).toEqual([]);
  expect([...covered].filter((route) => !documented.includes(route))).toEqual([]);
  expect(covered.size).toBeGreaterThanOrEqual(55 + 11);
});
