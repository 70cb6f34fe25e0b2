import { KeyEndorsementPolicy } from 'fabric-shim';
import { InMemoryChannel, type TestIdentity } from '../testing';
import { CoverageContract } from './coverage-contract';

const PATIENT = 'pt-0c5f1a9e';

function coverageRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    coverageId: 'cov-1',
    patientRef: PATIENT,
    planId: 'gold-2026',
    period: { start: '2026-01-01', end: '2026-12-31' },
    currency: 'USD',
    deductible: 50_000,
    copay: 2_000,
    coinsuranceBps: 2_000,
    outOfPocketMax: 300_000,
    benefits: [{ system: 'CPT', code: '99213' }, { system: 'CPT', code: '97110', quantityLimitPerYear: 4 }, { system: 'CPT', code: '70553', manualReview: true }],
    ...overrides,
  };
}

describe('coverage contract', () => {
  let ledger: InMemoryChannel;
  let adjudicator: TestIdentity;
  let billing: TestIdentity;
  const register = (who: TestIdentity, body: Record<string, unknown>, endorsers = ['InsurerMSP']) =>
    ledger.submit(who, 'coverage:register', [JSON.stringify(body)], { endorsers });

  beforeEach(async () => {
    ledger = new InMemoryChannel({ contracts: [new CoverageContract()] });
    adjudicator = await ledger.user('InsurerMSP', 'adjudicator1', { role: 'adjudicator' });
    billing = await ledger.user('Hospital1MSP', 'billing1', { role: 'billing' });
  });

  it('registers a coverage owned by the payer alone', async () => {
    const out = JSON.parse(await register(adjudicator, coverageRequest()));
    expect(out).toMatchObject({ coverageId: 'cov-1', payer: 'InsurerMSP', status: 'active', updatedBy: { org: 'InsurerMSP', role: 'adjudicator' } });
    const key = '\x00coverage\x00cov-1\x00';
    expect(new KeyEndorsementPolicy(Buffer.from(ledger.validationParameter(key)!)).listOrgs()).toEqual(['InsurerMSP']);
    expect(ledger.events.at(-1)?.payload).toMatchObject({ changes: [{ type: 'coverage', id: 'cov-1', action: 'registered', status: 'active' }] });
  });

  it('refuses a coverage id reused, a non-adjudicator and a non-payer organisation', async () => {
    await register(adjudicator, coverageRequest());
    await expect(register(adjudicator, coverageRequest())).rejects.toThrow(/^COVERAGE_EXISTS: .*cov-1/);
    await expect(register(billing, coverageRequest({ coverageId: 'cov-2' }))).rejects.toThrow(/^ROLE_FORBIDDEN: /);
    const hospitalAdjudicator = await ledger.user('Hospital1MSP', 'adj-h1', { role: 'adjudicator' });
    await expect(register(hospitalAdjudicator, coverageRequest({ coverageId: 'cov-2' }))).rejects.toThrow(/^ORG_FORBIDDEN: /);
  });

  it.each([
    ['period ends before it starts', { period: { start: '2026-06-01', end: '2026-01-01' } }, 'request/period/end'],
    ['impossible date', { period: { start: '2026-02-30', end: '2026-12-31' } }, 'request/period/start'],
    ['code of the wrong form for its system', { benefits: [{ system: 'CPT', code: 'J1100' }] }, 'request/benefits/0/code: not a CPT code'],
    ['malformed code', { benefits: [{ system: 'CPT', code: '9921' }] }, 'request/benefits/0/code'],
    ['benefit listed twice', { benefits: [{ system: 'CPT', code: '99213' }, { system: 'CPT', code: '99213', copay: 1 }] }, 'request/benefits/1'],
    ['negative deductible', { deductible: -1 }, 'request/deductible'],
    ['fractional copay', { copay: 10.5 }, 'request/copay'],
    ['coinsurance above 100 %', { coinsuranceBps: 10_001 }, 'request/coinsuranceBps'],
    ['lower-case currency', { currency: 'usd' }, 'request/currency'],
    ['unknown field', { subscriberName: 'x' }, 'request'],
  ])('rejects %s', async (_name, overrides, where) => {
    await expect(register(adjudicator, coverageRequest(overrides))).rejects.toThrow(new RegExp(`^VALIDATION_FAILED: .*${where.replace(/[/]/g, '\\/')}`));
  });

  it('updates the terms (payer only, patient unchanged) and needs the payer to endorse', async () => {
    await register(adjudicator, coverageRequest());
    const { patientRef: _p, ...terms } = coverageRequest({ status: 'cancelled', deductible: 10_000 });
    const update = (who: TestIdentity, endorsers: string[]) => ledger.submit(who, 'coverage:update', [JSON.stringify(terms)], { endorsers });
    await expect(update(adjudicator, ['Hospital1MSP', 'Hospital2MSP'])).rejects.toThrow('ENDORSEMENT_POLICY_FAILURE');
    await expect(update(billing, ['InsurerMSP'])).rejects.toThrow(/^ROLE_FORBIDDEN/);
    const out = JSON.parse(await update(adjudicator, ['InsurerMSP']));
    expect(out).toMatchObject({ patientRef: PATIENT, status: 'cancelled', deductible: 10_000 });
    await expect(ledger.submit(adjudicator, 'coverage:update', [JSON.stringify({ ...terms, coverageId: 'nope' })])).rejects.toThrow(/^COVERAGE_NOT_FOUND/);
    await expect(ledger.submit(adjudicator, 'coverage:update', [JSON.stringify({ ...terms, patientRef: 'pt-other' })])).rejects.toThrow(/^VALIDATION_FAILED/);
  });

  it('lets the payer, providers, the patient and auditors read it; nobody else', async () => {
    await register(adjudicator, coverageRequest());
    const get = (who: TestIdentity) => ledger.evaluate(who, 'coverage:get', [JSON.stringify({ coverageId: 'cov-1' })]);
    const patient = await ledger.user('Hospital1MSP', 'patient1', { role: 'patient', patient_id: PATIENT });
    const otherPatient = await ledger.user('Hospital2MSP', 'patient2', { role: 'patient', patient_id: 'pt-8e41d3b2' });
    const auditor = await ledger.user('InsurerMSP', 'auditor3', { role: 'auditor' });
    for (const who of [adjudicator, billing, patient, auditor]) expect(JSON.parse(await get(who))).toMatchObject({ coverageId: 'cov-1' });
    await expect(get(otherPatient)).rejects.toThrow(/^NOT_PATIENT_OR_DELEGATE/);
    await expect(get(await ledger.user('Hospital1MSP', 'clinician1', { role: 'clinician' }))).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await expect(get(await ledger.user('DistributorMSP', 'billing-d', { role: 'billing' }))).rejects.toThrow(/^ORG_FORBIDDEN/);
  });

  describe('list by patient', () => {
    const list = (who: TestIdentity, body: Record<string, unknown>) => ledger.evaluate(who, 'coverage:list', [JSON.stringify(body)]);
    const ids = (out: string) => (JSON.parse(out) as { items: { coverageId: string }[] }).items.map((c) => c.coverageId);

    beforeEach(async () => {
      await register(adjudicator, coverageRequest({ coverageId: 'cov-1' }));
      await register(adjudicator, coverageRequest({ coverageId: 'cov-2', status: 'cancelled' }));
      await register(adjudicator, coverageRequest({ coverageId: 'cov-3' }));
      await register(adjudicator, coverageRequest({ coverageId: 'cov-9', patientRef: 'pt-8e41d3b2' }));
    });

    it("lists one patient's coverages in id order, page by page, and by status", async () => {
      expect(ids(await list(billing, { patientRef: PATIENT }))).toEqual(['cov-1', 'cov-2', 'cov-3']);
      const first = JSON.parse(await list(billing, { patientRef: PATIENT, pageSize: 2 })) as { items: { coverageId: string }[]; bookmark: string };
      expect(first.items.map((c) => c.coverageId)).toEqual(['cov-1', 'cov-2']);
      expect(first.bookmark).not.toBe('');
      const second = JSON.parse(await list(billing, { patientRef: PATIENT, pageSize: 2, bookmark: first.bookmark })) as { items: { coverageId: string }[]; bookmark: string };
      expect(second.items.map((c) => c.coverageId)).toEqual(['cov-3']);
      expect(ids(await list(billing, { patientRef: PATIENT, status: 'cancelled' }))).toEqual(['cov-2']);
      expect(ids(await list(billing, { patientRef: PATIENT, status: 'active' }))).toEqual(['cov-1', 'cov-3']);
      expect(JSON.parse(await list(billing, { patientRef: 'pt-00000000' }))).toEqual({ items: [], bookmark: '' });
    });

    it('lets the payer, providers, the patient and auditors list; nobody else', async () => {
      const patient = await ledger.user('Hospital1MSP', 'patient1', { role: 'patient', patient_id: PATIENT });
      const auditor = await ledger.user('Hospital2MSP', 'auditor2', { role: 'auditor' });
      for (const who of [adjudicator, patient, auditor]) expect(ids(await list(who, { patientRef: PATIENT }))).toEqual(['cov-1', 'cov-2', 'cov-3']);
      const otherPatient = await ledger.user('Hospital2MSP', 'patient2', { role: 'patient', patient_id: 'pt-8e41d3b2' });
      await expect(list(otherPatient, { patientRef: PATIENT })).rejects.toThrow(/^NOT_PATIENT_OR_DELEGATE/);
      await expect(list(await ledger.user('Hospital1MSP', 'clinician1', { role: 'clinician' }), { patientRef: PATIENT })).rejects.toThrow(/^ROLE_FORBIDDEN/);
      await expect(list(await ledger.user('DistributorMSP', 'billing-d', { role: 'billing' }), { patientRef: PATIENT })).rejects.toThrow(/^ORG_FORBIDDEN/);
      await expect(list(await ledger.user('Hospital1MSP', 'adj-h1', { role: 'adjudicator' }), { patientRef: PATIENT })).rejects.toThrow(/^ORG_FORBIDDEN/);
    });

    it('refuses a malformed request', async () => {
      await expect(list(billing, { patientRef: PATIENT, status: 'expired' })).rejects.toThrow(/^VALIDATION_FAILED: .*status/);
      await expect(list(billing, { status: 'active' })).rejects.toThrow(/^VALIDATION_FAILED: /);
    });
  });

  describe('eligibility', () => {
    const check = (who: TestIdentity, overrides: Record<string, unknown> = {}) =>
      ledger.evaluate(who, 'coverage:checkEligibility', [
        JSON.stringify({ coverageId: 'cov-1', patientRef: PATIENT, serviceDate: '2026-02-10', currency: 'USD', items: [{ system: 'CPT', code: '99213', quantity: 1, unitPrice: 60_000 }], ...overrides }),
      ]);

    beforeEach(async () => {
      await register(adjudicator, coverageRequest());
    });

    it('estimates what the plan pays and the patient owes, writing nothing', async () => {
      const writesBefore = ledger.publicRecords.length;
      const out = JSON.parse(await check(billing));
      // copay 2 000, deductible 50 000, coinsurance 20 % of 8 000 = 1 600
      expect(out).toMatchObject({ inForce: true, outcome: 'approved', pendReasons: [], totals: { submitted: 60_000, benefit: 6_400, patientResponsibility: 53_600 }, deductibleRemaining: 50_000, outOfPocketRemaining: 300_000 });
      expect(ledger.publicRecords.length).toBe(writesBefore);
    });

    it('answers not in force, not covered and manual review', async () => {
      expect(JSON.parse(await check(billing, { serviceDate: '2027-01-05' }))).toMatchObject({ inForce: false, outcome: 'denied', totals: { benefit: 0 } });
      const mixed = JSON.parse(await check(adjudicator, { items: [{ system: 'CPT', code: '99213', quantity: 1, unitPrice: 100 }, { system: 'HCPCS', code: 'J1100', quantity: 1, unitPrice: 100 }] }));
      expect(mixed).toMatchObject({ outcome: 'partial', items: [{ reasons: [] }, { reasons: ['NOT_COVERED'] }] });
      expect(JSON.parse(await check(billing, { items: [{ system: 'CPT', code: '70553', quantity: 1, unitPrice: 100 }] }))).toMatchObject({ pendReasons: ['MANUAL_REVIEW_CODE'] });
    });

    it('finds the patient\'s coverage from a payer in force on the date', async () => {
      await register(adjudicator, coverageRequest({ coverageId: 'cov-0', period: { start: '2025-01-01', end: '2025-12-31' } }));
      const byPayer = { coverageId: undefined, payer: 'InsurerMSP' };
      expect(JSON.parse(await check(billing, byPayer))).toMatchObject({ coverageId: 'cov-1', inForce: true });
      expect(JSON.parse(await check(billing, { ...byPayer, serviceDate: '2025-06-01' }))).toMatchObject({ coverageId: 'cov-0', inForce: true });
      await expect(check(billing, { ...byPayer, serviceDate: '2024-06-01' })).rejects.toThrow(/^COVERAGE_NOT_FOUND/);
      await expect(check(billing, { ...byPayer, payer: 'Hospital2MSP' })).rejects.toThrow(/^COVERAGE_NOT_FOUND/);
      await expect(check(billing, { payer: 'Hospital2MSP' })).rejects.toThrow(/^COVERAGE_MISMATCH: .*payer/);
      await expect(check(billing, { coverageId: undefined })).rejects.toThrow(/^VALIDATION_FAILED: .*coverageId or payer/);
    });

    it('refuses another patient, another currency and callers without a part in it', async () => {
      await expect(check(billing, { patientRef: 'pt-8e41d3b2' })).rejects.toThrow(/^COVERAGE_MISMATCH: .*patientRef/);
      await expect(check(billing, { currency: 'EUR' })).rejects.toThrow(/^COVERAGE_MISMATCH: .*currency/);
      await expect(check(billing, { serviceDate: '2026-13-01' })).rejects.toThrow(/^VALIDATION_FAILED: .*request\/serviceDate: not a calendar date/);
      await expect(check(billing, { items: [{ system: 'NDC', code: '99213', quantity: 1, unitPrice: 1 }] })).rejects.toThrow(/^VALIDATION_FAILED: .*not a NDC code/);
      await expect(check(await ledger.user('InsurerMSP', 'auditor3', { role: 'auditor' }))).rejects.toThrow(/^ROLE_FORBIDDEN/);
      const patient = await ledger.user('Hospital1MSP', 'patient1', { role: 'patient', patient_id: PATIENT });
      expect(JSON.parse(await check(patient))).toMatchObject({ inForce: true });
    });
  });
});
