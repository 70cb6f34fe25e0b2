/**
 * The FHIR routes over a scripted ledger: which transaction each interaction calls with what
 * input (the compact API's transactions, as the caller), searchset paging, Location on create,
 * OperationOutcome for every error (chaincode refusals, validation, unknown paths, no
 * credentials) — and every response body a valid R4 resource.
 */
import type { ServiceError } from '@grpc/grpc-js';
import { EndorseError } from '@hyperledger/fabric-gateway';
import { fhirProblems } from '../testing/fhir-validator';
import * as F from './ledger-examples';
import type { RecordedCall } from '../testing/scripted-ledger';
import { testApp, type TestApp, type HttpResponse } from '../testing/test-app';
import { claimToFhir } from './claim';
import { consentToFhir } from './consent';
import { fhirRoutes } from './routes';
import { subjectToFhir, trialToFhir } from './research-study';

let t: TestApp;
let answer: (c: RecordedCall) => unknown;
beforeAll(async () => {
  t = await testApp({ routes: [fhirRoutes], handler: (c) => answer(c) });
});
afterAll(async () => t.close());
beforeEach(() => {
  t.ledger.calls.length = 0;
  answer = () => null;
});

const input = (i: number) => JSON.parse(t.ledger.calls[i]?.call.args?.[0] ?? 'null') as Record<string, unknown>;

async function get(user: string, url: string): Promise<HttpResponse> {
  return t.inject({ method: 'GET', url, headers: { authorization: await t.bearer(user) } });
}

/** A FHIR answer: its media type, and a body that is valid R4. */
function fhirBody(res: HttpResponse): Record<string, unknown> {
  expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
  const body = res.json<Record<string, unknown>>();
  expect(fhirProblems(body)).toEqual([]);
  return body;
}

function chaincodeRefusal(message: string): EndorseError {
  return new EndorseError({
    code: 10,
    cause: {} as ServiceError,
    transactionId: 'tx9',
    message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
    details: [{ address: 'peer0.hospital1.example.com:7051', mspId: 'Hospital1MSP', message: `chaincode response 500, ${message}` }],
  });
}

test('metadata: a CapabilityStatement of exactly the interactions served', async () => {
  const res = await get('clinician1', '/fhir/metadata?_format=json');
  expect(res.statusCode).toBe(200);
  const body = fhirBody(res) as { rest: { resource: { type: string; interaction: { code: string }[] }[] }[] };
  const served = body.rest[0]?.resource.map((r) => [r.type, r.interaction.map((i) => i.code)]);
  expect(served).toEqual([
    ['Consent', ['read', 'search-type', 'create']],
    ['AuditEvent', ['read', 'search-type']],
    ['DocumentReference', ['read', 'search-type']],
    ['Provenance', ['read', 'search-type']],
    ['Coverage', ['read', 'search-type']],
    ['Claim', ['read', 'search-type', 'create']],
    ['ClaimResponse', ['read', 'search-type']],
    ['ResearchStudy', ['read']],
    ['ResearchSubject', ['read']],
  ]);
});

test('ResearchStudy read calls research:getTrial; ResearchSubject read splits <trialId>--<subjectId> for research:getSubject', async () => {
  answer = () => F.TRIAL;
  const study = await get('clinician2', '/fhir/ResearchStudy/trial-1');
  expect(study.statusCode).toBe(200);
  expect(fhirBody(study)).toEqual(trialToFhir(F.TRIAL));
  expect(t.ledger.calls[0]).toMatchObject({ kind: 'evaluate', call: { fn: 'research:getTrial' } });
  answer = () => F.SUBJECT;
  const subject = await get('auditor1', '/fhir/ResearchSubject/trial-1--subj-001');
  expect(subject.statusCode).toBe(200);
  expect(fhirBody(subject)).toEqual(subjectToFhir(F.SUBJECT));
  expect(input(1)).toEqual({ trialId: 'trial-1', subjectId: 'subj-001' });
  const malformed = await get('auditor1', '/fhir/ResearchSubject/subj-001');
  expect(malformed.statusCode).toBe(404);
  expect(t.ledger.calls).toHaveLength(2);
});

test('Consent read calls consent:getConsent as the caller', async () => {
  answer = () => F.CONSENT;
  const res = await get('patient1', '/fhir/Consent/cns-001');
  expect(res.statusCode).toBe(200);
  expect(fhirBody(res)).toEqual(consentToFhir(F.CONSENT));
  expect(t.ledger.calls[0]).toMatchObject({ kind: 'evaluate', call: { fn: 'consent:getConsent' }, user: { name: 'patient1' } });
  expect(input(0)).toEqual({ consentId: 'cns-001' });
});

test('Consent search: a searchset with next link, filtered by status, paged by the ledger', async () => {
  answer = () => ({ items: [F.CONSENT, F.MINIMAL_CONSENT], bookmark: 'k2' });
  const res = await get('patient1', '/fhir/Consent?patient=Patient/pt-0c5f1a9e&status=active&_count=2');
  expect(res.statusCode).toBe(200);
  const bundle = fhirBody(res) as { type: string; entry: { resource: { identifier: { value: string }[] } }[]; link: { relation: string; url: string }[] };
  expect(bundle.type).toBe('searchset');
  expect(bundle.entry.map((e) => e.resource.identifier[0]?.value)).toEqual(['cns_with:colon']);
  expect(input(0)).toEqual({ patientRef: 'pt-0c5f1a9e', pageSize: 2 });
  const next = bundle.link.find((l) => l.relation === 'next')?.url ?? '';
  expect(next).toContain('_cursor=');
  answer = () => ({ items: [], bookmark: '' });
  const second = await get('patient1', new URL(next).pathname + new URL(next).search);
  expect(second.statusCode).toBe(200);
  expect(input(1)).toEqual({ patientRef: 'pt-0c5f1a9e', pageSize: 2, bookmark: 'k2' });
  expect((fhirBody(second) as { link: { relation: string }[] }).link.map((l) => l.relation)).toEqual(['self']);
});

test('Consent create: grantConsent from the FHIR resource, 201 with Location', async () => {
  answer = (c) => ({ ...F.MINIMAL_CONSENT, ...JSON.parse(c.call.args?.[0] ?? '{}') });
  const { id: _id, identifier: _identifier, meta: _meta, extension: _extension, dateTime: _dateTime, ...sent } = consentToFhir({ ...F.CONSENT, status: 'active' });
  const res = await t.inject({ method: 'POST', url: '/fhir/Consent', payload: JSON.stringify(sent), headers: { authorization: await t.bearer('patient1'), 'content-type': 'application/fhir+json' } });
  expect(res.statusCode).toBe(201);
  const body = fhirBody(res) as { id: string };
  expect(res.headers['location']).toBe(`${t.baseUrl}/fhir/Consent/${body.id}`);
  expect(res.headers['x-transaction-id']).toBeDefined();
  expect(t.ledger.calls[0]).toMatchObject({ kind: 'submit', call: { fn: 'consent:grantConsent' } });
  expect(input(0)).toEqual({ consentId: expect.stringMatching(/^cns-[0-9a-f-]{36}$/), patientRef: F.CONSENT.patientRef, grantee: F.CONSENT.grantee, period: F.CONSENT.period, provisions: F.CONSENT.provisions });
});

test('hostile or unsupported input is a 4xx OperationOutcome, and nothing reaches the ledger', async () => {
  const auth = await t.bearer('patient1');
  const valid = consentToFhir({ ...F.CONSENT, status: 'active' });
  const cases: [string, string, unknown][] = [
    ['POST', '/fhir/Consent', { ...valid, unknownElement: 1 }],
    ['POST', '/fhir/Consent', { ...valid, status: 'draft' }],
    ['POST', '/fhir/Consent', { ...valid, patient: { reference: 'Patient/../../x' } }],
    ['POST', '/fhir/Consent', '{"resourceType":"Consent",'],
    ['POST', '/fhir/Claim', { resourceType: 'Claim' }],
    ['GET', '/fhir/Consent?patient=pt-0c5f1a9e&bogus=1', undefined],
    ['GET', '/fhir/Consent', undefined],
    ['GET', '/fhir/Consent?patient=pt-0c5f1a9e&_cursor=nope', undefined],
    ['GET', '/fhir/AuditEvent?patient=pt-0c5f1a9e&date=yesterday', undefined],
    ['GET', '/fhir/Patient/pt-0c5f1a9e', undefined],
    ['GET', '/fhir/Provenance/no-version-suffix', undefined],
    ['GET', '/fhir/Consent/cns-001?_format=xml', undefined],
    ['POST', '/fhir/Claim', { ...claimToFhir({ ...F.CLAIM, provider: 'Hospital2MSP' }), extension: undefined, diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }] } }] }],
  ];
  for (const [method, url, payload] of cases) {
    const res = await t.inject({ method, url, payload, headers: { authorization: auth, ...(payload === undefined ? {} : { 'content-type': 'application/fhir+json' }) } });
    expect([url, res.statusCode >= 400 && res.statusCode < 500]).toEqual([url, true]);
    const body = fhirBody(res) as { resourceType: string; issue: { details: { coding: { system: string; code: string }[] } }[] };
    expect(body.resourceType).toBe('OperationOutcome');
    expect(body.issue[0]?.details.coding[0]?.system).toBe('urn:healthledger:problem');
  }
  expect(t.ledger.calls).toEqual([]);
});

test('the chaincode\'s refusal is the same code and status, as an OperationOutcome', async () => {
  answer = () => {
    throw chaincodeRefusal('CONSENT_NOT_FOUND: No such consent: cns-404');
  };
  const res = await get('patient1', '/fhir/Consent/cns-404');
  expect(res.statusCode).toBe(404);
  expect(fhirBody(res)).toMatchObject({ issue: [{ severity: 'error', code: 'not-found', details: { coding: [{ system: 'urn:healthledger:problem', code: 'CONSENT_NOT_FOUND' }] } }] });
});

test('no credentials: 401 OperationOutcome with the challenge', async () => {
  const res = await t.inject({ method: 'GET', url: '/fhir/metadata' });
  expect(res.statusCode).toBe(401);
  expect(res.headers['www-authenticate']).toBeDefined();
  expect(fhirBody(res)).toMatchObject({ issue: [{ code: 'login', details: { coding: [{ code: 'UNAUTHENTICATED' }] } }] });
});

test('AuditEvent search: the accounting of disclosures in the date window', async () => {
  answer = () => ({ items: [F.DISCLOSURE, F.DENIED_DISCLOSURE], bookmark: '' });
  const res = await get('patient1', '/fhir/AuditEvent?patient=pt-0c5f1a9e&date=ge2026-01-01&date=le2026-12-31');
  expect(res.statusCode).toBe(200);
  const bundle = fhirBody(res) as { entry: { resource: { outcome: string } }[] };
  expect(bundle.entry.map((e) => e.resource.outcome)).toEqual(['0', '4']);
  expect(t.ledger.calls[0]).toMatchObject({ kind: 'evaluate', call: { fn: 'audit:accountingOfDisclosures' } });
  expect(input(0)).toEqual({ patientRef: 'pt-0c5f1a9e', from: '2026-01-01', to: '2026-12-31', pageSize: 20 });
});

test('AuditEvent read calls audit:getDisclosure as the caller', async () => {
  answer = () => F.DISCLOSURE;
  const res = await get('patient1', `/fhir/AuditEvent/${F.DISCLOSURE.disclosureId}`);
  expect(res.statusCode).toBe(200);
  expect(fhirBody(res)).toMatchObject({ resourceType: 'AuditEvent', id: F.DISCLOSURE.disclosureId, outcome: '0' });
  expect(t.ledger.calls[0]).toMatchObject({ kind: 'evaluate', call: { fn: 'audit:getDisclosure' }, user: { name: 'patient1' } });
  expect(input(0)).toEqual({ disclosureId: F.DISCLOSURE.disclosureId });
});

test('DocumentReference and Provenance come from records:getRecord; the content is never fetched', async () => {
  answer = () => ({ ...F.RECORD, versions: F.VERSIONS });
  const doc = await get('clinician1', '/fhir/DocumentReference/rec-001');
  expect(fhirBody(doc)).toMatchObject({ content: [{ attachment: { url: '/records/rec-001/content' } }] });
  const prov = await get('clinician1', '/fhir/Provenance/rec-001-v2');
  expect(fhirBody(prov)).toMatchObject({ target: [{ reference: 'DocumentReference/rec-001/_history/2' }] });
  const search = await get('clinician1', '/fhir/Provenance?target=DocumentReference/rec-001');
  expect((fhirBody(search) as { entry: unknown[] }).entry).toHaveLength(2);
  const missing = await get('clinician1', '/fhir/Provenance/rec-001-v9');
  expect(missing.statusCode).toBe(404);
  expect(t.ledger.calls.map((c) => c.call.fn)).toEqual(['records:getRecord', 'records:getRecord', 'records:getRecord', 'records:getRecord']);
});

test('Claim create: claims:submit endorsed by provider and payer, diagnoses only as transient detail', async () => {
  answer = (c) => ({ ...F.CLAIM, ...JSON.parse(c.call.args?.[0] ?? '{}'), status: 'pended' });
  const sent = {
    ...claimToFhir(F.CLAIM),
    extension: undefined,
    diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }] } }],
  };
  const res = await t.inject({ method: 'POST', url: '/fhir/Claim', payload: sent, headers: { authorization: await t.bearer('clinician1') } });
  expect(res.statusCode).toBe(201);
  fhirBody(res);
  const call = t.ledger.calls[0]?.call;
  expect(call).toMatchObject({ fn: 'claims:submit', endorsingOrgs: ['Hospital1MSP', 'InsurerMSP'] });
  expect(call?.args?.[0]).not.toContain('E11.9');
  expect(JSON.parse(Buffer.from(call?.transient?.['detail'] ?? '{}').toString('utf8'))).toMatchObject({ diagnoses: [{ sequence: 1, code: 'E11.9' }] });
});

test('Claim and ClaimResponse search walk the ledger status lists, one ledger page per Bundle page', async () => {
  const view = { ...F.CLAIM, adjudication: F.CLAIM_RESPONSE.adjudication, appeal: F.CLAIM_RESPONSE.appeal };
  answer = (c) => (c.call.fn === 'claims:list' ? { items: [F.CLAIM, { ...F.CLAIM, claimId: 'clm-002', patientRef: 'pt-other' }], bookmark: '' } : view);
  const first = await get('adjudicator1', '/fhir/ClaimResponse?patient=pt-0c5f1a9e');
  const bundle = fhirBody(first) as { entry: unknown[]; link: { relation: string; url: string }[] };
  expect(bundle.entry).toHaveLength(1);
  expect(t.ledger.calls.map((c) => c.call.fn)).toEqual(['claims:list', 'claims:get']);
  expect(input(0)).toEqual({ status: 'pended', pageSize: 20 });
  const next = new URL(bundle.link.find((l) => l.relation === 'next')?.url ?? '');
  await get('adjudicator1', next.pathname + next.search);
  expect(input(2)).toEqual({ status: 'approved', pageSize: 20 });
  const one = await get('adjudicator1', '/fhir/Claim?ledger-status=paid');
  expect((fhirBody(one) as { link: { relation: string }[] }).link.map((l) => l.relation)).toEqual(['self']);
});

test('Coverage search: coverage:list by patient and status, paged by the ledger; no ledger call for a status it never holds', async () => {
  answer = () => ({ items: [F.COVERAGE, { ...F.COVERAGE, coverageId: 'cov-002', status: 'cancelled' }], bookmark: 'k1' });
  const res = await get('adjudicator1', '/fhir/Coverage?patient=Patient/pt-0c5f1a9e&_count=2');
  expect(res.statusCode).toBe(200);
  const bundle = fhirBody(res) as { type: string; entry: { resource: { id: string; status: string } }[]; link: { relation: string; url: string }[] };
  expect(bundle.type).toBe('searchset');
  expect(bundle.entry.map((e) => [e.resource.id, e.resource.status])).toEqual([[F.COVERAGE.coverageId, 'active'], ['cov-002', 'cancelled']]);
  expect(t.ledger.calls[0]).toMatchObject({ kind: 'evaluate', call: { fn: 'coverage:list' }, user: { name: 'adjudicator1' } });
  expect(input(0)).toEqual({ patientRef: 'pt-0c5f1a9e', pageSize: 2 });
  const next = new URL(bundle.link.find((l) => l.relation === 'next')?.url ?? '');
  answer = () => ({ items: [], bookmark: '' });
  await get('adjudicator1', `${next.pathname}${next.search}&status=cancelled`);
  expect(input(1)).toEqual({ patientRef: 'pt-0c5f1a9e', status: 'cancelled', pageSize: 2, bookmark: 'k1' });
  const draft = await get('adjudicator1', '/fhir/Coverage?patient=pt-0c5f1a9e&status=draft');
  expect((fhirBody(draft) as { entry?: unknown[] }).entry ?? []).toEqual([]);
  expect(t.ledger.calls).toHaveLength(2);
  const unscoped = await get('adjudicator1', '/fhir/Coverage?status=active');
  expect(unscoped.statusCode).toBe(400);
  expect(fhirBody(unscoped)).toMatchObject({ resourceType: 'OperationOutcome' });
});

test('property: malformed ids, queries and bodies on every FHIR route are a 4xx, never reach the ledger', async () => {
  const fc = await import('fast-check');
  const auth = await t.bearer('patient1');
  const routes = [
    ...['Consent', 'AuditEvent', 'DocumentReference', 'Provenance', 'Coverage', 'Claim', 'ClaimResponse'].map((type) => ({ method: 'GET', url: `/fhir/${type}/:id` })),
    ...['Consent', 'AuditEvent', 'DocumentReference', 'Provenance', 'Coverage', 'Claim', 'ClaimResponse'].map((type) => ({ method: 'GET', url: `/fhir/${type}` })),
    { method: 'POST', url: '/fhir/Consent' },
    { method: 'POST', url: '/fhir/Claim' },
  ];
  const badId = fc.constantFrom('%00', '-leading-dash', '<script>', "'%20OR%201=1", '%E2%80%AE', 'a'.repeat(200));
  const badQuery = fc.oneof(fc.constantFrom('zz=1', '_count=0', '_count=abc', '_count=1000', '_cursor=forged', 'patient=../x', 'date=soon'), fc.string({ maxLength: 12 }).map((s) => `zz_${encodeURIComponent(s)}=1`));
  const badBody = fc.oneof(
    fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.anything(), { maxLength: 3 })).map((v) => JSON.stringify(v)),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), fc.anything(), { maxKeys: 4 }).map((o) => JSON.stringify({ resourceType: 'Consent', ...o, zz_unknown: 1 })),
    fc.constantFrom('{', '{"a":', '\u0000', '{"__proto__":{"polluted":true}}x'),
  );
  for (const route of routes) {
    await fc.assert(
      fc.asyncProperty(badId, badQuery, badBody, async (id, query, body) => {
        const isPost = route.method === 'POST';
        const url = route.url.replace(':id', id) + (isPost ? '' : `?${query}`);
        const res = await t.inject({ method: route.method, url, payload: isPost ? body : undefined, headers: { authorization: auth, ...(isPost ? { 'content-type': 'application/fhir+json' } : {}) } });
        if (res.statusCode < 400 || res.statusCode >= 500) throw new Error(`${route.method} ${url} → ${res.statusCode}`);
      }),
      { numRuns: 15 },
    );
  }
  expect(t.ledger.calls).toEqual([]);
});
