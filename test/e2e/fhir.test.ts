/**
 * The FHIR R4 interface end to end on the devnet: a Consent created from FHIR, found by search
 * and read; a record's metadata as DocumentReference and its versions as Provenance; the access
 * it permits in the AuditEvent search and read; a Claim created from FHIR and its ClaimResponse before and
 * after the payer's adjudication; a patient's coverages by search; errors as OperationOutcome. Every FHIR body the gateway returns
 * is checked against the official R4 JSON schema and invariants.
 */
import { fhirProblems } from '@healthledger/gateway/testing/fhir-validator';
import { fhirClaim, fhirConsent } from './fhir-resources';
import { client, uid, type Json, type Reply } from './http';
import { startJourneys, type JourneyNetwork } from './network';

let net: JourneyNetwork;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  net = await startJourneys('fhir');
  api = client(net);
}, 120_000);
afterAll(async () => net?.stop());

const PATIENT1 = 'pt-0c5f1a9e';
const FHIR = { 'content-type': 'application/fhir+json' };

/** A FHIR answer with the expected status: FHIR media type, valid R4, no Patient resource. */
function fhir(reply: Reply, status: number): Json {
  expect([reply.status, reply.body?.issue]).toEqual([status, undefined]);
  expect(reply.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  expect(fhirProblems(reply.body)).toEqual([]);
  expect(JSON.stringify(reply.body)).not.toMatch(/"resourceType":"Patient"/);
  return reply.body;
}

const resources = (bundle: Json): Json[] => (bundle.entry ?? []).map((e: Json) => e.resource);

/**
 * Revokes Patient 1's active research consents to Hospital 2. The access below must be granted
 * under this run's consent; on a ledger that outlives a run (real Fabric: the journeys run again
 * after the upgrade) an earlier run's consent would otherwise be the one that grants it.
 */
async function revokeResearchConsentsToHospital2(): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await api.get('patient1', `/patients/${PATIENT1}/consents${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status).toBe(200);
    for (const consent of page.body.items as Json[]) {
      if (consent.status === 'active' && consent.grantee?.org === 'Hospital2MSP' && JSON.stringify(consent.provisions).includes('HRESCH')) {
        expect((await api.post('patient1', `/consents/${consent.consentId}/revocation`)).status).toBe(200);
      }
    }
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor);
}

test('Consent from FHIR → search → read; the access it permits is an AuditEvent; the record is a DocumentReference with Provenance', async () => {
  await revokeResearchConsentsToHospital2();
  // A research consent to Hospital 2 (no other journey requests HRESCH access).
  const created = fhir(await api.post('patient1', '/fhir/Consent', fhirConsent(PATIENT1, 'Hospital2MSP', ['HRESCH']), FHIR), 201);
  const consentId: string = created.id;
  expect(created).toMatchObject({ status: 'active', patient: { reference: `Patient/${PATIENT1}` } });

  const found = fhir(await api.get('patient1', `/fhir/Consent?patient=Patient/${PATIENT1}&status=active&_count=100`), 200);
  expect(found.type).toBe('searchset');
  // Paged by the ledger: follow next links until the new consent shows up.
  let page = found;
  const ids: string[] = [];
  for (;;) {
    ids.push(...resources(page).map((r) => r.id));
    const next = page.link.find((l: Json) => l.relation === 'next');
    if (!next || ids.includes(consentId)) break;
    const url = new URL(next.url);
    page = fhir(await api.get('patient1', url.pathname + url.search), 200);
  }
  expect(ids).toContain(consentId);
  expect(fhir(await api.get('patient1', `/fhir/Consent/${consentId}`), 200)).toEqual(created);

  // A record with two versions, read by Hospital 2 for research under that consent.
  const recordId = uid('rec');
  expect((await api.post('clinician1', '/records', { recordId, patientRef: PATIENT1, category: 'lab-result', content: { v: 1 } })).status).toBe(201);
  expect((await api.post('clinician1', `/records/${recordId}/versions`, { content: { v: 2 } })).status).toBe(201);
  const since = new Date(Date.now() - 60_000).toISOString().slice(0, 19) + 'Z';
  const access = await api.post('clinician2', `/records/${recordId}/access`, { purpose: 'HRESCH' });
  expect(access.body).toMatchObject({ outcome: 'granted', consentId });

  const doc = fhir(await api.get('clinician1', `/fhir/DocumentReference/${recordId}`), 200);
  expect(doc).toMatchObject({ subject: { reference: `Patient/${PATIENT1}` }, meta: { versionId: '2' }, content: [{ attachment: { url: `/records/${recordId}/content` } }] });
  expect(JSON.stringify(doc)).not.toContain('"v":');
  const byPatient = fhir(await api.get('clinician1', `/fhir/DocumentReference?patient=${PATIENT1}&_count=100`), 200);
  expect(byPatient.type).toBe('searchset');

  const versions = resources(fhir(await api.get('clinician1', `/fhir/Provenance?target=DocumentReference/${recordId}`), 200));
  expect(versions.map((p) => [p.target[0].reference, p.activity.coding[0].code])).toEqual([
    [`DocumentReference/${recordId}/_history/1`, 'CREATE'],
    [`DocumentReference/${recordId}/_history/2`, 'UPDATE'],
  ]);
  expect(fhir(await api.get('clinician1', `/fhir/Provenance/${recordId}-v2`), 200)).toEqual(versions[1]);

  const audit = fhir(await api.get('patient1', `/fhir/AuditEvent?patient=Patient/${PATIENT1}&date=ge${since}&date=le2100-01-01&_count=100`), 200);
  const mine = resources(audit).filter((e) => e.entity.some((x: Json) => x.what.reference === `DocumentReference/${recordId}`));
  expect(mine.map((e) => [e.action, e.outcome, e.purposeOfEvent[0].coding[0].code])).toEqual([['R', '0', 'HRESCH']]);
  expect(mine[0].entity).toEqual(expect.arrayContaining([expect.objectContaining({ what: { reference: `Consent/${consentId}` } })]));
  expect(mine[0].id).toBe(access.body.disclosureId);
  expect(fhir(await api.get('patient1', `/fhir/AuditEvent/${access.body.disclosureId}`), 200)).toEqual(mine[0]);
  expect(fhir(await api.get('auditor1', `/fhir/AuditEvent/${access.body.disclosureId}`), 200)).toEqual(mine[0]);
  await revokeResearchConsentsToHospital2();
});

test('Claim from FHIR → pended ClaimResponse (queued) → adjudicated (complete); clinical codes stay off the public claim', async () => {
  const coverageId = uid('cov');
  const coverage = await api.post('adjudicator1', '/coverages', {
    coverageId, patientRef: PATIENT1, planId: 'fhir-plan', period: { start: '2020-01-01', end: '2099-12-31' }, currency: 'USD',
    deductible: 0, copay: 1000, coinsuranceBps: 2000, outOfPocketMax: 100_000, benefits: [{ system: 'CPT', code: '99214', manualReview: true }],
  });
  expect(coverage.status).toBe(201);
  expect(fhir(await api.get('adjudicator1', `/fhir/Coverage/${coverageId}`), 200)).toMatchObject({ status: 'active', beneficiary: { reference: `Patient/${PATIENT1}` } });

  const claimId = uid('clm');
  // A service date of its own per run: the ledger refuses a second claim for the same patient,
  // provider, day and service (CLAIM_DUPLICATE), and on real Fabric the ledger outlives a run.
  const serviceDate = new Date(Date.UTC(2020, 0, 1) + Math.floor(Math.random() * 2000) * 86_400_000).toISOString().slice(0, 10);
  const sent = fhirClaim({ id: claimId, patientRef: PATIENT1, coverageId, serviceDate, cpt: '99214', dollars: 200, diagnosis: 'E11.9' });
  const claim = fhir(await api.post('billing1', '/fhir/Claim', sent, FHIR), 201);
  expect(claim).toMatchObject({ id: claimId, insurer: { identifier: { value: 'InsurerMSP' } }, total: { value: 200, currency: 'USD' } });
  expect(JSON.stringify(claim)).not.toContain('E11.9');
  expect(fhir(await api.get('billing1', `/fhir/Claim/${claimId}`), 200)).toEqual(claim);

  const queued = fhir(await api.get('adjudicator1', `/fhir/ClaimResponse/${claimId}`), 200);
  expect(queued).toMatchObject({ outcome: 'queued', request: { reference: `Claim/${claimId}` } });

  expect((await api.post('adjudicator1', `/claims/${claimId}/adjudication`, { decision: 'approve' })).status).toBe(200);
  const complete = fhir(await api.get('billing1', `/fhir/ClaimResponse/${claimId}`), 200);
  expect(complete).toMatchObject({ outcome: 'complete', disposition: 'approved' });
  const benefit = complete.total.find((t: Json) => t.category.coding[0].code === 'benefit');
  // $200 less the $10 copay, then 20 % coinsurance: $152.
  expect(benefit.amount).toEqual({ value: 152, currency: 'USD' });

  const approved = fhir(await api.get('adjudicator1', `/fhir/ClaimResponse?patient=${PATIENT1}&ledger-status=approved&_count=100`), 200);
  expect(resources(approved).map((r) => r.id)).toContain(claimId);
});

test("Coverage search: a patient's coverages page by page, by status, and the same list on the compact route", async () => {
  const patientRef = uid('pt');
  const terms = { planId: 'fhir-plan', period: { start: '2026-01-01', end: '2026-12-31' }, currency: 'USD', deductible: 0, copay: 1000, coinsuranceBps: 2000, outOfPocketMax: 100_000, benefits: [{ system: 'CPT', code: '99213' }] };
  const ids = [uid('cov-a'), uid('cov-b')].sort();
  for (const coverageId of ids) expect((await api.post('adjudicator1', '/coverages', { coverageId, patientRef, ...terms })).status).toBe(201);
  expect((await api.put('adjudicator1', `/coverages/${ids[1]}`, { ...terms, status: 'cancelled' })).status).toBe(200);

  const first = fhir(await api.get('billing1', `/fhir/Coverage?patient=Patient/${patientRef}&_count=1`), 200);
  expect(first.type).toBe('searchset');
  expect(resources(first).map((r) => [r.id, r.status])).toEqual([[ids[0], 'active']]);
  const next = new URL(first.link.find((l: Json) => l.relation === 'next').url);
  const second = fhir(await api.get('billing1', `${next.pathname}${next.search}`), 200);
  expect(resources(second).map((r) => [r.id, r.status])).toEqual([[ids[1], 'cancelled']]);

  const cancelled = fhir(await api.get('adjudicator1', `/fhir/Coverage?patient=${patientRef}&status=cancelled`), 200);
  expect(resources(cancelled).map((r) => r.id)).toEqual([ids[1]]);
  const compact = await api.get('auditor1', `/patients/${patientRef}/coverages?status=active`);
  expect([compact.status, compact.body.items.map((c: Json) => c.coverageId)]).toEqual([200, [ids[0]]]);

  // Another patient's coverages are not the caller's to list.
  const refused = await api.get('patient1', `/fhir/Coverage?patient=${patientRef}`);
  expect([refused.status, refused.body.resourceType]).toEqual([403, 'OperationOutcome']);
});

test('errors are OperationOutcomes with the same code and status as the compact API', async () => {
  const missing = await api.get('patient1', '/fhir/Consent/cns-does-not-exist');
  expect(missing.status).toBe(404);
  expect(missing.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  expect(fhirProblems(missing.body)).toEqual([]);
  expect(missing.body.issue[0].details.coding[0]).toEqual({ system: 'urn:healthledger:problem', code: 'CONSENT_NOT_FOUND' });
  // The chaincode's own rule: a clinician may not grant a patient's consent.
  const forbidden = await api.post('clinician1', '/fhir/Consent', fhirConsent(PATIENT1, 'Hospital2MSP', ['HRESCH']), FHIR);
  const compact = await api.post('clinician1', '/consents', { consentId: uid('cns'), patientRef: PATIENT1, grantee: { org: 'Hospital2MSP' }, period: { start: '2020-01-01' }, provisions: [{ type: 'permit', actions: ['access'], purposes: ['HRESCH'] }] });
  expect([forbidden.status, forbidden.body.issue[0].details.coding[0].code]).toEqual([compact.status, compact.body.code]);
  expect(fhirProblems(forbidden.body)).toEqual([]);
});
