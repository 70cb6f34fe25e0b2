import { createHash } from 'node:crypto';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { SMALL_CELL_THRESHOLD, type DisclosureEntry, type RecordCounts, type Subject, type Trial } from '@healthledger/contract-api';
import type { TestIdentity } from '../testing/identities';
import { clinicalContent, createRecord, OTHER_PATIENT, PATIENT, recordsFixture } from '../testing/records-fixture';
import { ResearchContract } from './contract';

const H1 = 'Hospital1MSP';
const H2 = 'Hospital2MSP';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const PROTOCOL = 'Protocol v1: randomised, double blind';
const PLAN = 'Statistical analysis plan v1';
const OUTCOMES = 'Primary outcome: HbA1c at 26 weeks';
const RESULTS = 'Results: difference -0.4 (95% CI -0.6 to -0.2)';
const HOUR = 3_600_000;
/** A composite key as the shim builds it. */
const key = (...parts: string[]) => `\u0000${parts.join('\u0000')}\u0000`;
/** The organisations a key's state-based endorsement policy names. */
const endorsers = (ledger: { validationParameter(key: string): Uint8Array | undefined }, k: string) => new KeyEndorsementPolicy(Buffer.from(ledger.validationParameter(k) ?? [])).listOrgs();

async function setup() {
  const f = await recordsFixture([new ResearchContract()]);
  const { submit, evaluate, users } = f;
  const register = (who: TestIdentity = users.researcher1, over: Record<string, unknown> = {}) =>
    submit<Trial>(who, 'research:registerTrial', { trialId: 'trial-1', registryId: 'NCT01234567', sites: [H1, H2], protocolHash: sha(PROTOCOL), analysisPlanHash: sha(PLAN), ...over });
  const anchor = (kind: string, text: string, over: Record<string, unknown> = {}, who: TestIdentity = users.researcher1) =>
    submit<Trial>(who, 'research:anchorDocument', { trialId: 'trial-1', kind, hash: sha(text), ...over });
  const verify = (text: string, kind?: string) => evaluate<Record<string, unknown>>(users.clinician2, 'research:verifyDocument', { trialId: 'trial-1', kind }, { transient: { document: text } });
  const consent = (over: Record<string, unknown> = {}, who: TestIdentity = users.patient) =>
    submit(who, 'consent:grantConsent', {
      consentId: 'c-trial', patientRef: PATIENT, grantee: { org: H1, role: 'researcher' }, period: { start: '2026-01-01' }, trialId: 'trial-1',
      provisions: [{ type: 'permit', actions: ['access'], purposes: ['HRESCH'], categories: ['lab-result'] }], ...over,
    });
  const enrol = (over: Record<string, unknown> = {}, who: TestIdentity = users.clinician2) =>
    submit<Subject>(who, 'research:enrolSubject', { trialId: 'trial-1', subjectId: 'subj-1', patientRef: PATIENT, consentId: 'c-trial', ...over });
  const release = (categories = ['lab-result', 'imaging'], who: TestIdentity = users.researcher1) =>
    submit<{ disclosures: DisclosureEntry[] }>(who, 'research:releaseData', { trialId: 'trial-1', subjectId: 'subj-1', categories });
  const record = (recordId: string, category: string, patientRef = PATIENT, who: TestIdentity = users.clinician1) =>
    createRecord(submit, who, { recordId, patientRef, category }, clinicalContent(recordId));
  /** A trial with its outcomes anchored and one consenting subject enrolled at hospital 2. */
  const enrolled = async () => {
    await register();
    await anchor('outcomes', OUTCOMES);
    await consent();
    return enrol();
  };
  return { ...f, register, anchor, verify, consent, enrol, release, record, enrolled };
}

describe('research: trial registration and anchoring', () => {
  it('registers a trial at the transaction time, owned by the sponsor alone', async () => {
    const { register, ledger, evaluate, users } = await setup();
    ledger.setTime('2026-04-01T10:00:00.000Z');
    const trial = await register();
    expect(trial).toMatchObject({ trialId: 'trial-1', sponsor: H1, status: 'active', registered: '2026-04-01T10:00:00.000Z', sites: [H1, H2] });
    expect(trial.documents.map((d) => [d.kind, d.version, d.anchoredAt])).toEqual([['protocol', 1, trial.registered], ['analysis-plan', 1, trial.registered]]);
    expect(endorsers(ledger, key('trial', 'trial-1'))).toEqual([H1]);
    expect(await evaluate(users.manufacturer, 'research:getTrial', { trialId: 'trial-1' })).toEqual(trial);
  });

  it.each([
    ['clinician1', /^ROLE_FORBIDDEN/],
    ['patient', /^ROLE_FORBIDDEN/],
    ['insurerResearcher', /^ORG_FORBIDDEN/],
  ] as const)('refuses registration by %s', async (who, error) => {
    const { register, users } = await setup();
    await expect(register(users[who])).rejects.toThrow(error);
  });

  it('refuses a duplicate trial and a site outside the consortium', async () => {
    const { register } = await setup();
    await register();
    await expect(register()).rejects.toThrow(/^TRIAL_EXISTS/);
    await expect(register(undefined, { trialId: 'trial-2', sites: ['NowhereMSP'] })).rejects.toThrow(/^VALIDATION_FAILED.*sites/);
  });

  it('versions a protocol amendment that takes effect no earlier than its anchoring', async () => {
    const { register, anchor, ledger } = await setup();
    await register();
    ledger.advance(HOUR);
    const amended = await anchor('protocol', 'Protocol v2', { effectiveFrom: '2026-12-01T00:00:00Z' });
    expect(amended.documents.at(-1)).toMatchObject({ kind: 'protocol', version: 2, effectiveFrom: '2026-12-01T00:00:00.000Z' });
    await expect(anchor('protocol', 'Protocol v3', { effectiveFrom: '2026-01-01T00:00:00Z' })).rejects.toThrow(/^TRIAL_EFFECTIVE_BEFORE_ANCHOR/);
  });

  it('lets only the sponsor anchor', async () => {
    const { register, anchor, users } = await setup();
    await register();
    await expect(anchor('outcomes', OUTCOMES, {}, users.researcher2)).rejects.toThrow(/^ORG_FORBIDDEN/);
    await expect(anchor('outcomes', OUTCOMES, {}, users.clinician1)).rejects.toThrow(/^ROLE_FORBIDDEN/);
  });

  it('anchors outcomes before the first enrolment only, and results before unblinding only', async () => {
    const { enrolled, anchor, submit, users } = await setup();
    await enrolled();
    await expect(anchor('outcomes', 'Switched outcome')).rejects.toThrow(/^TRIAL_ANCHOR_TOO_LATE/);
    const unblind = () => submit(users.researcher1, 'research:unblindTrial', { trialId: 'trial-1' });
    await expect(unblind()).rejects.toThrow(/^TRIAL_RESULTS_NOT_ANCHORED/);
    await anchor('results', RESULTS);
    await expect(unblind()).resolves.toMatchObject({ status: 'unblinded' });
    await expect(anchor('results', 'Results, revised after unblinding')).rejects.toThrow(/^TRIAL_ANCHOR_TOO_LATE/);
    await expect(anchor('analysis-plan', 'Plan v2')).rejects.toThrow(/^TRIAL_ANCHOR_TOO_LATE/);
  });

  it('verifies a presented document: which version, when anchored, whether superseded; a tampered copy matches nothing', async () => {
    const { register, anchor, verify, ledger } = await setup();
    const trial = await register();
    ledger.advance(HOUR);
    await anchor('protocol', 'Protocol v2');
    await expect(verify(PROTOCOL)).resolves.toMatchObject({ matches: true, kind: 'protocol', version: 1, anchoredAt: trial.registered, latest: false });
    await expect(verify('Protocol v2', 'protocol')).resolves.toMatchObject({ matches: true, version: 2, latest: true });
    await expect(verify(PROTOCOL, 'results')).resolves.toEqual({ trialId: 'trial-1', presentedHash: sha(PROTOCOL), matches: false });
    await expect(verify(`${PROTOCOL} `)).resolves.toMatchObject({ matches: false });
  });

  it("keeps every version of the trial in its key history, for an auditor to compare", async () => {
    const { register, anchor, evaluate, users } = await setup();
    await register();
    await anchor('outcomes', OUTCOMES);
    const history = await evaluate<{ items: { value: Trial }[] }>(users.auditor3, 'audit:history', { assetType: 'trial', id: 'trial-1' });
    expect(history.items.map((e) => e.value.documents.length)).toEqual([3, 2]);
  });

  it("keeps an anchored document in the sponsor's implicit collection, and only the anchored bytes", async () => {
    const { register, submit, users, ledger } = await setup();
    await register();
    const deposit = (text: string, version = 1) => submit(users.researcher1, 'research:depositDocument', { trialId: 'trial-1', kind: 'protocol', version }, { transient: { document: text } });
    await expect(deposit(PROTOCOL)).resolves.toMatchObject({ version: 1, hash: sha(PROTOCOL) });
    expect(Buffer.from(ledger.privateHash(`_implicit_org_${H1}`, key('trial-document', 'trial-1', 'protocol', '1'))!).toString('hex')).toBe(sha(PROTOCOL));
    await expect(deposit('Not the protocol')).rejects.toThrow(/^CONTENT_HASH_MISMATCH/);
    await expect(deposit(PROTOCOL, 2)).rejects.toThrow(/^TRIAL_DOCUMENT_NOT_FOUND/);
  });

  it('closes a trial: no more enrolments, anchoring or releases', async () => {
    const { enrolled, anchor, enrol, release, submit, users } = await setup();
    await enrolled();
    await submit(users.researcher1, 'research:closeTrial', { trialId: 'trial-1' });
    await expect(anchor('results', RESULTS)).rejects.toThrow(/^TRIAL_NOT_ACTIVE/);
    await expect(enrol({ subjectId: 'subj-2' })).rejects.toThrow(/^TRIAL_NOT_ACTIVE/);
    await expect(release()).rejects.toThrow(/^TRIAL_NOT_ACTIVE/);
  });
});

describe('research: consent and enrolment', () => {
  it('ties a research consent to the trial: granted to its sponsor, for HRESCH only', async () => {
    const { register, consent } = await setup();
    await expect(consent()).rejects.toThrow(/^TRIAL_NOT_FOUND/);
    await register();
    await expect(consent({ grantee: { org: H2 } })).rejects.toThrow(/^VALIDATION_FAILED.*sponsor/);
    await expect(consent({ provisions: [{ type: 'permit', actions: ['access'], purposes: ['TREAT'] }] })).rejects.toThrow(/^VALIDATION_FAILED.*HRESCH/);
    await expect(consent()).resolves.toMatchObject({ trialId: 'trial-1', status: 'active' });
  });

  it('enrols a consenting patient at a site once the outcomes are anchored', async () => {
    const { register, anchor, consent, enrol, users, evaluate, ledger } = await setup();
    await register();
    await consent();
    await expect(enrol()).rejects.toThrow(/^TRIAL_OUTCOMES_NOT_ANCHORED/);
    await anchor('outcomes', OUTCOMES);
    const subject = await enrol();
    expect(subject).toMatchObject({ subjectId: 'subj-1', site: H2, status: 'enrolled', consentId: 'c-trial' });
    expect(endorsers(ledger, key('trial-subject', 'trial-1', 'subj-1'))).toEqual([H2]);
    await expect(enrol()).rejects.toThrow(/^SUBJECT_EXISTS/);
    for (const who of [users.researcher1, users.clinician2, users.patient, users.auditor3]) await expect(evaluate(who, 'research:getSubject', { trialId: 'trial-1', subjectId: 'subj-1' })).resolves.toEqual(subject);
    await expect(evaluate(users.adjudicator, 'research:getSubject', { trialId: 'trial-1', subjectId: 'subj-1' })).rejects.toThrow(/^ORG_FORBIDDEN/);
    await expect(evaluate(users.otherPatient, 'research:getSubject', { trialId: 'trial-1', subjectId: 'subj-1' })).rejects.toThrow(/^NOT_PATIENT_OR_DELEGATE/);
  });

  it.each([
    ['a consent of another patient', { patientRef: OTHER_PATIENT }, /^CONSENT_NOT_FOR_TRIAL/],
    ['an unknown consent', { consentId: 'c-none' }, /^CONSENT_NOT_FOUND/],
  ] as const)('refuses enrolment on %s', async (_, over, error) => {
    const { register, anchor, consent, enrol } = await setup();
    await register();
    await anchor('outcomes', OUTCOMES);
    await consent();
    await expect(enrol(over)).rejects.toThrow(error);
  });

  it('refuses enrolment on a revoked consent, by a non-site organisation, and by the wrong role', async () => {
    const { register, anchor, consent, enrol, submit, users } = await setup();
    await register(undefined, { sites: [H2] });
    await anchor('outcomes', OUTCOMES);
    await consent();
    await expect(enrol({}, users.clinician1)).rejects.toThrow(/^NOT_TRIAL_SITE/);
    await expect(enrol({}, users.recordsAdmin2)).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await expect(enrol({}, users.insurerClinician)).rejects.toThrow(/^ORG_FORBIDDEN/);
    await submit(users.patient, 'consent:revokeConsent', { consentId: 'c-trial' });
    await expect(enrol()).rejects.toThrow(/^CONSENT_NOT_FOR_TRIAL/);
  });

  it('withdraws a subject (the patient, or the site), revoking the research consent; recorded and final', async () => {
    const { enrolled, submit, evaluate, users } = await setup();
    await enrolled();
    // The subject belongs to the enrolling site (state-based endorsement): its peer endorses too.
    const withdraw = (who: TestIdentity) => submit<Subject>(who, 'research:withdrawSubject', { trialId: 'trial-1', subjectId: 'subj-1' }, { endorsers: [H1, H2] });
    await expect(withdraw(users.otherPatient)).rejects.toThrow(/^NOT_PATIENT_OR_DELEGATE/);
    await expect(withdraw(users.clinician1)).rejects.toThrow(/^ORG_FORBIDDEN/);
    await expect(withdraw(users.patient)).resolves.toMatchObject({ status: 'withdrawn', withdrawnAt: expect.any(String) as string });
    await expect(evaluate(users.patient, 'consent:getConsent', { consentId: 'c-trial' })).resolves.toMatchObject({ status: 'inactive' });
    await expect(withdraw(users.clinician2)).rejects.toThrow(/^SUBJECT_WITHDRAWN/);
  });
});

describe('research: consented data release', () => {
  it("decides each record per patient, logs every decision as a disclosure, and serves granted content from the custodian's peer", async () => {
    const { enrolled, record, release, ledger, users, evaluate } = await setup();
    await record('rec-lab', 'lab-result');
    await record('rec-img', 'imaging');
    await record('rec-note', 'clinical-note');
    await enrolled();
    const { disclosures } = await release();
    expect(disclosures.map((d) => [d.entity.recordId, d.outcome, d.reason, d.trialId, d.purpose])).toEqual([
      ['rec-img', 'denied', 'no-consent', 'trial-1', 'HRESCH'],
      ['rec-lab', 'granted', undefined, 'trial-1', 'HRESCH'],
    ]);
    const logged = await evaluate<DisclosureEntry>(users.auditor1, 'audit:getDisclosure', { disclosureId: disclosures[1]?.disclosureId });
    expect(logged).toEqual(disclosures[1]);
    const read = (peer: string) => evaluate<{ data: string; contentType: string }>(users.researcher1, 'records:readContent', { recordId: 'rec-lab' }, { peer });
    // readContent answers the stored bytes (base64) and their media type; the shape (not the synthetic PHI) is what is checked.
    const granted = await read(H1);
    expect(granted.contentType).toBe('application/json');
    expect(Buffer.from(granted.data, 'base64').toString('utf8')).toContain('DocumentReference');
    await expect(read(H2)).rejects.toThrow(/^WRONG_PEER/);
    await expect(evaluate(users.researcher1, 'records:readContent', { recordId: 'rec-img' })).rejects.toThrow(/^ACCESS_NOT_GRANTED/);
    expect(ledger.events.at(-1)?.payload).toMatchObject({ changes: [{ type: 'disclosure', action: 'denied' }, { type: 'disclosure', action: 'granted' }] });
  });

  it('gives nothing through an ordinary access request: a trial consent opens that trial only', async () => {
    const { enrolled, record, submit, users } = await setup();
    await record('rec-lab', 'lab-result');
    await enrolled();
    await expect(submit(users.researcher1, 'records:requestAccess', { recordId: 'rec-lab', purpose: 'HRESCH' })).resolves.toMatchObject({ outcome: 'denied', reason: 'no-consent' });
  });

  it('refuses a withdrawn subject, and ends an open read window at the next transaction', async () => {
    const { enrolled, record, release, submit, evaluate, users } = await setup();
    await record('rec-lab', 'lab-result');
    await enrolled();
    await release();
    await submit(users.patient, 'research:withdrawSubject', { trialId: 'trial-1', subjectId: 'subj-1' }, { endorsers: [H1, H2] });
    await expect(release()).rejects.toThrow(/^SUBJECT_WITHDRAWN/);
    await expect(evaluate(users.researcher1, 'records:readContent', { recordId: 'rec-lab' })).rejects.toThrow(/^ACCESS_NOT_GRANTED/);
  });

  it('denies the release once the patient revokes the research consent directly', async () => {
    const { enrolled, record, release, submit, users } = await setup();
    await record('rec-lab', 'lab-result');
    await enrolled();
    await submit(users.patient, 'consent:revokeConsent', { consentId: 'c-trial' });
    const { disclosures } = await release(['lab-result']);
    expect(disclosures.map((d) => [d.outcome, d.reason])).toEqual([['denied', 'no-consent']]);
  });

  it.each([
    ['researcher2', /^ORG_FORBIDDEN/],
    ['clinician1', /^ROLE_FORBIDDEN/],
    ['patient', /^ROLE_FORBIDDEN/],
  ] as const)('refuses a release requested by %s', async (who, error) => {
    const { enrolled, release, users } = await setup();
    await enrolled();
    await expect(release(undefined, users[who])).rejects.toThrow(error);
  });
});

describe('research: aggregate counts', () => {
  it(`counts records of research-consenting patients by category and custodian, suppressing cells below ${SMALL_CELL_THRESHOLD}`, async () => {
    const { record, submit, evaluate, users } = await setup();
    for (let i = 0; i < SMALL_CELL_THRESHOLD; i++) await record(`lab-${i}`, 'lab-result');
    await record('img-1', 'imaging');
    await record('note-1', 'clinical-note');
    await record('other-lab', 'lab-result', OTHER_PATIENT, users.clinician2);
    await submit(users.patient, 'consent:grantConsent', {
      consentId: 'c-research', patientRef: PATIENT, grantee: { org: H1 }, period: { start: '2026-01-01' },
      provisions: [{ type: 'permit', actions: ['use'], purposes: ['HRESCH'] }, { type: 'deny', actions: ['use'], purposes: ['HRESCH'], categories: ['clinical-note'] }],
    });
    const counts = await evaluate<RecordCounts>(users.researcher2, 'research:countRecords', {});
    expect(counts).toMatchObject({
      threshold: SMALL_CELL_THRESHOLD,
      cells: [
        { category: 'lab-result', custodian: H1, suppressed: false, count: SMALL_CELL_THRESHOLD },
        { category: 'imaging', custodian: H1, suppressed: true },
      ],
    });
    expect(counts.cells.filter((c) => c.count !== undefined && c.count < SMALL_CELL_THRESHOLD)).toEqual([]);
    await expect(evaluate(users.clinician1, 'research:countRecords', {})).rejects.toThrow(/^ROLE_FORBIDDEN/);
  });
});
