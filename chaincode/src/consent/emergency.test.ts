import { phi } from '../testing';
import { PATIENT, recordsFixture, salted } from '../testing/records-fixture';
import type { EmergencyAccess } from './access';

const H1 = 'Hospital1MSP';
const H2 = 'Hospital2MSP';

async function setup() {
  const f = await recordsFixture();
  /** Opens as clients do: a justification is staged first (its organisation alone), then named by hash. */
  const open = async (who = f.users.clinician2, over: Record<string, unknown> = {}, justification?: string, endorsers?: string[]) => {
    const request: Record<string, unknown> = { emergencyId: 'em-1', patientRef: PATIENT, reasonCode: 'unconscious', durationMinutes: 60, ...over };
    if (justification !== undefined) {
      const staged = await f.submit<{ justificationHash: string }>(who, 'emergency:stageJustification', request, { transient: salted({ justification }) });
      request['justificationHash'] = staged.justificationHash;
    }
    return f.submit<EmergencyAccess>(who, 'emergency:openEmergency', request, { endorsers });
  };
  const review = (who = f.users.auditor3, emergencyId = 'em-1', outcome = 'justified') => f.submit<EmergencyAccess>(who, 'emergency:reviewEmergency', { emergencyId, outcome });
  const unreviewed = (who = f.users.auditor1, request: Record<string, unknown> = {}) => f.evaluate<{ items: EmergencyAccess[]; bookmark: string }>(who, 'emergency:listUnreviewed', request);
  return { ...f, open, review, unreviewed };
}

describe('emergency:openEmergency', () => {
  it('opens time-boxed access, keeps the justification private, announces it and flags it', async () => {
    const { open, ledger, unreviewed } = await setup();
    const e = await open(undefined, {}, phi('justification'), [H2, H1]);
    expect(e).toMatchObject({ emergencyId: 'em-1', org: H2, practitionerId: 'prac-h2-0001', reasonCode: 'unconscious', openedAt: '2026-03-01T09:00:00.000Z', expiresAt: '2026-03-01T10:00:00.000Z', reviewed: false });
    expect(e.justificationHash).toMatch(/^[0-9a-f]{64}$/);
    expect(ledger.privateHash(`_implicit_org_${H2}`, '\u0000emergency-justification\u0000em-1\u0000')).toBeDefined();
    expect(ledger.events.at(-1)?.payload).toMatchObject({ changes: [{ type: 'emergency', id: 'em-1', action: 'opened', patientRef: PATIENT, org: H2 }] });
    expect((await unreviewed()).items.map((x) => x.emergencyId)).toEqual(['em-1']);
  });

  it('discards a staged justification whose access was never opened, and never an opened one\'s', async () => {
    const { submit, users, ledger, open } = await setup();
    const request = { emergencyId: 'em-1', patientRef: PATIENT, reasonCode: 'unconscious', durationMinutes: 60 };
    const privateKey = '\u0000emergency-justification\u0000em-1\u0000';
    await expect(submit(users.clinician2, 'emergency:discardJustification', request)).rejects.toThrow(/^CONTENT_NOT_STAGED/);
    await submit(users.clinician2, 'emergency:stageJustification', request, { transient: salted({ justification: phi('justification') }) });
    await expect(submit(users.clinician2, 'emergency:discardJustification', request)).resolves.toEqual({ emergencyId: 'em-1', discarded: true });
    expect(ledger.privateHash(`_implicit_org_${H2}`, privateKey)).toBeUndefined();
    await open(users.clinician2, {}, phi('justification'), [H2, H1]);
    await expect(submit(users.clinician2, 'emergency:discardJustification', request)).rejects.toThrow(/^EMERGENCY_EXISTS/);
    expect(ledger.privateHash(`_implicit_org_${H2}`, privateKey)).toBeDefined();
  });

  it.each([
    ['billing1', /^ROLE_FORBIDDEN/],
    ['recordsAdmin1', /^ROLE_FORBIDDEN/],
    ['patient', /^ROLE_FORBIDDEN/],
    ['insurerClinician', /^ORG_FORBIDDEN/],
  ] as const)('refuses %s', async (who, error) => {
    const { open, users } = await setup();
    await expect(open(users[who])).rejects.toThrow(error);
  });

  it.each([
    ['a zero duration', { durationMinutes: 0 }, /request\/durationMinutes/],
    ['more than 8 hours', { durationMinutes: 481 }, /request\/durationMinutes/],
    ['an unknown reason', { reasonCode: 'curious' }, /request\/reasonCode/],
    ['free text in the request', { note: 'x' }, /VALIDATION_FAILED/],
  ])('rejects %s', async (_what, over, error) => {
    const { open } = await setup();
    await expect(open(undefined, over)).rejects.toThrow(error);
  });

  it('refuses a duplicate id and an oversized justification', async () => {
    const { open } = await setup();
    await expect(open(undefined, {}, 'x'.repeat(4097))).rejects.toThrow(/^TRANSIENT_TOO_LARGE/);
    await open();
    await expect(open()).rejects.toThrow(/^EMERGENCY_EXISTS/);
  });
});

describe('emergency:reviewEmergency and listUnreviewed', () => {
  it('clears the flag once; an auditor or the clinician organisation\'s records-admin reviews', async () => {
    const { open, review, unreviewed, users, ledger } = await setup();
    await open();
    await open(users.clinician1, { emergencyId: 'em-2' });
    const reviewed = await review();
    expect(reviewed).toMatchObject({ reviewed: true, review: { outcome: 'justified', by: { role: 'auditor' } } });
    expect(ledger.events.at(-1)?.payload).toMatchObject({ changes: [{ type: 'emergency', action: 'reviewed', outcome: 'justified' }] });
    expect((await unreviewed()).items.map((x) => x.emergencyId)).toEqual(['em-2']);
    await expect(review()).rejects.toThrow(/^EMERGENCY_ALREADY_REVIEWED/);
    await expect(review(users.recordsAdmin2, 'em-2')).rejects.toThrow(/^ORG_FORBIDDEN/);
    await expect(review(users.clinician1, 'em-2')).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await expect(review(users.recordsAdmin1, 'em-2', 'maybe')).rejects.toThrow(/request\/outcome/);
    await expect(review(users.recordsAdmin1, 'em-2', 'unjustified')).resolves.toMatchObject({ review: { outcome: 'unjustified' } });
    await expect(review(users.auditor1, 'em-9')).rejects.toThrow(/^EMERGENCY_NOT_FOUND/);
  });

  it('lists every organisation\'s for auditors and their own for records-admins, paged', async () => {
    const { open, unreviewed, users } = await setup();
    await open(users.clinician1, { emergencyId: 'em-a' });
    await open(users.clinician2, { emergencyId: 'em-b' });
    await open(users.clinician1b, { emergencyId: 'em-c' });
    const first = await unreviewed(users.auditor3, { pageSize: 2 });
    const rest = await unreviewed(users.auditor3, { pageSize: 2, bookmark: first.bookmark });
    expect([...first.items, ...rest.items].map((x) => x.emergencyId).sort()).toEqual(['em-a', 'em-b', 'em-c']);
    expect(rest.bookmark).toBe('');
    expect((await unreviewed(users.recordsAdmin1)).items.map((x) => x.emergencyId)).toEqual(['em-a', 'em-c']);
    expect((await unreviewed(users.recordsAdmin2)).items.map((x) => x.emergencyId)).toEqual(['em-b']);
    await expect(unreviewed(users.clinician1)).rejects.toThrow(/^ROLE_FORBIDDEN/);
  });
});

describe('emergency:getEmergency', () => {
  it.each([
    ['patient', true],
    ['auditor1', true],
    ['recordsAdmin2', true],
    ['clinician2', true],
    ['clinician1', /^ORG_FORBIDDEN/],
    ['otherPatient', /^NOT_PATIENT_OR_DELEGATE/],
  ] as const)('by %s: %s', async (who, expected) => {
    const { open, evaluate, users } = await setup();
    await open();
    const read = evaluate(users[who], 'emergency:getEmergency', { emergencyId: 'em-1' });
    if (expected === true) await expect(read).resolves.toMatchObject({ emergencyId: 'em-1' });
    else await expect(read).rejects.toThrow(expected);
  });

  it('reports an unknown id and a malformed one', async () => {
    const { evaluate, users } = await setup();
    await expect(evaluate(users.auditor1, 'emergency:getEmergency', { emergencyId: 'em-9' })).rejects.toThrow(/^EMERGENCY_NOT_FOUND/);
    await expect(evaluate(users.auditor1, 'emergency:getEmergency', { emergencyId: '../x' })).rejects.toThrow(/request\/emergencyId/);
  });
});
