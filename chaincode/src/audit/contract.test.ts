import type { Iterators } from 'fabric-shim-api';
import { createRecord, clinicalContent, GUARDIAN, OTHER_PATIENT, PATIENT, recordsFixture, salted } from '../testing/records-fixture';
import type { Disclosure } from './disclosures';
import { historyEntryOf, type HistoryEntry } from './history';

const H1 = 'Hospital1MSP';
const H2 = 'Hospital2MSP';
type Page<T> = { items: T[]; bookmark: string };

async function setup() {
  const f = await recordsFixture();
  const { users, submit } = f;
  await createRecord(submit, users.clinician1, { recordId: 'rec-1', patientRef: PATIENT, category: 'lab-result' }, clinicalContent());
  const history = (who = users.auditor1, request: Record<string, unknown> = { assetType: 'record', id: 'rec-1' }) => f.evaluate<Page<HistoryEntry>>(who, 'audit:history', request);
  const accounting = (who = users.auditor1, over: Record<string, unknown> = {}) =>
    f.evaluate<Page<Disclosure>>(who, 'audit:accountingOfDisclosures', { patientRef: PATIENT, from: '2026-03-01', to: '2026-03-31', ...over });
  return { ...f, history, accounting };
}

describe('audit:history', () => {
  it('returns every version newest first with who wrote it, paged by count', async () => {
    const { submit, users, history, ledger } = await setup();
    ledger.advance(60_000);
    await submit(users.clinician1, 'records:amendRecord', { recordId: 'rec-1' }, { transient: salted({ content: clinicalContent() }) });
    ledger.advance(60_000);
    await submit(users.recordsAdmin1, 'records:eraseRecord', { recordId: 'rec-1', reason: 'patient-request' });
    const all = await history();
    expect(all.bookmark).toBe('');
    expect(all.items.map((e) => [e.time, e.isDelete, e.actor?.role, (e.value as { version: number; erased: boolean }).erased])).toEqual([
      ['2026-03-01T09:02:00.000Z', false, 'records-admin', true],
      ['2026-03-01T09:01:00.000Z', false, 'clinician', false],
      ['2026-03-01T09:00:00.000Z', false, 'clinician', false],
    ]);
    expect(all.items.every((e) => /^[0-9a-f]{64}$/.test(e.txId) && e.actor?.txId === e.txId)).toBe(true);
    const first = await history(users.auditor1, { assetType: 'record', id: 'rec-1', pageSize: 2 });
    expect(first.items).toEqual(all.items.slice(0, 2));
    expect(first.bookmark).toBe('2');
    expect(await history(users.auditor1, { assetType: 'record', id: 'rec-1', pageSize: 2, bookmark: '2' })).toEqual({ items: all.items.slice(2), bookmark: '' });
  });

  it.each([
    ['auditor3', true],
    ['recordsAdmin1', true],
    ['clinician1b', true],
    ['patient', true],
    ['clinician2', /^ORG_FORBIDDEN/],
    ['adjudicator', /^ORG_FORBIDDEN/],
    ['otherPatient', /^NOT_PATIENT_OR_DELEGATE/],
    ['guardian', /^NOT_PATIENT_OR_DELEGATE/],
  ] as const)('record history readable by %s: %s', async (who, expected) => {
    const { history, users } = await setup();
    const read = history(users[who]);
    if (expected === true) await expect(read).resolves.toMatchObject({ items: [expect.anything()] });
    else await expect(read).rejects.toThrow(expected);
  });

  it('treats the grantee organisation and the patient\'s delegate as parties of a consent', async () => {
    const { submit, users, history } = await setup();
    await submit(users.patient, 'consent:registerDelegate', { patientRef: PATIENT, delegateId: GUARDIAN });
    await submit(users.patient, 'consent:grantConsent', { consentId: 'c-1', patientRef: PATIENT, grantee: { org: H2 }, period: { start: '2026-01-01' }, provisions: [{ type: 'permit', actions: ['access'], purposes: ['TREAT'] }] });
    await submit(users.guardian, 'consent:revokeConsent', { consentId: 'c-1' });
    const request = { assetType: 'consent', id: 'c-1' };
    const seen = await history(users.clinician2, request);
    expect(seen.items.map((e) => (e.value as { status: string }).status)).toEqual(['inactive', 'active']);
    await expect(history(users.guardian, request)).resolves.toBeDefined();
    await expect(history(users.adjudicator, request)).rejects.toThrow(/^ORG_FORBIDDEN/);
  });

  it('validates the asset key and reports an asset without history', async () => {
    const { history, users } = await setup();
    await expect(history(users.auditor1, { assetType: 'record', id: 'nope' })).rejects.toThrow(/^ASSET_NOT_FOUND/);
    await expect(history(users.auditor1, { assetType: 'pack', id: '09506000134352' })).rejects.toThrow(/request\/serial/);
    await expect(history(users.auditor1, { assetType: 'record', id: 'rec-1', serial: 'S1' })).rejects.toThrow(/request\/serial/);
    await expect(history(users.auditor1, { assetType: 'pack', id: '09506000134352', serial: 'S1' })).rejects.toThrow(/^ASSET_NOT_FOUND/);
    await expect(history(users.auditor1, { assetType: 'patient', id: 'rec-1' })).rejects.toThrow(/request\/assetType/);
    await expect(history(users.auditor1, { assetType: 'record', id: 'rec-1', bookmark: 'abc' })).rejects.toThrow(/request\/bookmark/);
  });

  it('maps a delete and a foreign value', () => {
    const timestamp = { seconds: 1_772_355_600, nanos: 5_000_000 };
    const deleted = historyEntryOf({ txId: 't1', value: new Uint8Array(0), isDelete: true, timestamp } as unknown as Iterators.KeyModification);
    expect(deleted).toEqual({ txId: 't1', time: '2026-03-01T09:00:00.005Z', isDelete: true, value: null, actor: null });
    const raw = historyEntryOf({ txId: 't2', value: Buffer.from('not json'), isDelete: false, timestamp } as unknown as Iterators.KeyModification);
    expect(raw).toMatchObject({ value: { base64: Buffer.from('not json').toString('base64') }, actor: null });
  });
});

describe('audit:accountingOfDisclosures', () => {
  async function withDisclosures() {
    const s = await setup();
    const { submit, users, ledger } = s;
    await createRecord(submit, users.clinician2, { recordId: 'rec-2', patientRef: PATIENT, category: 'imaging' }, clinicalContent());
    const access = (who: typeof users.clinician1, recordId: string) => submit(who, 'records:requestAccess', { recordId, purpose: 'TREAT' });
    ledger.setTime('2026-03-02T10:00:00.000Z');
    await access(users.clinician1, 'rec-1'); // granted (custodian)
    ledger.setTime('2026-03-10T23:59:59.999Z');
    await access(users.clinician2, 'rec-1'); // denied
    ledger.setTime('2026-03-11T00:00:00.000Z');
    await access(users.clinician2, 'rec-2'); // granted (custodian H2)
    ledger.setTime('2026-04-01T00:00:00.000Z');
    await access(users.clinician1, 'rec-2'); // denied, outside the March window
    return s;
  }

  it('lists granted and denied disclosures in time order within an inclusive window', async () => {
    const { accounting } = await withDisclosures();
    const all = await accounting();
    expect(all.items.map((d) => [d.recorded, d.entity.recordId, d.outcome])).toEqual([
      ['2026-03-02T10:00:00.000Z', 'rec-1', 'granted'],
      ['2026-03-10T23:59:59.999Z', 'rec-1', 'denied'],
      ['2026-03-11T00:00:00.000Z', 'rec-2', 'granted'],
    ]);
    expect((await accounting(undefined, { from: '2026-03-02T10:00:00Z', to: '2026-03-10' })).items).toHaveLength(2);
    expect((await accounting(undefined, { from: '2026-03-02T10:00:00.001Z', to: '2026-03-10T23:59:59.998Z' })).items).toHaveLength(0);
    expect((await accounting(undefined, { to: '2026-04-01' })).items).toHaveLength(4);
  });

  it('pages by count', async () => {
    const { accounting } = await withDisclosures();
    const first = await accounting(undefined, { pageSize: 2 });
    expect(first.bookmark).toBe('2');
    const rest = await accounting(undefined, { pageSize: 2, bookmark: first.bookmark });
    expect(rest.items.map((d) => d.entity.recordId)).toEqual(['rec-2']);
    expect(rest.bookmark).toBe('');
  });

  it('shows the patient and a delegate everything, a records-admin only their organisation\'s records', async () => {
    const { accounting, submit, users } = await withDisclosures();
    expect((await accounting(users.patient)).items).toHaveLength(3);
    await submit(users.patient, 'consent:registerDelegate', { patientRef: PATIENT, delegateId: GUARDIAN });
    expect((await accounting(users.guardian)).items).toHaveLength(3);
    expect((await accounting(users.recordsAdmin1)).items.map((d) => d.entity.custodian)).toEqual([H1, H1]);
    expect((await accounting(users.recordsAdmin2)).items.map((d) => d.entity.custodian)).toEqual([H2]);
  });

  it.each([
    ['clinician1', /^ROLE_FORBIDDEN/],
    ['adjudicator', /^ROLE_FORBIDDEN/],
    ['otherPatient', /^NOT_PATIENT_OR_DELEGATE/],
    ['patientNoId', /^IDENTITY_INVALID/],
  ] as const)('refuses %s', async (who, error) => {
    const { accounting, users } = await setup();
    await expect(accounting(users[who])).rejects.toThrow(error);
  });

  it('reads one disclosure by id under the same rule (audit:getDisclosure)', async () => {
    const { accounting, evaluate, submit, users } = await withDisclosures();
    const [h1Entry, , h2Entry] = (await accounting()).items;
    const read = (who: typeof users.auditor1, disclosureId: string) => evaluate<Disclosure>(who, 'audit:getDisclosure', { disclosureId });
    for (const who of [users.auditor1, users.patient, users.recordsAdmin1]) expect(await read(who, h1Entry!.disclosureId)).toEqual(h1Entry);
    expect(await read(users.recordsAdmin2, h2Entry!.disclosureId)).toEqual(h2Entry);
    await expect(read(users.recordsAdmin2, h1Entry!.disclosureId)).rejects.toThrow(/^ORG_FORBIDDEN/);
    await expect(read(users.guardian, h1Entry!.disclosureId)).rejects.toThrow(/^NOT_PATIENT_OR_DELEGATE/);
    await submit(users.patient, 'consent:registerDelegate', { patientRef: PATIENT, delegateId: GUARDIAN });
    expect(await read(users.guardian, h1Entry!.disclosureId)).toEqual(h1Entry);
    await expect(read(users.otherPatient, h1Entry!.disclosureId)).rejects.toThrow(/^NOT_PATIENT_OR_DELEGATE/);
    await expect(read(users.clinician1, h1Entry!.disclosureId)).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await expect(read(users.adjudicator, h1Entry!.disclosureId)).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await expect(read(users.auditor1, 'no-such-disclosure')).rejects.toThrow(/^DISCLOSURE_NOT_FOUND/);
    await expect(read(users.auditor1, '../x')).rejects.toThrow(/^VALIDATION_FAILED/);
  });

  it('validates the window', async () => {
    const { accounting, users } = await setup();
    await expect(accounting(users.auditor1, { from: '2026-03-02', to: '2026-03-01' })).rejects.toThrow(/^VALIDATION_FAILED: .*request\/to/);
    await expect(accounting(users.auditor1, { from: 'yesterday' })).rejects.toThrow(/request\/from/);
    await expect(accounting(users.auditor1, { patientRef: OTHER_PATIENT })).resolves.toEqual({ items: [], bookmark: '' });
  });
});
