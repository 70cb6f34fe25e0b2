import { createHash } from 'node:crypto';
import type { Disclosure } from '../audit/disclosures';
import { bytesRead, createRecord, clinicalContent, PATIENT, recordsFixture, salted, saltedHash } from '../testing/records-fixture';
import type { RecordEntry } from './record';

const H1 = 'Hospital1MSP';
const H2 = 'Hospital2MSP';
const HOUR = 3_600_000;
const sha = (text: string) => createHash('sha256').update(text).digest('hex');

async function setup() {
  const f = await recordsFixture();
  const content = clinicalContent();
  await createRecord(f.submit, f.users.clinician1, { recordId: 'rec-1', patientRef: PATIENT, category: 'lab-result' }, content);
  const access = (who: typeof f.users.clinician1, purpose = 'TREAT', extra: Record<string, unknown> = {}) =>
    f.submit<Disclosure>(who, 'records:requestAccess', { recordId: 'rec-1', purpose, ...extra });
  // The answer carries the stored bytes as base64 (`data`); `content` is their text, for the checks.
  const read = async (who: typeof f.users.clinician1, peer = H1, request: Record<string, unknown> = { recordId: 'rec-1' }) => {
    const out = await f.evaluate<{ data: string; contentType: string; version: number; disclosureId: string }>(who, 'records:readContent', request, { peer });
    return { ...out, content: bytesRead(out).toString('utf8') };
  };
  const consentFor = (consentId: string, grantee: Record<string, unknown>, type: 'permit' | 'deny' = 'permit') =>
    f.submit(f.users.patient, 'consent:grantConsent', { consentId, patientRef: PATIENT, grantee, period: { start: '2026-01-01' }, provisions: [{ type, actions: ['access'], purposes: ['TREAT'] }] });
  return { ...f, content, access, read, consentFor };
}

describe('records:requestAccess and readContent', () => {
  it('grants the custodian clinician for treatment and logs it; content only on the custodian peer', async () => {
    const { access, read, users, content, ledger } = await setup();
    const disclosure = await access(users.clinician1);
    expect(disclosure).toMatchObject({ outcome: 'granted', basis: 'custodian', purpose: 'TREAT', emergency: false, entity: { recordId: 'rec-1', patientRef: PATIENT, custodian: H1 } });
    expect(disclosure.agent).toMatchObject({ org: H1, role: 'clinician', practitionerId: 'prac-h1-0001' });
    expect(ledger.events.at(-1)?.payload).toMatchObject({ changes: [{ type: 'disclosure', action: 'granted', recordId: 'rec-1' }] });
    const out = await read(users.clinician1);
    expect(out).toMatchObject({ content, version: 1, disclosureId: disclosure.disclosureId });
    expect(sha(out.content)).toBe(sha(content));
    await expect(read(users.clinician1, H2)).rejects.toThrow(/^WRONG_PEER/);
  });

  it('commits a denied attempt instead of throwing, and the read is refused', async () => {
    const { access, read, users, evaluate } = await setup();
    const denied = await access(users.clinician2);
    expect(denied).toMatchObject({ outcome: 'denied', reason: 'no-consent', agent: { org: H2 } });
    expect(denied.expiresAt).toBeUndefined();
    await expect(read(users.clinician2)).rejects.toThrow(/^ACCESS_NOT_GRANTED/);
    const log = await evaluate<{ items: Disclosure[] }>(users.auditor1, 'audit:accountingOfDisclosures', { patientRef: PATIENT, from: '2026-01-01', to: '2026-12-31' });
    expect(log.items.map((d) => d.outcome)).toEqual(['denied']);
  });

  it('grants a consented clinician of another organisation; revocation ends reads at once', async () => {
    const { access, read, users, consentFor, submit, content } = await setup();
    await consentFor('c-1', { org: H2, practitionerId: 'prac-h2-0001' });
    expect(await access(users.clinician2)).toMatchObject({ outcome: 'granted', basis: 'consent', consentId: 'c-1' });
    expect((await read(users.clinician2)).content).toBe(content);
    await submit(users.patient, 'consent:revokeConsent', { consentId: 'c-1' });
    await expect(read(users.clinician2)).rejects.toThrow(/^ACCESS_NOT_GRANTED/);
    expect(await access(users.clinician2)).toMatchObject({ outcome: 'denied', reason: 'no-consent' });
  });

  it('lets a granted requester who may not list records read the metadata naming the custodian, in the window only', async () => {
    const { access, read, users, consentFor, evaluate, ledger, content } = await setup();
    const getRecord = () => evaluate<RecordEntry>(users.billing1, 'records:getRecord', { recordId: 'rec-1' });
    await expect(getRecord()).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await consentFor('c-org', { org: H1 });
    expect(await access(users.billing1)).toMatchObject({ outcome: 'granted', basis: 'consent' });
    expect(await getRecord()).toMatchObject({ recordId: 'rec-1', custodian: H1 });
    expect((await read(users.billing1)).content).toBe(content);
    await expect(evaluate(users.billing1, 'records:listRecords', { patientRef: PATIENT })).rejects.toThrow(/^ROLE_FORBIDDEN/);
    ledger.advance(HOUR);
    await expect(getRecord()).rejects.toThrow(/^ROLE_FORBIDDEN/);
  });

  it('closes the read window after one hour', async () => {
    const { access, read, users, ledger } = await setup();
    await access(users.clinician1);
    ledger.advance(HOUR - 1);
    await expect(read(users.clinician1)).resolves.toBeDefined();
    ledger.advance(1);
    await expect(read(users.clinician1)).rejects.toThrow(/^ACCESS_NOT_GRANTED/);
  });

  it('binds a grant to the actor who requested it', async () => {
    const { access, read, users } = await setup();
    await expect(read(users.clinician1)).rejects.toThrow(/^ACCESS_NOT_GRANTED/);
    await access(users.clinician1);
    await expect(read(users.clinician1b)).rejects.toThrow(/^ACCESS_NOT_GRANTED/);
  });

  it('lets a deny provision block even the custodian', async () => {
    const { access, users, consentFor } = await setup();
    await consentFor('c-deny', { org: H1 }, 'deny');
    expect(await access(users.clinician1)).toMatchObject({ outcome: 'denied', reason: 'consent-denied', consentId: 'c-deny' });
  });

  it('grants the patient (any peer may not serve it: the custodian peer does)', async () => {
    const { access, read, users, content } = await setup();
    expect(await access(users.patient, 'PATRQT')).toMatchObject({ outcome: 'granted', basis: 'patient' });
    expect((await read(users.patient)).content).toBe(content);
  });

  it('grants break-the-glass access, flagged, and it ends with the emergency', async () => {
    const { access, read, users, submit, ledger } = await setup();
    await submit(users.clinician2, 'emergency:openEmergency', { emergencyId: 'em-1', patientRef: PATIENT, reasonCode: 'unconscious', durationMinutes: 30 });
    const d = await access(users.clinician2, 'ETREAT', { emergencyId: 'em-1' });
    expect(d).toMatchObject({ outcome: 'granted', basis: 'emergency', emergency: true, emergencyId: 'em-1' });
    await expect(read(users.clinician2)).resolves.toBeDefined();
    ledger.advance(30 * 60_000);
    await expect(read(users.clinician2)).rejects.toThrow(/^ACCESS_NOT_GRANTED/);
    expect(await access(users.clinician2, 'ETREAT', { emergencyId: 'em-1' })).toMatchObject({ outcome: 'denied', reason: 'emergency-expired' });
    expect(await access(users.clinician1b, 'ETREAT', { emergencyId: 'em-1' })).toMatchObject({ outcome: 'denied', reason: 'emergency-mismatch' });
  });

  it('throws for bad input and unknown things only', async () => {
    const { access, read, users, submit } = await setup();
    await expect(access(users.clinician1, 'GOSSIP')).rejects.toThrow(/request\/purpose/);
    await expect(access(users.clinician1, 'ETREAT', { emergencyId: 'em-x' })).rejects.toThrow(/^EMERGENCY_NOT_FOUND/);
    await expect(submit(users.clinician1, 'records:requestAccess', { recordId: 'nope', purpose: 'TREAT' })).rejects.toThrow(/^RECORD_NOT_FOUND/);
    await access(users.clinician1);
    await expect(read(users.clinician1, H1, { recordId: 'rec-1', version: 7 })).rejects.toThrow(/^RECORD_VERSION_NOT_FOUND/);
    await expect(read(users.clinician1, H1, { recordId: 'nope' })).rejects.toThrow(/^RECORD_NOT_FOUND/);
  });

  it('endorses an access identically on two peers (determinism)', async () => {
    const { users, ledger } = await setup();
    const out = await ledger.submit(users.clinician1, 'records:requestAccess', [JSON.stringify({ recordId: 'rec-1', purpose: 'TREAT' })], { endorsers: [H1, H2] });
    expect(JSON.parse(out)).toMatchObject({ outcome: 'granted' });
  });
});

describe('records:eraseRecord and verifyContent', () => {
  it('purges every version, marks the index erased, and still verifies a presented copy', async () => {
    const { submit, evaluate, users, ledger, content, access, read } = await setup();
    const v2 = clinicalContent('v2');
    await submit(users.clinician1, 'records:amendRecord', { recordId: 'rec-1' }, { transient: salted({ content: v2 }) });
    await access(users.clinician1);
    const erased = await submit<RecordEntry>(users.recordsAdmin1, 'records:eraseRecord', { recordId: 'rec-1', reason: 'patient-request' });
    expect(erased).toMatchObject({ erased: true, erasureReason: 'patient-request', version: 2 });
    for (const v of ['1', '2']) expect(ledger.privateHash(`_implicit_org_${H1}`, `\u0000record-content\u0000rec-1\u0000${v}\u0000`)).toBeUndefined();
    expect(ledger.events.at(-1)?.payload).toMatchObject({ changes: [{ type: 'record', action: 'erased' }] });
    await expect(read(users.clinician1)).rejects.toThrow(/^RECORD_ERASED/);
    await expect(access(users.clinician1)).rejects.toThrow(/^RECORD_ERASED/);

    // Erasure purged the content but kept each version's salt, so a copy still verifies.
    const verify = (body: string, version?: number) => evaluate(users.patient, 'records:verifyContent', { recordId: 'rec-1', version }, { transient: { content: body } });
    await expect(verify(content, 1)).resolves.toMatchObject({ matches: true, erased: true, version: 1, recordedHash: saltedHash(content) });
    await expect(verify(v2)).resolves.toMatchObject({ matches: true, version: 2 });
    await expect(verify(content)).resolves.toMatchObject({ matches: false, presentedHash: saltedHash(content), recordedHash: saltedHash(v2) });
  });

  it.each([
    ['clinician1', /^ROLE_FORBIDDEN/],
    ['recordsAdmin2', /^ORG_FORBIDDEN/],
    ['patient', /^ROLE_FORBIDDEN/],
    ['auditor1', /^ROLE_FORBIDDEN/],
  ] as const)('refuses erasure by %s', async (who, error) => {
    const { submit, users } = await setup();
    await expect(submit(users[who], 'records:eraseRecord', { recordId: 'rec-1', reason: 'patient-request' })).rejects.toThrow(error);
  });

  it('refuses a second erasure, an amendment after it, and bad reasons', async () => {
    const { submit, users } = await setup();
    await expect(submit(users.recordsAdmin1, 'records:eraseRecord', { recordId: 'rec-1', reason: 'because' })).rejects.toThrow(/request\/reason/);
    await submit(users.recordsAdmin1, 'records:eraseRecord', { recordId: 'rec-1', reason: 'entered-in-error' });
    await expect(submit(users.recordsAdmin1, 'records:eraseRecord', { recordId: 'rec-1', reason: 'entered-in-error' })).rejects.toThrow(/^RECORD_ERASED/);
    await expect(submit(users.clinician1, 'records:amendRecord', { recordId: 'rec-1' }, { transient: salted({ content: clinicalContent() }) })).rejects.toThrow(/^RECORD_ERASED/);
  });

  it('verifyContent needs a reader, a copy and a known version', async () => {
    const { evaluate, users, ledger } = await setup();
    await expect(evaluate(users.adjudicator, 'records:verifyContent', { recordId: 'rec-1' }, { transient: { content: '{}' } })).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await expect(ledger.evaluate(users.auditor1, 'records:verifyContent', [JSON.stringify({ recordId: 'rec-1' })])).rejects.toThrow(/^TRANSIENT_MISSING/);
    await expect(evaluate(users.auditor1, 'records:verifyContent', { recordId: 'rec-1', version: 3 }, { transient: { content: '{}' } })).rejects.toThrow(/^RECORD_VERSION_NOT_FOUND/);
    // The salt is the custodian's: another organisation's peer cannot check a copy.
    await expect(evaluate(users.auditor1, 'records:verifyContent', { recordId: 'rec-1' }, { transient: { content: '{}' }, peer: H2 })).rejects.toThrow(/^WRONG_PEER/);
  });
});
