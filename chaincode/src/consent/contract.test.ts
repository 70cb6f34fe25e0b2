import { createRecord, clinicalContent, GUARDIAN, OTHER_PATIENT, PATIENT, recordsFixture } from '../testing/records-fixture';
import type { Consent } from './access';

const H1 = 'Hospital1MSP';
const H2 = 'Hospital2MSP';

function grantRequest(over: Record<string, unknown> = {}) {
  return {
    consentId: 'c-1',
    patientRef: PATIENT,
    grantee: { org: H2 },
    period: { start: '2026-01-01', end: '2026-12-31' },
    provisions: [{ type: 'permit', actions: ['access'], purposes: ['TREAT'], categories: ['lab-result'] }],
    ...over,
  };
}

async function setup() {
  const f = await recordsFixture();
  const grant = (who = f.users.patient, over: Record<string, unknown> = {}) => f.submit<Consent>(who, 'consent:grantConsent', grantRequest(over));
  const delegate = (fn: 'registerDelegate' | 'removeDelegate', who = f.users.patient, delegateId = GUARDIAN, patientRef = PATIENT) =>
    f.submit(who, `consent:${fn}`, { patientRef, delegateId });
  return { ...f, grant, delegate };
}

describe('consent:grantConsent', () => {
  it('records an active consent indexed by patient, announced without PHI', async () => {
    const { grant, evaluate, users, ledger } = await setup();
    const consent = await grant();
    expect(consent).toMatchObject({ consentId: 'c-1', status: 'active', patientRef: PATIENT, grantee: { org: H2 }, updatedBy: { role: 'patient', org: H1 } });
    expect(ledger.events.at(-1)?.payload).toMatchObject({ changes: [{ type: 'consent', id: 'c-1', action: 'granted', grantee: H2 }] });
    expect(await evaluate(users.patient, 'consent:getConsent', { consentId: 'c-1' })).toEqual(consent);
  });

  it('is endorsed identically on two peers (determinism)', async () => {
    const { ledger, users } = await setup();
    await expect(ledger.submit(users.patient, 'consent:grantConsent', [JSON.stringify(grantRequest())], { endorsers: [H1, H2] })).resolves.toContain('"status":"active"');
  });

  it.each([
    ['clinician1', /^ROLE_FORBIDDEN/],
    ['auditor1', /^ROLE_FORBIDDEN/],
    ['otherPatient', /^NOT_PATIENT_OR_DELEGATE/],
    ['guardian', /^NOT_PATIENT_OR_DELEGATE/],
    ['patientNoId', /^IDENTITY_INVALID/],
  ] as const)('refuses %s', async (who, error) => {
    const { grant, users } = await setup();
    await expect(grant(users[who])).rejects.toThrow(error);
  });

  it('accepts a registered delegate, and no longer once removed', async () => {
    const { grant, delegate, users } = await setup();
    await delegate('registerDelegate');
    await expect(grant(users.guardian)).resolves.toMatchObject({ updatedBy: { role: 'patient' } });
    await delegate('removeDelegate');
    await expect(grant(users.guardian, { consentId: 'c-2' })).rejects.toThrow(/^NOT_PATIENT_OR_DELEGATE/);
  });

  it.each([
    ['an end before the start', { period: { start: '2026-02-01', end: '2026-01-31' } }, /request\/period/],
    ['an impossible date', { period: { start: '2026-02-30' } }, /request\/period/],
    ['an unknown grantee organisation', { grantee: { org: 'NowhereMSP' } }, /request\/grantee\/org/],
    ['no provisions', { provisions: [] }, /request\/provisions/],
    ['an unknown purpose', { provisions: [{ type: 'permit', actions: ['access'], purposes: ['FUN'] }] }, /request\/provisions\/0\/purposes/],
    ['an unknown action', { provisions: [{ type: 'permit', actions: ['sell'], purposes: ['TREAT'] }] }, /request\/provisions\/0\/actions/],
    ['an unknown category', { provisions: [{ type: 'permit', actions: ['access'], purposes: ['TREAT'], categories: ['dna'] }] }, /request\/provisions\/0\/categories/],
    ['an unknown field', { note: 'free text' }, /VALIDATION_FAILED/],
  ])('rejects %s', async (_what, over, error) => {
    const { grant, users } = await setup();
    await expect(grant(users.patient, over)).rejects.toThrow(error);
  });

  it('refuses a duplicate id', async () => {
    const { grant } = await setup();
    await grant();
    await expect(grant()).rejects.toThrow(/^CONSENT_EXISTS/);
  });
});

describe('consent:revokeConsent', () => {
  it('sets the consent inactive; the next access is denied', async () => {
    const { grant, submit, users } = await setup();
    await createRecord(submit, users.clinician1, { recordId: 'rec-1', patientRef: PATIENT, category: 'lab-result' }, clinicalContent());
    await grant();
    expect(await submit(users.clinician2, 'records:requestAccess', { recordId: 'rec-1', purpose: 'TREAT' })).toMatchObject({ outcome: 'granted' });
    const revoked = await submit<Consent>(users.patient, 'consent:revokeConsent', { consentId: 'c-1' });
    expect(revoked).toMatchObject({ status: 'inactive', revokedAt: expect.any(String) });
    expect(await submit(users.clinician2, 'records:requestAccess', { recordId: 'rec-1', purpose: 'TREAT' })).toMatchObject({ outcome: 'denied' });
    await expect(submit(users.patient, 'consent:revokeConsent', { consentId: 'c-1' })).rejects.toThrow(/^CONSENT_NOT_ACTIVE/);
  });

  it('is for the patient or a delegate only', async () => {
    const { grant, submit, delegate, users } = await setup();
    await grant();
    await expect(submit(users.clinician2, 'consent:revokeConsent', { consentId: 'c-1' })).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await expect(submit(users.otherPatient, 'consent:revokeConsent', { consentId: 'c-1' })).rejects.toThrow(/^NOT_PATIENT_OR_DELEGATE/);
    await expect(submit(users.patient, 'consent:revokeConsent', { consentId: 'c-9' })).rejects.toThrow(/^CONSENT_NOT_FOUND/);
    await delegate('registerDelegate');
    await expect(submit(users.guardian, 'consent:revokeConsent', { consentId: 'c-1' })).resolves.toMatchObject({ status: 'inactive' });
  });
});

describe('consent:getConsent and listConsents', () => {
  it.each([
    ['auditor3', true],
    ['clinician2', true],
    ['recordsAdmin2', true],
    ['clinician1', /^ROLE_FORBIDDEN/],
    ['adjudicator', /^ROLE_FORBIDDEN/],
    ['otherPatient', /^NOT_PATIENT_OR_DELEGATE/],
  ] as const)('getConsent by %s: %s', async (who, expected) => {
    const { grant, evaluate, users } = await setup();
    await grant();
    const read = evaluate(users[who], 'consent:getConsent', { consentId: 'c-1' });
    if (expected === true) await expect(read).resolves.toMatchObject({ consentId: 'c-1' });
    else await expect(read).rejects.toThrow(expected);
  });

  it('pages a patient\'s consents for the patient and auditors only', async () => {
    const { grant, evaluate, users } = await setup();
    for (const id of ['c-1', 'c-2', 'c-3']) await grant(users.patient, { consentId: id });
    const first = await evaluate<{ items: Consent[]; bookmark: string }>(users.patient, 'consent:listConsents', { patientRef: PATIENT, pageSize: 2 });
    expect(first.items.map((c) => c.consentId)).toEqual(['c-1', 'c-2']);
    const rest = await evaluate<{ items: Consent[]; bookmark: string }>(users.auditor1, 'consent:listConsents', { patientRef: PATIENT, bookmark: first.bookmark });
    expect(rest).toEqual({ items: [expect.objectContaining({ consentId: 'c-3' })], bookmark: '' });
    await expect(evaluate(users.clinician2, 'consent:listConsents', { patientRef: PATIENT })).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await expect(evaluate(users.otherPatient, 'consent:listConsents', { patientRef: PATIENT })).rejects.toThrow(/^NOT_PATIENT_OR_DELEGATE/);
    await expect(evaluate(users.auditor1, 'consent:getConsent', { consentId: 'c-9' })).rejects.toThrow(/^CONSENT_NOT_FOUND/);
    await expect(evaluate(users.auditor1, 'consent:getConsent', { consentId: '' })).rejects.toThrow(/request\/consentId/);
  });
});

describe('consent delegates', () => {
  it('registers, lists and removes a guardian', async () => {
    const { delegate, evaluate, users, ledger } = await setup();
    await expect(delegate('registerDelegate')).resolves.toMatchObject({ patientRef: PATIENT, delegateId: GUARDIAN });
    expect(ledger.events.at(-1)?.payload).toMatchObject({ changes: [{ type: 'delegate', action: 'registered' }] });
    expect(await evaluate(users.guardian, 'consent:listDelegates', { patientRef: PATIENT })).toEqual({ items: [expect.objectContaining({ delegateId: GUARDIAN })] });
    await expect(delegate('registerDelegate')).rejects.toThrow(/^DELEGATE_EXISTS/);
    await delegate('removeDelegate');
    expect(await evaluate(users.auditor1, 'consent:listDelegates', { patientRef: PATIENT })).toEqual({ items: [] });
    await expect(delegate('removeDelegate')).rejects.toThrow(/^DELEGATE_NOT_FOUND/);
  });

  it('is managed by the patient alone', async () => {
    const { delegate, evaluate, users } = await setup();
    await expect(delegate('registerDelegate', users.patient, PATIENT)).rejects.toThrow(/request\/delegateId/);
    await expect(delegate('registerDelegate', users.clinician1)).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await expect(delegate('registerDelegate', users.otherPatient)).rejects.toThrow(/^NOT_PATIENT_OR_DELEGATE/);
    await delegate('registerDelegate');
    // A delegate may act for the patient but not appoint further delegates.
    await expect(delegate('registerDelegate', users.guardian, OTHER_PATIENT)).rejects.toThrow(/^NOT_PATIENT_OR_DELEGATE/);
    await expect(delegate('removeDelegate', users.guardian)).rejects.toThrow(/^NOT_PATIENT_OR_DELEGATE/);
    await expect(evaluate(users.clinician1, 'consent:listDelegates', { patientRef: PATIENT })).rejects.toThrow(/^ROLE_FORBIDDEN/);
  });
});

describe('consent:checkAccess (preview)', () => {
  it('decides like requestAccess without logging anything', async () => {
    const { grant, evaluate, submit, users, ledger } = await setup();
    await createRecord(submit, users.clinician1, { recordId: 'rec-1', patientRef: PATIENT, category: 'lab-result' }, clinicalContent());
    const events = ledger.events.length;
    expect(await evaluate(users.clinician2, 'consent:checkAccess', { recordId: 'rec-1', purpose: 'TREAT' })).toEqual({ outcome: 'denied', reason: 'no-consent' });
    await grant();
    expect(await evaluate(users.clinician2, 'consent:checkAccess', { recordId: 'rec-1', purpose: 'TREAT' })).toEqual({ outcome: 'granted', basis: 'consent', consentId: 'c-1' });
    expect(await evaluate(users.clinician2, 'consent:checkAccess', { recordId: 'rec-1', purpose: 'HRESCH' })).toMatchObject({ outcome: 'denied' });
    expect(ledger.events.length).toBe(events + 1);
    await expect(evaluate(users.clinician2, 'consent:checkAccess', { recordId: 'nope', purpose: 'TREAT' })).rejects.toThrow(/^RECORD_NOT_FOUND/);
  });
});
