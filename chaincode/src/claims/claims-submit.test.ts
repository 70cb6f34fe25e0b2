import { createHash } from 'node:crypto';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { Transaction } from 'fabric-contract-api';
import { canonicalJson, HealthContract, HealthContext } from '../shared';
import { InMemoryChannel, phi, type TestIdentity } from '../testing';
import { gs1CheckDigit, type Pack } from '../trace';
import { TraceContract } from '../trace/contract';
import { writePack } from '../trace/packs';
import { ClaimsContract } from './claims-contract';
import { CoverageContract } from './coverage-contract';

/** Test fixture: seeds packs through the traceability module's own writer; tampers with a private copy. */
class PackSeed extends HealthContract {
  constructor() {
    super('seed');
  }
  @Transaction()
  async pack(ctx: HealthContext, json: string): Promise<void> {
    await writePack(ctx, JSON.parse(json) as Pack, undefined);
  }
  @Transaction()
  async tamper(ctx: HealthContext, claimId: string): Promise<void> {
    await ctx.state.putPrivate(`_implicit_org_${ctx.caller.mspId}`, ctx.state.key('claim~detail', claimId), Buffer.from('{"diagnoses":[]}'));
  }
}

const PATIENT = 'pt-0c5f1a9e';
const BOTH = { endorsers: ['Hospital1MSP', 'InsurerMSP'] };
const GTIN = '1030002143380'.slice(0, 13) + String(gs1CheckDigit('1030002143380'.slice(0, 13)));
let nonce = 0;

function detail(extra: Record<string, unknown> = {}): string {
  nonce += 1;
  return JSON.stringify({ nonce: `nonce-${String(nonce).padStart(20, '0')}`, diagnoses: [{ sequence: 1, code: 'E11.9' }], notes: phi('clinical note'), ...extra });
}

function claim(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    claimId: 'clm-1',
    patientRef: PATIENT,
    payer: 'InsurerMSP',
    coverageId: 'cov-1',
    serviceDate: '2026-02-20',
    currency: 'USD',
    items: [{ system: 'CPT', code: '99213', modifiers: ['25'], quantity: 1, unitPrice: 60_000 }],
    total: 60_000,
    ...overrides,
  };
}

function policyOrgs(ledger: InMemoryChannel, objectType: string, id: string): string[] {
  return new KeyEndorsementPolicy(Buffer.from(ledger.validationParameter(`\x00${objectType}\x00${id}\x00`)!)).listOrgs().sort();
}

describe('claims: submit', () => {
  let ledger: InMemoryChannel;
  let billing: TestIdentity;
  let adjudicator: TestIdentity;
  const submit = (body: Record<string, unknown>, who = billing, options: { transient?: Record<string, string>; endorsers?: string[] } = {}) =>
    ledger.submit(who, 'claims:submit', [JSON.stringify(body)], { transient: { detail: detail() }, ...BOTH, ...options });

  beforeEach(async () => {
    ledger = new InMemoryChannel({ contracts: [new CoverageContract(), new ClaimsContract(), new PackSeed(), new TraceContract()] });
    billing = await ledger.user('Hospital1MSP', 'billing1', { role: 'billing' });
    adjudicator = await ledger.user('InsurerMSP', 'adjudicator1', { role: 'adjudicator' });
    const coverage = {
      coverageId: 'cov-1', patientRef: PATIENT, planId: 'gold-2026', period: { start: '2026-01-01', end: '2026-12-31' }, currency: 'USD',
      deductible: 50_000, copay: 2_000, coinsuranceBps: 2_000, outOfPocketMax: 300_000, autoAdjudicationLimit: 500_000,
      benefits: [{ system: 'CPT', code: '99213' }, { system: 'CPT', code: '70553', manualReview: true }, { system: 'NDC', code: '00002143380', copay: 1_000, coinsuranceBps: 0 }],
    };
    await ledger.submit(adjudicator, 'coverage:register', [JSON.stringify(coverage)], { endorsers: ['InsurerMSP'] });
  });

  it('auto-adjudicates a covered claim, with both parties owning their parts', async () => {
    const out = JSON.parse(await submit(claim()));
    expect(out).toMatchObject({ claimId: 'clm-1', provider: 'Hospital1MSP', payer: 'InsurerMSP', status: 'approved', items: [{ sequence: 1, net: 60_000 }] });
    expect(out.adjudication.current).toMatchObject({ round: 1, mode: 'auto', outcome: 'approved', totals: { submitted: 60_000, copay: 2_000, deductible: 50_000, coinsurance: 1_600, benefit: 6_400, patientResponsibility: 53_600 } });
    expect(policyOrgs(ledger, 'claim', 'clm-1')).toEqual(['Hospital1MSP', 'InsurerMSP']);
    expect(policyOrgs(ledger, 'claim~adjudication', 'clm-1')).toEqual(['InsurerMSP']);
    expect(policyOrgs(ledger, 'claim~appeal', 'clm-1')).toEqual(['Hospital1MSP']);
    expect(policyOrgs(ledger, 'coverage~accumulator', `${PATIENT}\x00cov-1\x002026`)).toEqual(['InsurerMSP']);
    expect(ledger.events.at(-1)?.payload).toEqual({ txId: expect.any(String), changes: [{ type: 'claim', id: 'clm-1', action: 'submitted', status: 'approved', provider: 'Hospital1MSP', payer: 'InsurerMSP' }] });
    // The deductible is now met: a second visit pays copay and coinsurance only.
    const second = JSON.parse(await submit(claim({ claimId: 'clm-2', serviceDate: '2026-02-21' })));
    expect(second.adjudication.current.totals).toMatchObject({ deductible: 0, coinsurance: 11_600, benefit: 46_400 });
  });

  it('is deterministic: both endorsing peers produce the same result and writes', async () => {
    // InMemoryChannel runs the function on each endorser and fails on any difference.
    await expect(submit(claim(), billing, { endorsers: ['Hospital1MSP', 'InsurerMSP', 'Hospital1MSP'] })).resolves.toContain('"status":"approved"');
  });

  it('keeps clinical detail with the provider and the payer only; the channel holds its hash', async () => {
    const body = detail({ procedures: [{ sequence: 1, system: 'CPT', code: '99213', itemSequences: [1] }] });
    const out = JSON.parse(await submit(claim(), billing, { transient: { detail: body } }));
    expect(out.detailHash).toBe(createHash('sha256').update(canonicalJson(JSON.parse(body))).digest('hex'));
    // The hash Fabric keeps on every peer for each party's collection is the same one.
    for (const org of ['Hospital1MSP', 'InsurerMSP']) {
      expect(Buffer.from(ledger.privateHash(`_implicit_org_${org}`, '\x00claim~detail\x00clm-1\x00')!).toString('hex')).toBe(out.detailHash);
    }
    const getDetail = (who: TestIdentity, peer: string) => ledger.evaluate(who, 'claims:getDetail', [JSON.stringify({ claimId: 'clm-1' })], { peer });
    expect(JSON.parse(await getDetail(billing, 'Hospital1MSP')).detail.diagnoses).toEqual([{ sequence: 1, code: 'E11.9' }]);
    expect(JSON.parse(await getDetail(adjudicator, 'InsurerMSP')).detail.notes).toContain('clinical note');
    await expect(getDetail(billing, 'Hospital2MSP')).rejects.toThrow(/^WRONG_PEER/);
    await expect(getDetail(billing, 'InsurerMSP')).rejects.toThrow(/^WRONG_PEER/);
    await expect(getDetail(await ledger.user('Hospital2MSP', 'billing2', { role: 'billing' }), 'Hospital2MSP')).rejects.toThrow(/^ORG_FORBIDDEN/);
    await expect(getDetail(await ledger.user('Hospital1MSP', 'clin', { role: 'clinician' }), 'Hospital1MSP')).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await ledger.submit(billing, 'seed:tamper', ['clm-1']);
    await expect(getDetail(billing, 'Hospital1MSP')).rejects.toThrow(/^CONTENT_HASH_MISMATCH: .*clm-1/);
    expect(JSON.parse(await getDetail(adjudicator, 'InsurerMSP')).detail.diagnoses).toHaveLength(1);
    // No diagnosis code anywhere public (notes are caught by the privacy scan after this file).
    for (const record of ledger.publicRecords) expect(Buffer.from(record.bytes).toString()).not.toContain('E11.9');
  });

  it('needs the payer peer too: its implicit collection receives the detail', async () => {
    await expect(submit(claim(), billing, { endorsers: ['Hospital1MSP'] })).rejects.toThrow('ENDORSEMENT_POLICY_FAILURE');
  });

  it('pends when the rules leave it to the payer, and denies when the coverage is not in force', async () => {
    const pended = JSON.parse(await submit(claim({ items: [{ system: 'CPT', code: '70553', quantity: 1, unitPrice: 90_000 }], total: 90_000 })));
    expect(pended).toMatchObject({ status: 'pended', adjudication: { pendReasons: ['MANUAL_REVIEW_CODE'] } });
    expect(pended.adjudication.current).toBeUndefined();
    const big = JSON.parse(await submit(claim({ claimId: 'clm-2', items: [{ system: 'CPT', code: '99213', quantity: 9, unitPrice: 60_000 }], total: 540_000 })));
    expect(big.adjudication.pendReasons).toEqual(['ABOVE_AUTO_LIMIT']);
    const expired = JSON.parse(await submit(claim({ claimId: 'clm-3', serviceDate: '2025-12-31' })));
    expect(expired).toMatchObject({ status: 'denied', adjudication: { current: { reasons: ['COVERAGE_INACTIVE'], totals: { benefit: 0 } } } });
  });

  it.each([
    ['clinician', 'Hospital1MSP', 'clinician', /^ROLE_FORBIDDEN/],
    ['adjudicator', 'InsurerMSP', 'adjudicator', /^ROLE_FORBIDDEN/],
    ['billing in a payer', 'InsurerMSP', 'billing', /^ORG_FORBIDDEN/],
    ['billing in a distributor', 'DistributorMSP', 'billing', /^ORG_FORBIDDEN/],
  ])('refuses a %s', async (_name, msp, role, error) => {
    const who = await ledger.user(msp, `u-${role}`, { role });
    await expect(submit(claim(), who)).rejects.toThrow(error);
  });

  it.each([
    ['a total that does not add up', { total: 59_999 }, /^CLAIM_TOTAL_MISMATCH: .*total 59999/],
    ['a line net that does not add up', { items: [{ system: 'CPT', code: '99213', quantity: 2, unitPrice: 30_000, net: 50_000 }] }, /^CLAIM_TOTAL_MISMATCH: .*items\/0/],
    ['a malformed code', { items: [{ system: 'CPT', code: '9921X', quantity: 1, unitPrice: 60_000 }] }, /^VALIDATION_FAILED: .*request\/items\/0\/code/],
    ['a code of another system', { items: [{ system: 'CPT', code: 'J1100', quantity: 1, unitPrice: 60_000 }] }, /^VALIDATION_FAILED: .*not a CPT code/],
    ['a malformed modifier', { items: [{ system: 'CPT', code: '99213', modifiers: ['5'], quantity: 1, unitPrice: 60_000 }] }, /^VALIDATION_FAILED: .*modifiers\/0/],
    ['a negative price', { items: [{ system: 'CPT', code: '99213', quantity: 1, unitPrice: -1 }], total: -1 }, /^VALIDATION_FAILED: .*unitPrice/],
    ['a fractional price', { items: [{ system: 'CPT', code: '99213', quantity: 1, unitPrice: 600.5 }], total: 600.5 }, /^VALIDATION_FAILED: .*unitPrice/],
    ['a fractional total', { total: 60_000.25 }, /^VALIDATION_FAILED: .*request\/total/],
    ['a zero quantity', { items: [{ system: 'CPT', code: '99213', quantity: 0, unitPrice: 1 }], total: 0 }, /^VALIDATION_FAILED: .*quantity/],
    ['a currency not ISO 4217', { currency: 'dollars' }, /^VALIDATION_FAILED: .*currency/],
    ['an impossible date', { serviceDate: '2026-02-30' }, /^VALIDATION_FAILED: .*serviceDate: not a calendar date/],
    ['a future date', { serviceDate: '2026-03-02' }, /^VALIDATION_FAILED: .*serviceDate: in the future/],
    ['a payer that is not a payer', { payer: 'Hospital2MSP' }, /^VALIDATION_FAILED: .*request\/payer/],
    ['a diagnosis in the public part', { diagnosis: ['E11.9'] }, /^VALIDATION_FAILED: /],
    ['an unknown coverage', { coverageId: 'cov-x' }, /^COVERAGE_NOT_FOUND/],
    ['another patient for the coverage', { patientRef: 'pt-8e41d3b2' }, /^COVERAGE_MISMATCH: .*patientRef/],
    ['another currency than the coverage', { currency: 'EUR' }, /^COVERAGE_MISMATCH: .*currency/],
  ])('rejects %s', async (_name, overrides, error) => {
    await expect(submit(claim(overrides))).rejects.toThrow(error);
  });

  it.each([
    ['missing detail', undefined, /^TRANSIENT_MISSING: .*detail/],
    ['detail that is not JSON', 'not json', /^TRANSIENT_INVALID: .*not JSON/],
    ['a malformed ICD-10 code', JSON.stringify({ nonce: 'x'.repeat(24), diagnoses: [{ sequence: 1, code: 'E1' }] }), /^TRANSIENT_INVALID: .*detail\/diagnoses\/0\/code/],
    ['no nonce', JSON.stringify({ diagnoses: [{ sequence: 1, code: 'E11.9' }] }), /^TRANSIENT_INVALID: .*nonce/],
    ['a bad procedure code', detail({ procedures: [{ sequence: 1, system: 'ICD-10-PCS', code: '99213' }] }), /^TRANSIENT_INVALID: .*procedures\/0\/code/],
    ['oversized detail', detail({ notes: 'x'.repeat(70_000) }), /^TRANSIENT_TOO_LARGE/],
  ])('rejects %s', async (_name, body, error) => {
    await expect(submit(claim(), billing, { transient: body === undefined ? {} : { detail: body } })).rejects.toThrow(error);
  });

  describe('duplicates', () => {
    beforeEach(async () => {
      await submit(claim({ items: [{ system: 'CPT', code: '99213', modifiers: ['25'], quantity: 1, unitPrice: 60_000 }, { system: 'CPT', code: '97110', quantity: 1, unitPrice: 1_000 }], total: 61_000 }));
    });

    it('rejects a reused claim id', async () => {
      await expect(submit(claim({ serviceDate: '2026-01-05' }))).rejects.toThrow(/^CLAIM_EXISTS: .*clm-1/);
    });

    it('rejects the same patient, provider, date and codes in any order', async () => {
      const again = claim({ claimId: 'clm-2', items: [{ system: 'CPT', code: '97110', quantity: 2, unitPrice: 500 }, { system: 'CPT', code: '99213', modifiers: ['25'], quantity: 1, unitPrice: 60_000 }], total: 61_000 });
      await expect(submit(again)).rejects.toThrow(/^CLAIM_DUPLICATE: .*clm-1/);
    });

    it('accepts but flags, and pends for the payer, the same claim with other modifiers', async () => {
      const bilateral = claim({ claimId: 'clm-2', items: [{ system: 'CPT', code: '99213', modifiers: ['25', '59'], quantity: 1, unitPrice: 60_000 }, { system: 'CPT', code: '97110', quantity: 1, unitPrice: 1_000 }], total: 61_000 });
      expect(JSON.parse(await submit(bilateral))).toMatchObject({ claimId: 'clm-2', possibleDuplicateOf: 'clm-1', status: 'pended', adjudication: { pendReasons: ['POSSIBLE_DUPLICATE'] } });
    });

    it('accepts another date, or the same services from another provider', async () => {
      await submit(claim({ claimId: 'clm-2', serviceDate: '2026-02-21' }));
      const billing2 = await ledger.user('Hospital2MSP', 'billing2', { role: 'billing' });
      const out = JSON.parse(await submit(claim({ claimId: 'clm-3', items: [{ system: 'CPT', code: '99213', modifiers: ['25'], quantity: 1, unitPrice: 60_000 }, { system: 'CPT', code: '97110', quantity: 1, unitPrice: 1_000 }], total: 61_000 }), billing2, { endorsers: ['Hospital2MSP', 'InsurerMSP'] }));
      expect(out.possibleDuplicateOf).toBeUndefined();
    });
  });

  describe('drug lines', () => {
    const seed = async (serial: string, fields: Partial<Pack>) => {
      const owner = fields.owner ?? 'Hospital1MSP';
      const pack = { gtin: GTIN, serial, lot: 'L1', expiry: '2027-01-01', manufacturer: 'ManufacturerMSP', owner, status: 'dispensed', dispensedBy: owner, event: { bizStep: 'dispensing', action: 'DELETE', eventTime: '2026-02-20T10:00:00Z' }, updatedBy: { org: owner, role: 'dispenser', actor: 'a', txId: 't', at: '2026-02-20T10:00:00.000Z' }, ...fields };
      await ledger.submit(billing, 'seed:pack', [JSON.stringify(pack)], { endorsers: [owner] });
    };
    const drugClaim = (claimId: string, serials: string[]) =>
      claim({ claimId, serviceDate: '2026-02-2' + String(serials.length), items: serials.map((serial) => ({ system: 'NDC', code: '00002143380', quantity: 1, unitPrice: 4_000, sgtin: { gtin: GTIN, serial } })), total: 4_000 * serials.length });

    it('bills a pack the provider dispensed, once', async () => {
      await seed('S1', {});
      const out = JSON.parse(await submit(drugClaim('clm-d1', ['S1'])));
      expect(out).toMatchObject({ status: 'approved', items: [{ sgtin: { gtin: GTIN, serial: 'S1' } }] });
      const pack = JSON.parse(Buffer.from(ledger.committedValue(`\x00pack\x00${GTIN}\x00S1\x00`)!).toString());
      expect(pack.billedClaimId).toBe('clm-d1');
      await expect(submit({ ...drugClaim('clm-d2', ['S1']), serviceDate: '2026-02-10' })).rejects.toThrow(/^CLAIM_DRUG_ALREADY_BILLED: .*S1/);
    });

    it('bills a pack dispensed through the traceability contract, end to end', async () => {
      const gtin = '09506000134352';
      const packId = { gtin, serial: 'P1' };
      const mfr = await ledger.user('ManufacturerMSP', 'manufacturer1', { role: 'manufacturer' });
      const pharmacist = await ledger.user('Hospital1MSP', 'pharmacist1', { role: 'dispenser' });
      const trace = (who: TestIdentity, fn: string, body: unknown, endorsers?: string[]) => ledger.submit(who, `trace:${fn}`, [JSON.stringify(body)], endorsers ? { endorsers } : {});
      await trace(mfr, 'registerProduct', { gtin, companyPrefixLength: 7, name: 'Insulin glargine pen', strength: '100 U/mL', dosageForm: 'solution for injection', packSize: 5, storage: { minCelsius: 2, maxCelsius: 8 } });
      await trace(mfr, 'commission', { gtin, lot: 'L1', expiry: '2026-06-30', range: { prefix: 'P', start: 1, count: 1 } });
      await trace(mfr, 'ship', { shipmentId: 'SH1', to: 'Hospital1MSP', packs: [packId], transactionDate: '2026-03-01', transactionStatement: { attested: true } });
      await trace(pharmacist, 'receive', { shipmentId: 'SH1', packs: [packId] }, ['ManufacturerMSP', 'Hospital1MSP']);
      const body = claim({ claimId: 'clm-e2e', items: [{ system: 'NDC', code: '00002143380', quantity: 1, unitPrice: 4_000, sgtin: packId }], total: 4_000 });
      await expect(submit(body)).rejects.toThrow(/^CLAIM_DRUG_NOT_DISPENSED/);
      await trace(pharmacist, 'dispense', packId);
      expect(JSON.parse(await submit(body)).status).toBe('approved');
      expect(JSON.parse(Buffer.from(ledger.committedValue(`\x00pack\x00${gtin}\x00P1\x00`)!).toString())).toMatchObject({ status: 'dispensed', dispensedBy: 'Hospital1MSP', billedClaimId: 'clm-e2e' });
    });

    it('refuses packs not dispensed, dispensed by another organisation, unknown or named twice', async () => {
      await seed('S2', { status: 'active', dispensedBy: undefined });
      await seed('S3', { owner: 'Hospital2MSP' });
      await seed('S4', {});
      await expect(submit(drugClaim('clm-d2', ['S2']))).rejects.toThrow(/^CLAIM_DRUG_NOT_DISPENSED: .*S2/);
      await expect(submit(drugClaim('clm-d3', ['S3']))).rejects.toThrow(/^CLAIM_DRUG_NOT_DISPENSED: .*S3/);
      await expect(submit(drugClaim('clm-d4', ['S9']))).rejects.toThrow(/^PACK_NOT_FOUND: .*S9/);
      await expect(submit(drugClaim('clm-d5', ['S4', 'S4']))).rejects.toThrow(/^CLAIM_DRUG_ALREADY_BILLED: .*twice/);
    });

    it('rejects a pack on a non-drug line and a GTIN with a wrong check digit', async () => {
      const onCpt = claim({ items: [{ system: 'CPT', code: '99213', quantity: 1, unitPrice: 60_000, sgtin: { gtin: GTIN, serial: 'S1' } }] });
      await expect(submit(onCpt)).rejects.toThrow(/^VALIDATION_FAILED: .*sgtin: only NDC lines/);
      const badGtin = GTIN.slice(0, 13) + String((Number(GTIN[13]) + 1) % 10);
      await expect(submit(claim({ items: [{ system: 'NDC', code: '00002143380', quantity: 1, unitPrice: 60_000, sgtin: { gtin: badGtin, serial: 'S1' } }] }))).rejects.toThrow(/^VALIDATION_FAILED: .*check digit/);
    });
  });
});
