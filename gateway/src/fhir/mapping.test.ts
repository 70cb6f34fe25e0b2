/**
 * Every mapping, both directions: the ledger's compact value → FHIR → the same compact value,
 * and every emitted resource valid against the official FHIR R4 JSON schema and the R4
 * invariants that apply. The create directions (Consent, Claim) are checked from resources a
 * FHIR client would send.
 */
import { schemaResourceTypes, fhirProblems } from '../testing/fhir-validator';
import * as F from './ledger-examples';
import { disclosureFromFhir, disclosureToFhir } from './audit-event';
import { claimFromEmitted, claimFromFhir, claimToFhir } from './claim';
import { claimResponseFromFhir, claimResponseToFhir } from './claim-response';
import { consentFromEmitted, consentFromFhir, consentToFhir } from './consent';
import { coverageFromFhir, coverageToFhir } from './coverage';
import { recordFromFhir, recordToFhir } from './document-reference';
import { versionFromFhir, versionToFhir } from './provenance';
import { subjectFromFhir, subjectToFhir, trialFromFhir, trialToFhir } from './research-study';

test('the schema is R4 exactly: every R4 resource type, none of the packager\'s own', () => {
  const types = schemaResourceTypes();
  expect(types).toHaveLength(146);
  expect(types).toEqual(expect.arrayContaining(['Consent', 'AuditEvent', 'Coverage', 'Claim', 'ClaimResponse', 'Provenance', 'DocumentReference', 'Bundle', 'OperationOutcome', 'CapabilityStatement']));
  expect(types).not.toContain('Project');
});

test('the validator refuses what R4 refuses', () => {
  const good = consentToFhir(F.CONSENT);
  expect(fhirProblems({ ...good, consentId: 'x' })).toEqual(expect.arrayContaining([expect.stringContaining('additional')]));
  expect(fhirProblems({ ...good, status: 'revoked' }).length).toBeGreaterThan(0);
  const { policyRule: _p, ...noPolicy } = good;
  expect(fhirProblems(noPolicy)).toContain('ppc-1: Consent needs policy or policyRule');
  const { patient: _pt, ...noPatient } = good;
  expect(fhirProblems(noPatient)).toContain('ppc-2: a patient-privacy Consent needs a patient');
  expect(fhirProblems({ ...good, extension: [{ url: 'u', valueString: 'a', extension: [{ url: 'v', valueString: 'b' }] }] })).toContain(
    'ext-1: Consent.extension[0] has both extensions and a value',
  );
  expect(fhirProblems({ ...good, identifier: [] })).toContain('ele-1: Consent.identifier is empty');
});

describe.each([
  ['Consent', F.CONSENT, consentToFhir, consentFromEmitted],
  ['Consent (minimal, id not a FHIR id)', F.MINIMAL_CONSENT, consentToFhir, consentFromEmitted],
  ['AuditEvent (granted)', F.DISCLOSURE, disclosureToFhir, disclosureFromFhir],
  ['AuditEvent (denied)', F.DENIED_DISCLOSURE, disclosureToFhir, disclosureFromFhir],
  ['Coverage', F.COVERAGE, coverageToFhir, coverageFromFhir],
  ['Claim', F.CLAIM, claimToFhir, claimFromEmitted],
  ['ClaimResponse', F.CLAIM_RESPONSE, claimResponseToFhir, claimResponseFromFhir],
  ['ClaimResponse (pended, zero-decimal currency)', F.PENDED_RESPONSE, claimResponseToFhir, claimResponseFromFhir],
  ['DocumentReference', F.RECORD, recordToFhir, recordFromFhir],
  ['Consent (research scope, tied to a trial)', F.TRIAL_CONSENT, consentToFhir, consentFromEmitted],
  ['ResearchStudy', F.TRIAL, trialToFhir, trialFromFhir],
  ['ResearchSubject', F.SUBJECT, subjectToFhir, subjectFromFhir],
] as [string, unknown, (v: never) => unknown, (r: never) => unknown][])('%s', (_name, compact, toFhir, fromFhir) => {
  const resource = toFhir(compact as never);

  test('is a valid R4 resource', () => expect(fhirProblems(resource)).toEqual([]));
  test('maps back to the same compact value', () => expect(fromFhir(JSON.parse(JSON.stringify(resource)) as never)).toEqual(compact));
  test('names the patient only by pseudonymous reference', () => {
    const text = JSON.stringify(resource);
    expect(text).not.toMatch(/"resourceType":"Patient"/);
    if (text.includes('pt-0c5f1a9e')) expect(text).toMatch(/"Patient\/pt-0c5f1a9e"/);
  });
});

describe.each(F.VERSIONS.map((v) => [v.version, v] as const))('Provenance of version %i', (_n, version) => {
  const resource = versionToFhir('rec-001', version);
  test('is a valid R4 resource', () => expect(fhirProblems(resource)).toEqual([]));
  test('maps back to the same version', () => expect(versionFromFhir(JSON.parse(JSON.stringify(resource)))).toEqual({ recordId: 'rec-001', version }));
});

test('AuditEvent codes: DICOM Patient Record, action R, outcome 0 or 4, purpose of use', () => {
  const granted = disclosureToFhir(F.DISCLOSURE);
  expect(granted).toMatchObject({
    type: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: '110110' },
    action: 'R',
    outcome: '0',
    purposeOfEvent: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActReason', code: 'TREAT' }] }],
  });
  expect(disclosureToFhir(F.DENIED_DISCLOSURE).outcome).toBe('4');
});

test('a FHIR Consent from a client becomes grantConsent\'s request', () => {
  const resource = consentToFhir(F.CONSENT);
  const { id: _id, identifier: _identifier, ...sent } = resource;
  const request = consentFromFhir({ ...sent, status: 'active' }, () => 'cns-new');
  const { status: _s, recorded: _r, revokedAt: _v, updatedBy: _u, ...expected } = F.CONSENT;
  expect(request).toEqual({ ...expected, consentId: 'cns-new' });
  expect(() => consentFromFhir({ ...resource, scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'adr' }] } }, () => 'x')).toThrow(/patient-privacy/);
  // A research consent names its trial, and a privacy consent names none.
  expect(() => consentFromFhir({ ...resource, scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'research' }] } }, () => 'x')).toThrow(/names its trial/);
  const research = consentToFhir(F.TRIAL_CONSENT);
  expect(() => consentFromFhir({ ...research, scope: resource.scope }, () => 'x')).toThrow(/names its trial/);
  expect(consentFromFhir(research, () => 'x')).toMatchObject({ trialId: 'trial-1', provisions: [{ purposes: ['HRESCH'] }] });
  expect(() => consentFromFhir({ ...resource, patient: { reference: 'Practitioner/x' } }, () => 'x')).toThrow(/Patient/);
});

test('a FHIR Claim from a client becomes submit\'s request and private detail', () => {
  const resource = claimToFhir(F.CLAIM);
  const sent = {
    ...resource,
    diagnosis: [{ sequence: 1, diagnosisCodeableConcept: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }] } }],
    procedure: [{ sequence: 1, procedureCodeableConcept: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '82947' }] } }],
    item: resource.item?.map((item, i) => (i === 0 ? { ...item, procedureSequence: [1] } : item)),
  };
  expect(fhirProblems(sent)).toEqual([]);
  const { request, detail } = claimFromFhir(sent, () => 'unused');
  expect(request).toEqual({
    claimId: 'clm-001',
    patientRef: F.CLAIM.patientRef,
    payer: F.CLAIM.payer,
    coverageId: F.CLAIM.coverageId,
    serviceDate: F.CLAIM.serviceDate,
    currency: 'USD',
    items: F.CLAIM.items.map(({ sequence: _s, ...line }) => line),
    total: F.CLAIM.total,
  });
  expect(detail).toEqual({
    nonce: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
    diagnoses: [{ sequence: 1, code: 'E11.9' }],
    procedures: [{ sequence: 1, system: 'CPT', code: '82947', itemSequences: [1] }],
  });
  expect(() => claimFromFhir({ ...sent, total: { value: 1.234, currency: 'USD' } }, () => 'x')).toThrow(/decimals/);
});
