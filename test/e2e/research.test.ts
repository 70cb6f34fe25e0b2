/**
 * The clinical research journey through HTTP: register a trial → anchor the outcomes → the patient
 * consents to the trial → a site enrols the patient → the sponsor requests a release and reads the
 * granted record from its custodian → results anchored, then unblinding → a presented results
 * document verified, and a tampered one not → withdrawal ends releases. Runs on the devnet and,
 * under `npm run test:fabric`, on real Fabric.
 */
import { createHash } from 'node:crypto';
import { fhirProblems } from '@healthledger/gateway/testing/fhir-validator';
import { client, uid, type Json, type Reply } from './http';
import { startJourneys, type JourneyNetwork } from './network';

let net: JourneyNetwork;
let api: ReturnType<typeof client>;
beforeAll(async () => {
  net = await startJourneys('research');
  api = client(net);
}, 120_000);
afterAll(async () => net?.stop());

const PATIENT1 = 'pt-0c5f1a9e';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A FHIR read's answer: 200, FHIR media type, valid R4. */
function fhir(reply: Reply): Json {
  expect([reply.status, reply.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^application\/fhir\+json/)]);
  expect(fhirProblems(reply.body)).toEqual([]);
  return reply.body;
}

test('trial journey: anchored plan, consented enrolment and release, results anchored before unblinding and verified', async () => {
  const trialId = uid('trial');
  const protocol = `Protocol of ${trialId}: randomised, double blind, 26 weeks`;
  const plan = `Statistical analysis plan of ${trialId}`;
  const outcomes = `Pre-specified outcomes of ${trialId}: HbA1c change at 26 weeks`;
  const results = `Results of ${trialId}: HbA1c difference -0.4 (95% CI -0.6 to -0.2)`;

  // The sponsor (hospital 1's researcher) registers the trial with hospital 2 as a site.
  const registered = await api.as('researcher1').POST('/trials', {
    body: { trialId, registryId: 'NCT01234567', sites: ['Hospital1MSP', 'Hospital2MSP'], protocolHash: sha(protocol), analysisPlanHash: sha(plan) },
  });
  expect(registered.response.status).toBe(201);
  expect(registered.data).toMatchObject({ sponsor: 'Hospital1MSP', status: 'active' });
  const deposited = await api.as('researcher1').POST('/trials/{trialId}/document-copies', { params: { path: { trialId } }, body: { kind: 'protocol', version: 1, document: protocol } });
  expect(deposited.response.status).toBe(201);

  // A lab result of the patient, and an imaging study the consent will not cover.
  const lab = uid('rec');
  const imaging = uid('rec');
  for (const [recordId, category] of [[lab, 'lab-result'], [imaging, 'imaging']] as const) {
    const created = await api.as('clinician1').POST('/records', { body: { recordId, patientRef: PATIENT1, category, content: { resourceType: 'Observation', code: 'HbA1c', value: 7.1 } } });
    expect(created.response.status).toBe(201);
  }

  // The patient consents to the trial (research scope: the sponsor, HRESCH, lab results only).
  const consentId = uid('cns');
  const consent = await api.as('patient1').POST('/consents', {
    body: { consentId, trialId, patientRef: PATIENT1, grantee: { org: 'Hospital1MSP', role: 'researcher' }, period: { start: '2020-01-01' }, provisions: [{ type: 'permit', actions: ['access'], purposes: ['HRESCH'], categories: ['lab-result'] }] },
  });
  expect(consent.response.status).toBe(201);

  // Enrolment waits for the pre-specified outcomes.
  const subjectId = uid('subj');
  const enrol = () => api.as('clinician2').POST('/trials/{trialId}/subjects', { params: { path: { trialId } }, body: { subjectId, patientRef: PATIENT1, consentId } });
  const early = await enrol();
  expect(early.response.status).toBe(409);
  expect(early.error).toMatchObject({ code: 'TRIAL_OUTCOMES_NOT_ANCHORED' });
  const anchored = await api.as('researcher1').POST('/trials/{trialId}/documents', { params: { path: { trialId } }, body: { kind: 'outcomes', hash: sha(outcomes) } });
  expect(anchored.response.status).toBe(201);
  const enrolled = await enrol();
  expect(enrolled.response.status).toBe(201);
  expect(enrolled.data).toMatchObject({ subjectId, site: 'Hospital2MSP', status: 'enrolled' });

  // The same in FHIR: the study, the subject, and the research-scope consent, each valid R4.
  const study = fhir(await api.get('clinician2', `/fhir/ResearchStudy/${trialId}`));
  expect(study).toMatchObject({ resourceType: 'ResearchStudy', status: 'active', sponsor: { identifier: { value: 'Hospital1MSP' } } });
  const subject = fhir(await api.get('auditor1', `/fhir/ResearchSubject/${trialId}--${subjectId}`));
  expect(subject).toMatchObject({ status: 'on-study', study: { reference: `ResearchStudy/${trialId}` }, individual: { reference: `Patient/${PATIENT1}` } });
  expect(fhir(await api.get('patient1', `/fhir/Consent/${consentId}`))).toMatchObject({ scope: { coding: [{ code: 'research' }] } });

  // Outcome switching after enrolment is refused.
  const switched = await api.as('researcher1').POST('/trials/{trialId}/documents', { params: { path: { trialId } }, body: { kind: 'outcomes', hash: sha('another outcome') } });
  expect(switched.error).toMatchObject({ code: 'TRIAL_ANCHOR_TOO_LATE' });

  // The release: lab result granted, imaging denied, both logged; the content comes from the custodian.
  const release = () => api.as('researcher1').POST('/trials/{trialId}/subjects/{subjectId}/releases', { params: { path: { trialId, subjectId } }, body: { categories: ['lab-result', 'imaging'] } });
  const released = await release();
  expect(released.response.status).toBe(201);
  const decisions = Object.fromEntries((released.data?.disclosures ?? []).map((d) => [d.entity.recordId, d.outcome]));
  expect(decisions).toMatchObject({ [lab]: 'granted', [imaging]: 'denied' });
  const read = await api.as('researcher1').GET('/records/{recordId}/content', { params: { path: { recordId: lab }, query: {} } });
  expect(read.response.status).toBe(200);
  // Each release decision is an AuditEvent too: its id (`<txId>.<n>` on the ledger) fits FHIR's and reads back.
  const releasedIds = (released.data?.disclosures ?? []).map((d) => d.disclosureId);
  const events = fhir(await api.get('patient1', `/fhir/AuditEvent?patient=Patient/${PATIENT1}&_count=100`));
  const releaseEvents = (events.entry as Json[]).map((e) => e.resource as Json).filter((r) => (r.entity as Json[]).some((x) => (x.what as Json).reference === `DocumentReference/${lab}`));
  expect(releaseEvents.length).toBeGreaterThan(0);
  const one = fhir(await api.get('patient1', `/fhir/AuditEvent/${releaseEvents[0]!.id as string}`));
  expect(releasedIds).toContain(`${releasedIds[0]!.split('.')[0]}.${String(one.id).split('-').pop()}`);

  // Results are anchored before unblinding; afterwards they cannot change.
  const unblind = () => api.as('researcher1').POST('/trials/{trialId}/unblinding', { params: { path: { trialId } }, body: {} });
  expect((await unblind()).error).toMatchObject({ code: 'TRIAL_RESULTS_NOT_ANCHORED' });
  await api.as('researcher1').POST('/trials/{trialId}/documents', { params: { path: { trialId } }, body: { kind: 'results', hash: sha(results) } });
  expect((await unblind()).data).toMatchObject({ status: 'unblinded' });

  // Anyone can check a presented results document; a tampered one matches nothing.
  const verify = (document: string) => api.as('clinician2').POST('/trials/{trialId}/verification', { params: { path: { trialId } }, body: { document } });
  const genuine = await verify(results);
  expect(genuine.response.status).toBe(200);
  expect(genuine.data).toMatchObject({ matches: true, kind: 'results', version: 1, latest: true });
  expect((await verify(results.replace('-0.4', '-0.9'))).data).toMatchObject({ matches: false });

  // Withdrawal takes effect for the next transaction and is recorded.
  const withdrawn = await api.as('patient1').POST('/trials/{trialId}/subjects/{subjectId}/withdrawal', { params: { path: { trialId, subjectId } }, body: {} });
  expect(withdrawn.response.status).toBe(200);
  expect(withdrawn.data).toMatchObject({ status: 'withdrawn' });
  expect((await release()).error).toMatchObject({ code: 'SUBJECT_WITHDRAWN' });
  const after = await api.as('researcher1').GET('/records/{recordId}/content', { params: { path: { recordId: lab }, query: {} } });
  expect(after.response.status).toBe(403);
});

test('aggregate counts answer suppressed cells, never rows', async () => {
  const counts = await api.as('researcher1').GET('/research/record-counts', {});
  expect(counts.response.status).toBe(200);
  expect(counts.data?.threshold).toBe(11);
  for (const cell of counts.data?.cells ?? []) expect(cell.suppressed ? cell.count : cell.count! >= 11).toBe(cell.suppressed ? undefined : true);
  // The Research Institute's researcher, through its own organisation's gateway where each has one,
  // gets the same table: counts depend on consents, not on who asks.
  const institute = await api.as('researcher2').GET('/research/record-counts', {});
  expect(institute.response.status).toBe(200);
  expect({ ...institute.data, asOf: undefined }).toEqual({ ...counts.data, asOf: undefined });
});
