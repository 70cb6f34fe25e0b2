import { createHash } from 'node:crypto';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { bytesRead, createRecord, clinicalContent, GUARDIAN, OTHER_PATIENT, PATIENT, recordsFixture, salted, saltedHash } from '../testing/records-fixture';
import type { RecordEntry } from './record';

const H1 = 'Hospital1MSP';
const H2 = 'Hospital2MSP';

async function setup() {
  const f = await recordsFixture();
  const { users, submit } = f;
  const content = clinicalContent();
  const create = (recordId = 'rec-1', body = content, who = users.clinician1, extra: Record<string, unknown> = {}) =>
    createRecord<RecordEntry>(submit, who, { recordId, patientRef: PATIENT, category: 'lab-result', ...extra }, body);
  return { ...f, content, create };
}

describe('records:createRecord', () => {
  it('stores content privately at the custodian and only metadata publicly, endorsed by the custodian', async () => {
    const { ledger, create, content, evaluate, users } = await setup();
    const record = await create();
    expect(record).toMatchObject({ recordId: 'rec-1', patientRef: PATIENT, custodian: H1, category: 'lab-result', version: 1, contentHash: saltedHash(content), previousHash: null, erased: false });
    expect(record.updatedBy).toMatchObject({ org: H1, role: 'clinician' });
    const key = '\u0000record\u0000rec-1\u0000';
    expect(new KeyEndorsementPolicy(Buffer.from(ledger.validationParameter(key)!)).listOrgs()).toEqual([H1]);
    expect(Buffer.from(ledger.privateHash(`_implicit_org_${H1}`, '\u0000record-content\u0000rec-1\u00001\u0000')!).toString('hex')).toBe(saltedHash(content));
    expect(ledger.events.at(-1)?.payload).toMatchObject({ changes: [{ type: 'record', id: 'rec-1', action: 'created', patientRef: PATIENT }] });
    expect(await evaluate(users.auditor1, 'records:getRecord', { recordId: 'rec-1' })).toEqual(record);
  });

  it('gives the same result on two endorsing peers (determinism)', async () => {
    const f = await recordsFixture();
    await expect(
      createRecord(f.submit, f.users.recordsAdmin1, { recordId: 'rec-d', patientRef: PATIENT, category: 'imaging' }, clinicalContent(), { endorsers: [H1, H2] }),
    ).resolves.toMatchObject({ custodian: H1 });
  });

  it.each([
    ['billing1', /^ROLE_FORBIDDEN/],
    ['patient', /^ROLE_FORBIDDEN/],
    ['auditor1', /^ROLE_FORBIDDEN/],
    ['insurerClinician', /^ORG_FORBIDDEN/],
    ['insurerRecordsAdmin', /^ORG_FORBIDDEN/],
  ] as const)('refuses %s', async (who, error) => {
    const { create, users } = await setup();
    await expect(create('rec-1', clinicalContent(), users[who])).rejects.toThrow(error);
  });

  it.each([
    ['an unknown category', { category: 'diagnosis' }, /request\/category/],
    ['a bad patient ref', { patientRef: 'x' }, /request\/patientRef/],
    ['an unknown field', { name: 'someone' }, /VALIDATION_FAILED/],
    ['a malformed hash', { contentHash: 'abc' }, /request\/contentHash/],
  ])('rejects %s', async (_what, extra, error) => {
    const { create, users } = await setup();
    await expect(create('rec-1', clinicalContent(), users.clinician1, extra)).rejects.toThrow(error);
  });

  it('stages content privately at the custodian only, writing nothing public', async () => {
    const { ledger, submit, users, content } = await setup();
    const staged = await submit(users.clinician1, 'records:stageContent', { recordId: 'rec-s', patientRef: PATIENT, category: 'lab-result' }, { transient: salted({ content }) });
    expect(staged).toEqual({ recordId: 'rec-s', contentHash: saltedHash(content) });
    expect(Buffer.from(ledger.privateHash(`_implicit_org_${H1}`, '\u0000record-content\u0000rec-s\u00001\u0000')!).toString('hex')).toBe(saltedHash(content));
    await expect(submit(users.auditor1, 'records:getRecord', { recordId: 'rec-s' })).rejects.toThrow(/^RECORD_NOT_FOUND/);
  });

  it('salts the stored content, so no public hash confirms a guessed text', async () => {
    const { ledger, submit, users, content } = await setup();
    const stage = (recordId: string, salt: string) =>
      submit<{ contentHash: string }>(users.clinician1, 'records:stageContent', { recordId, patientRef: PATIENT, category: 'lab-result' }, { transient: salted({ content }, salt) });
    const first = await stage('rec-a', '11'.repeat(32));
    const second = await stage('rec-b', '22'.repeat(32));
    const bare = createHash('sha256').update(content).digest();
    // The same text under two salts: two unrelated hashes, neither the bare text's.
    expect(first.contentHash).not.toBe(second.contentHash);
    expect([first.contentHash, second.contentHash]).not.toContain(bare.toString('hex'));
    // Nothing that reached the public ledger carries the bare text's hash, in hex or raw.
    const leaks = ledger.publicRecords.filter((r) => Buffer.from(r.bytes).includes(bare) || Buffer.from(r.bytes).toString('utf8').includes(bare.toString('hex')));
    expect(leaks).toEqual([]);
  });

  it('needs a salt of 32 bytes in hex with every content write', async () => {
    const { submit, users, content } = await setup();
    const request = { recordId: 'rec-s', patientRef: PATIENT, category: 'lab-result' };
    await expect(submit(users.clinician1, 'records:stageContent', request, { transient: { content } })).rejects.toThrow(/^TRANSIENT_MISSING: .*salt/);
    await expect(submit(users.clinician1, 'records:stageContent', request, { transient: salted({ content }, 'abc') })).rejects.toThrow(/^TRANSIENT_INVALID: .*salt/);
    await expect(submit(users.clinician1, 'records:stageContent', request, { transient: salted({ content }, 'A5'.repeat(32)) })).rejects.toThrow(/^TRANSIENT_INVALID: .*salt/);
  });

  it('creates the public entry only for content the caller organisation staged, with that hash', async () => {
    const { submit, users, content } = await setup();
    const request = { recordId: 'rec-s', patientRef: PATIENT, category: 'lab-result' };
    await expect(submit(users.clinician1, 'records:createRecord', request)).rejects.toThrow(/^VALIDATION_FAILED: .*request\/contentHash: is required/);
    await expect(submit(users.clinician1, 'records:createRecord', { ...request, contentHash: saltedHash(content) })).rejects.toThrow(/^CONTENT_NOT_STAGED/);
    await submit(users.clinician1, 'records:stageContent', request, { transient: salted({ content }) });
    await expect(submit(users.clinician1, 'records:createRecord', { ...request, contentHash: '0'.repeat(64) })).rejects.toThrow(/^CONTENT_HASH_MISMATCH/);
    // Staged by Hospital 1: Hospital 2 cannot create a record over it.
    await expect(submit(users.clinician2, 'records:createRecord', { ...request, contentHash: saltedHash(content) })).rejects.toThrow(/^CONTENT_NOT_STAGED/);
    await expect(submit(users.clinician1, 'records:createRecord', { ...request, contentHash: saltedHash(content) }, { endorsers: [H1, H2] })).resolves.toMatchObject({ custodian: H1 });
    await expect(submit(users.clinician1, 'records:stageContent', request, { transient: salted({ content }) })).rejects.toThrow(/^RECORD_EXISTS/);
  });

  it('discards staged content whose record was never created, and never a created record\'s content', async () => {
    const { ledger, submit, users, content } = await setup();
    const request = { recordId: 'rec-s', patientRef: PATIENT, category: 'lab-result' };
    const privateKey = '\u0000record-content\u0000rec-s\u00001\u0000';
    await expect(submit(users.clinician1, 'records:discardStaged', request)).rejects.toThrow(/^CONTENT_NOT_STAGED/);
    await submit(users.clinician1, 'records:stageContent', request, { transient: salted({ content }) });
    await expect(submit(users.billing1, 'records:discardStaged', request)).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await expect(submit(users.clinician1, 'records:discardStaged', request)).resolves.toEqual({ recordId: 'rec-s', discarded: true });
    expect(ledger.privateHash(`_implicit_org_${H1}`, privateKey)).toBeUndefined();
    await createRecord(submit, users.clinician1, request, content);
    await expect(submit(users.clinician1, 'records:discardStaged', request)).rejects.toThrow(/^RECORD_EXISTS/);
    expect(ledger.privateHash(`_implicit_org_${H1}`, privateKey)).toBeDefined();
  });

  it('rejects request text that is not JSON', async () => {
    const { ledger, users } = await setup();
    await expect(ledger.submit(users.clinician1, 'records:createRecord', ['{'], { transient: salted({ content: clinicalContent() }) })).rejects.toThrow(/^VALIDATION_FAILED: .*request: is not valid JSON/);
  });

  it('checks the transient content: present, JSON by default, within 4 MiB, matching a given hash', async () => {
    const { ledger, create, users } = await setup();
    const req = JSON.stringify({ recordId: 'rec-1', patientRef: PATIENT, category: 'lab-result' });
    await expect(ledger.submit(users.clinician1, 'records:stageContent', [req])).rejects.toThrow(/^TRANSIENT_MISSING/);
    await expect(create('rec-1', 'not json')).rejects.toThrow(/^CONTENT_INVALID: .*application\/json/);
    await expect(create('rec-1', JSON.stringify({ pad: 'x'.repeat(4 * 1024 * 1024) }))).rejects.toThrow(/^TRANSIENT_TOO_LARGE/);
    await expect(create('rec-1', clinicalContent(), users.clinician1, { contentHash: '0'.repeat(64) })).rejects.toThrow(/^CONTENT_HASH_MISMATCH/);
    const body = clinicalContent();
    await expect(create('rec-1', body, users.clinician1, { contentHash: saltedHash(body) })).resolves.toMatchObject({ contentHash: saltedHash(body) });
  });

  it('refuses a duplicate id', async () => {
    const { create } = await setup();
    await create();
    await expect(create()).rejects.toThrow(/^RECORD_EXISTS/);
  });
});

describe('records:amendRecord', () => {
  it('chains version hashes and keeps earlier versions readable', async () => {
    const { create, submit, evaluate, users, content } = await setup();
    await create();
    const v2 = clinicalContent('amendment');
    const amended = await submit<RecordEntry>(users.recordsAdmin1, 'records:amendRecord', { recordId: 'rec-1', expectedVersion: 1 }, { transient: salted({ content: v2 }) });
    expect(amended).toMatchObject({ version: 2, contentHash: saltedHash(v2), previousHash: saltedHash(content) });
    expect(amended.versions.map((v) => [v.version, v.contentHash, v.previousHash])).toEqual([
      [1, saltedHash(content), null],
      [2, saltedHash(v2), saltedHash(content)],
    ]);
    await submit(users.clinician1, 'records:requestAccess', { recordId: 'rec-1', purpose: 'TREAT' });
    expect(bytesRead(await evaluate(users.clinician1, 'records:readContent', { recordId: 'rec-1', version: 1 })).toString('utf8')).toBe(content);
    expect(bytesRead(await evaluate(users.clinician1, 'records:readContent', { recordId: 'rec-1' })).toString('utf8')).toBe(v2);
  });

  it('is for the custodian only, and enforced by its endorsement too', async () => {
    const { ledger, create, submit, users } = await setup();
    await create();
    const amend = (who: typeof users.clinician1, request: unknown, endorsers?: string[]) =>
      submit(who, 'records:amendRecord', request, { transient: salted({ content: clinicalContent() }), endorsers });
    await expect(amend(users.clinician2, { recordId: 'rec-1' })).rejects.toThrow(/^ORG_FORBIDDEN/);
    await expect(amend(users.billing1, { recordId: 'rec-1' })).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await expect(amend(users.patient, { recordId: 'rec-1' })).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await expect(amend(users.clinician1, { recordId: 'rec-1' }, [H2])).rejects.toThrow(/ENDORSEMENT_POLICY_FAILURE/);
    await expect(amend(users.clinician1, { recordId: 'rec-1', expectedVersion: 2 })).rejects.toThrow(/^RECORD_VERSION_CONFLICT/);
    await expect(amend(users.clinician1, { recordId: 'nope' })).rejects.toThrow(/^RECORD_NOT_FOUND/);
    await expect(amend(users.clinician1, { recordId: 'rec-1', expectedVersion: 0 })).rejects.toThrow(/request\/expectedVersion/);
    await expect(ledger.submit(users.clinician1, 'records:amendRecord', [JSON.stringify({ recordId: 'rec-1' })])).rejects.toThrow(/^TRANSIENT_MISSING/);
  });
});

describe('records:getRecord and listRecords', () => {
  it.each([
    ['auditor1', true],
    ['auditor3', true],
    ['clinician2', true],
    ['recordsAdmin1', true],
    ['patient', true],
    ['otherPatient', /^NOT_PATIENT_OR_DELEGATE/],
    ['guardian', /^NOT_PATIENT_OR_DELEGATE/],
    ['patientNoId', /^NOT_PATIENT_OR_DELEGATE/],
    ['adjudicator', /^ROLE_FORBIDDEN/],
    ['billing1', /^ROLE_FORBIDDEN/],
    ['insurerClinician', /^ORG_FORBIDDEN/],
  ] as const)('metadata readable by %s: %s', async (who, expected) => {
    const { create, evaluate, users } = await setup();
    await create();
    const read = evaluate(users[who], 'records:getRecord', { recordId: 'rec-1' });
    if (expected === true) await expect(read).resolves.toMatchObject({ recordId: 'rec-1' });
    else await expect(read).rejects.toThrow(expected);
  });

  it('lets a registered delegate read', async () => {
    const { create, submit, evaluate, users } = await setup();
    await create();
    await submit(users.patient, 'consent:registerDelegate', { patientRef: PATIENT, delegateId: GUARDIAN });
    await expect(evaluate(users.guardian, 'records:getRecord', { recordId: 'rec-1' })).resolves.toMatchObject({ recordId: 'rec-1' });
  });

  it('pages a patient\'s records', async () => {
    const { create, submit, evaluate, users } = await setup();
    for (const id of ['rec-a', 'rec-b', 'rec-c']) await create(id);
    await createRecord(submit, users.clinician2, { recordId: 'rec-x', patientRef: OTHER_PATIENT, category: 'other' }, clinicalContent());
    const first = await evaluate<{ items: RecordEntry[]; bookmark: string }>(users.patient, 'records:listRecords', { patientRef: PATIENT, pageSize: 2 });
    expect(first.items.map((r) => r.recordId)).toEqual(['rec-a', 'rec-b']);
    const second = await evaluate<{ items: RecordEntry[]; bookmark: string }>(users.patient, 'records:listRecords', { patientRef: PATIENT, pageSize: 2, bookmark: first.bookmark });
    expect(second).toEqual({ items: [expect.objectContaining({ recordId: 'rec-c' })], bookmark: '' });
    await expect(evaluate(users.patient, 'records:listRecords', { patientRef: OTHER_PATIENT })).rejects.toThrow(/^NOT_PATIENT_OR_DELEGATE/);
    await expect(evaluate(users.patient, 'records:listRecords', { patientRef: PATIENT, pageSize: 0 })).rejects.toThrow(/request\/pageSize/);
  });

  it('reports an unknown record', async () => {
    const { evaluate, users } = await setup();
    await expect(evaluate(users.auditor1, 'records:getRecord', { recordId: 'nope' })).rejects.toThrow(/^RECORD_NOT_FOUND/);
  });
});
