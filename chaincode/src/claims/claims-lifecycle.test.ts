import { AuditContract } from '../audit';
import { InMemoryChannel, phi, type TestIdentity } from '../testing';
import { ClaimsContract } from './claims-contract';
import { CoverageContract } from './coverage-contract';

const PATIENT = 'pt-0c5f1a9e';
const H1 = 'Hospital1MSP';
const PAYER = 'InsurerMSP';
const BOTH = { endorsers: [H1, PAYER] };
let seq = 0;

const lines = {
  visit: { system: 'CPT', code: '99213', quantity: 1, unitPrice: 60_000 },
  mri: { system: 'CPT', code: '70553', quantity: 1, unitPrice: 90_000 },
  therapy: { system: 'CPT', code: '97110', quantity: 4, unitPrice: 5_000 },
};

describe('claims: adjudication, payment, appeal', () => {
  let ledger: InMemoryChannel;
  let billing: TestIdentity;
  let adjudicator: TestIdentity;

  const call = (who: TestIdentity, fn: string, body: Record<string, unknown>, endorsers = BOTH.endorsers) =>
    ledger.submit(who, `claims:${fn}`, [JSON.stringify(body)], { endorsers }).then((r) => JSON.parse(r));
  /** A claim the rules pend (the MRI code needs manual review). */
  const pended = (claimId: string, items: Record<string, unknown>[] = [lines.mri, lines.therapy], serviceDate = '2026-02-20') => {
    seq += 1;
    const total = items.reduce((s, i) => s + Number(i.quantity) * Number(i.unitPrice), 0);
    const body = { claimId, patientRef: PATIENT, payer: PAYER, coverageId: 'cov-1', serviceDate, currency: 'USD', items, total };
    const detail = JSON.stringify({ nonce: `n-${String(seq).padStart(24, '0')}`, diagnoses: [{ sequence: 1, code: 'G43.909' }], notes: phi('note') });
    return ledger.submit(billing, 'claims:submit', [JSON.stringify(body)], { ...BOTH, transient: { detail } }).then((r) => JSON.parse(r));
  };
  const eligibility = async () =>
    JSON.parse(await ledger.evaluate(billing, 'coverage:checkEligibility', [JSON.stringify({ coverageId: 'cov-1', patientRef: PATIENT, serviceDate: '2026-02-25', currency: 'USD', items: [lines.visit] })]));

  beforeEach(async () => {
    ledger = new InMemoryChannel({ contracts: [new CoverageContract(), new ClaimsContract(), new AuditContract()] });
    billing = await ledger.user(H1, 'billing1', { role: 'billing' });
    adjudicator = await ledger.user(PAYER, 'adjudicator1', { role: 'adjudicator' });
    const coverage = {
      coverageId: 'cov-1', patientRef: PATIENT, planId: 'gold-2026', period: { start: '2026-01-01', end: '2026-12-31' }, currency: 'USD',
      deductible: 50_000, copay: 2_000, coinsuranceBps: 2_000, outOfPocketMax: 300_000,
      benefits: [{ system: 'CPT', code: '99213' }, { system: 'CPT', code: '70553', manualReview: true }, { system: 'CPT', code: '97110', quantityLimitPerYear: 10 }],
    };
    await ledger.submit(adjudicator, 'coverage:register', [JSON.stringify(coverage)], { endorsers: [PAYER] });
  });

  it('approves a pended claim, then records the payment of exactly the benefit', async () => {
    await pended('clm-1');
    const approved = await call(adjudicator, 'adjudicate', { claimId: 'clm-1', decision: 'approve' });
    // 110 000 eligible: copay 2 000 + 50 000 deductible on the MRI, 20 % of 38 000; therapy: copay 2 000, 20 % of 18 000
    expect(approved).toMatchObject({ status: 'approved', adjudication: { current: { round: 1, mode: 'manual', outcome: 'approved', totals: { eligible: 110_000, benefit: 44_800 } } } });
    await expect(call(adjudicator, 'pay', { claimId: 'clm-1', amount: 44_799, currency: 'USD', reference: 'EFT-1' })).rejects.toThrow(/^CLAIM_PAYMENT_MISMATCH: .*44800/);
    await expect(call(adjudicator, 'pay', { claimId: 'clm-1', amount: 44_800, currency: 'EUR', reference: 'EFT-1' })).rejects.toThrow(/^CLAIM_PAYMENT_MISMATCH/);
    const paid = await call(adjudicator, 'pay', { claimId: 'clm-1', amount: 44_800, currency: 'USD', reference: 'EFT-1' });
    expect(paid).toMatchObject({ status: 'paid', adjudication: { payment: { amount: 44_800, reference: 'EFT-1' } } });
    await expect(call(adjudicator, 'pay', { claimId: 'clm-1', amount: 44_800, currency: 'USD', reference: 'EFT-2' })).rejects.toThrow(/^CLAIM_ILLEGAL_TRANSITION: .*cannot pay a paid claim/);
    const statuses = ledger.events.slice(-3).map((e) => e.payload as { changes: Record<string, unknown>[] });
    expect(statuses.map((e) => e.changes)).toEqual([
      [{ type: 'claim', id: 'clm-1', action: 'submitted', status: 'pended', provider: H1, payer: PAYER }],
      [{ type: 'claim', id: 'clm-1', action: 'adjudicated', status: 'approved', provider: H1, payer: PAYER }],
      [{ type: 'claim', id: 'clm-1', action: 'paid', status: 'paid', provider: H1, payer: PAYER }],
    ]);
    // The claim's history through the audit contract: the header's key history, one entry per status.
    const auditor = await ledger.user(PAYER, 'auditor3', { role: 'auditor' });
    const history = JSON.parse(await ledger.evaluate(auditor, 'audit:history', [JSON.stringify({ assetType: 'claim', id: 'clm-1' })]));
    expect(history.items.map((e: { value: { status: string }; actor: { org: string } }) => [e.value.status, e.actor.org])).toEqual([['paid', PAYER], ['approved', PAYER], ['pended', H1]]);
    // The provider's staff read it too, being party to the claim.
    expect(JSON.parse(await ledger.evaluate(billing, 'audit:history', [JSON.stringify({ assetType: 'claim', id: 'clm-1' })])).items).toHaveLength(3);
  });

  it('partially approves per line, takes an appeal and re-adjudicates without counting the deductible twice', async () => {
    await pended('clm-1');
    const partial = await call(adjudicator, 'adjudicate', { claimId: 'clm-1', decision: 'partial', items: [{ sequence: 2, eligibleQuantity: 1, reasons: ['NOT_MEDICALLY_NECESSARY'] }] });
    expect(partial.status).toBe('partial');
    expect(partial.adjudication.current.items[1]).toMatchObject({ eligibleQuantity: 1, reasons: ['NOT_MEDICALLY_NECESSARY'], submitted: 20_000, eligible: 5_000 });
    expect((await eligibility()).deductibleRemaining).toBe(0);
    const appealed = await call(billing, 'appeal', { claimId: 'clm-1', reason: 'MEDICAL_NECESSITY' });
    expect(appealed).toMatchObject({ status: 'appealed', appeal: { appeals: [{ reason: 'MEDICAL_NECESSITY', afterRound: 1 }] } });
    await expect(call(billing, 'appeal', { claimId: 'clm-1', reason: 'OTHER' })).rejects.toThrow(/^CLAIM_ILLEGAL_TRANSITION/);
    const readjudicated = await call(adjudicator, 'adjudicate', { claimId: 'clm-1', decision: 'approve' });
    expect(readjudicated).toMatchObject({ status: 'approved', adjudication: { current: { round: 2, totals: { benefit: 44_800 } } } });
    expect(ledger.events.at(-1)?.payload).toMatchObject({ changes: [{ action: 're-adjudicated', status: 'approved' }] });
    // Same figures as a first-time approval: round 1's deductible and out-of-pocket were taken back out.
    const estimate = await eligibility();
    expect(estimate).toMatchObject({ deductibleRemaining: 0, outOfPocketRemaining: 300_000 - 65_200 });
  });

  it('denies with reason codes only, and an appealed denial can be re-adjudicated', async () => {
    await pended('clm-1');
    await expect(call(adjudicator, 'adjudicate', { claimId: 'clm-1', decision: 'deny' })).rejects.toThrow(/^VALIDATION_FAILED: .*request\/reasons/);
    const denied = await call(adjudicator, 'adjudicate', { claimId: 'clm-1', decision: 'deny', reasons: ['PRIOR_AUTH_REQUIRED'] });
    expect(denied).toMatchObject({ status: 'denied', adjudication: { current: { outcome: 'denied', reasons: ['PRIOR_AUTH_REQUIRED'], totals: { benefit: 0, patientResponsibility: 110_000 } } } });
    expect((await eligibility()).deductibleRemaining).toBe(50_000);
    await expect(call(adjudicator, 'pay', { claimId: 'clm-1', amount: 0, currency: 'USD', reference: 'x' })).rejects.toThrow(/^CLAIM_ILLEGAL_TRANSITION/);
    await call(billing, 'appeal', { claimId: 'clm-1', reason: 'ADDITIONAL_INFORMATION' });
    expect((await call(adjudicator, 'adjudicate', { claimId: 'clm-1', decision: 'partial', items: [{ sequence: 1, eligibleQuantity: 0, reasons: ['BUNDLED'] }] })).status).toBe('partial');
  });

  it.each([
    ['a partial decision without lines', { decision: 'partial' }, /request\/items: a partial decision names/],
    ['a partial decision that reduces nothing', { decision: 'partial', items: [{ sequence: 1, eligibleQuantity: 1 }] }, /reduces some lines but not all/],
    ['a partial decision that reduces everything', { decision: 'partial', items: [{ sequence: 1, eligibleQuantity: 0, reasons: ['OTHER'] }, { sequence: 2, eligibleQuantity: 0, reasons: ['OTHER'] }] }, /reduces some lines but not all/],
    ['a reduced line without reasons', { decision: 'partial', items: [{ sequence: 2, eligibleQuantity: 1 }] }, /items\/0\/reasons/],
    ['a line that does not exist', { decision: 'partial', items: [{ sequence: 3, eligibleQuantity: 0, reasons: ['OTHER'] }] }, /items\/0\/sequence/],
    ['a line named twice', { decision: 'partial', items: [{ sequence: 2, eligibleQuantity: 1, reasons: ['OTHER'] }, { sequence: 2, eligibleQuantity: 2, reasons: ['OTHER'] }] }, /items\/1\/sequence/],
    ['more than the billed quantity', { decision: 'partial', items: [{ sequence: 2, eligibleQuantity: 5 }] }, /eligibleQuantity: above/],
    ['an unknown reason code', { decision: 'deny', reasons: ['BECAUSE'] }, /request\/reasons/],
  ])('refuses %s', async (_name, body, error) => {
    await pended('clm-1');
    await expect(call(adjudicator, 'adjudicate', { claimId: 'clm-1', ...body })).rejects.toThrow(error);
  });

  it('refuses illegal transitions', async () => {
    await pended('clm-p');
    await expect(call(billing, 'appeal', { claimId: 'clm-p', reason: 'OTHER' })).rejects.toThrow(/^CLAIM_ILLEGAL_TRANSITION: .*cannot appeal a pended claim/);
    await expect(call(adjudicator, 'pay', { claimId: 'clm-p', amount: 0, currency: 'USD', reference: 'x' })).rejects.toThrow(/^CLAIM_ILLEGAL_TRANSITION: .*cannot pay a pended/);
    await pended('clm-a', [lines.visit]); // auto-approved
    await expect(call(adjudicator, 'adjudicate', { claimId: 'clm-a', decision: 'deny', reasons: ['OTHER'] })).rejects.toThrow(/^CLAIM_ILLEGAL_TRANSITION: .*cannot adjudicate a approved/);
    await expect(call(billing, 'appeal', { claimId: 'clm-a', reason: 'OTHER' })).rejects.toThrow(/^CLAIM_ILLEGAL_TRANSITION: .*cannot appeal a approved/);
    await expect(call(adjudicator, 'adjudicate', { claimId: 'clm-x', decision: 'approve' })).rejects.toThrow(/^CLAIM_NOT_FOUND: .*clm-x/);
  });

  it('lets only the payer adjudicate and pay, only the provider appeal', async () => {
    await pended('clm-1');
    const billing2 = await ledger.user('Hospital2MSP', 'billing2', { role: 'billing' });
    const hospitalAdjudicator = await ledger.user(H1, 'adj-h1', { role: 'adjudicator' });
    await expect(call(billing, 'adjudicate', { claimId: 'clm-1', decision: 'approve' })).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await expect(call(hospitalAdjudicator, 'adjudicate', { claimId: 'clm-1', decision: 'approve' })).rejects.toThrow(/^ORG_FORBIDDEN/);
    await expect(call(billing, 'pay', { claimId: 'clm-1', amount: 0, currency: 'USD', reference: 'x' })).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await call(adjudicator, 'adjudicate', { claimId: 'clm-1', decision: 'deny', reasons: ['OTHER'] });
    await expect(call(adjudicator, 'appeal', { claimId: 'clm-1', reason: 'OTHER' })).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await expect(call(billing2, 'appeal', { claimId: 'clm-1', reason: 'OTHER' }, ['Hospital2MSP', PAYER])).rejects.toThrow(/^ORG_FORBIDDEN: .*Hospital2MSP is not Hospital1MSP/);
  });

  it('enforces the split by state-based endorsement: neither party alone changes the claim', async () => {
    await pended('clm-1');
    await expect(call(adjudicator, 'adjudicate', { claimId: 'clm-1', decision: 'deny', reasons: ['OTHER'] }, [PAYER])).rejects.toThrow(/ENDORSEMENT_POLICY_FAILURE: .*Hospital1MSP/);
    await expect(call(adjudicator, 'adjudicate', { claimId: 'clm-1', decision: 'deny', reasons: ['OTHER'] }, [H1, 'Hospital2MSP'])).rejects.toThrow(/ENDORSEMENT_POLICY_FAILURE: .*InsurerMSP/);
    await call(adjudicator, 'adjudicate', { claimId: 'clm-1', decision: 'deny', reasons: ['OTHER'] });
    await expect(call(billing, 'appeal', { claimId: 'clm-1', reason: 'OTHER' }, [H1])).rejects.toThrow(/ENDORSEMENT_POLICY_FAILURE: .*InsurerMSP/);
    await expect(call(billing, 'appeal', { claimId: 'clm-1', reason: 'OTHER' }, [PAYER, 'Hospital2MSP'])).rejects.toThrow(/ENDORSEMENT_POLICY_FAILURE: .*Hospital1MSP/);
  });

  it('shows a claim to its parties, the patient and the parties\' auditors', async () => {
    await pended('clm-1');
    const get = (who: TestIdentity) => ledger.evaluate(who, 'claims:get', [JSON.stringify({ claimId: 'clm-1' })]).then((r) => JSON.parse(r));
    const readers = [billing, adjudicator, await ledger.user(H1, 'patient1', { role: 'patient', patient_id: PATIENT }), await ledger.user(PAYER, 'auditor3', { role: 'auditor' })];
    for (const who of readers) expect(await get(who)).toMatchObject({ claimId: 'clm-1', status: 'pended', adjudication: { pendReasons: ['MANUAL_REVIEW_CODE'] }, appeal: { appeals: [] } });
    await expect(get(await ledger.user('Hospital2MSP', 'billing2', { role: 'billing' }))).rejects.toThrow(/^ORG_FORBIDDEN/);
    await expect(get(await ledger.user('Hospital2MSP', 'auditor2', { role: 'auditor' }))).rejects.toThrow(/^ORG_FORBIDDEN/);
    await expect(get(await ledger.user('Hospital2MSP', 'patient2', { role: 'patient', patient_id: 'pt-8e41d3b2' }))).rejects.toThrow(/^NOT_PATIENT_OR_DELEGATE/);
    await expect(get(await ledger.user(H1, 'clin', { role: 'clinician' }))).rejects.toThrow(/^ROLE_FORBIDDEN/);
  });

  it('lists each party\'s claims by status, page by page', async () => {
    for (const id of ['clm-1', 'clm-2', 'clm-3']) await pended(id, [lines.mri], `2026-02-1${id.slice(-1)}`);
    await call(adjudicator, 'adjudicate', { claimId: 'clm-2', decision: 'approve' });
    const list = (who: TestIdentity, body: Record<string, unknown>) => ledger.evaluate(who, 'claims:list', [JSON.stringify(body)]).then((r) => JSON.parse(r));
    const first = await list(adjudicator, { status: 'pended', pageSize: 1 });
    expect(first.items.map((c: { claimId: string }) => c.claimId)).toEqual(['clm-1']);
    const second = await list(adjudicator, { status: 'pended', pageSize: 1, bookmark: first.bookmark });
    expect(second).toMatchObject({ items: [{ claimId: 'clm-3' }], bookmark: '' });
    expect((await list(billing, { status: 'approved' })).items.map((c: { claimId: string }) => c.claimId)).toEqual(['clm-2']);
    // Another provider sees its own claims only.
    const billing2 = await ledger.user('Hospital2MSP', 'billing2', { role: 'billing' });
    const body = { claimId: 'clm-h2', patientRef: PATIENT, payer: PAYER, coverageId: 'cov-1', serviceDate: '2026-02-11', currency: 'USD', items: [lines.mri], total: 90_000 };
    const detail = JSON.stringify({ nonce: 'h2-nonce-000000000000000000', diagnoses: [{ sequence: 1, code: 'G43.909' }] });
    await ledger.submit(billing2, 'claims:submit', [JSON.stringify(body)], { endorsers: ['Hospital2MSP', PAYER], transient: { detail } });
    expect((await list(billing2, { status: 'pended' })).items.map((c: { claimId: string }) => c.claimId)).toEqual(['clm-h2']);
    expect((await list(billing, { status: 'pended' })).items.map((c: { claimId: string }) => c.claimId)).toEqual(['clm-1', 'clm-3']);
    expect((await list(adjudicator, { status: 'pended' })).items.map((c: { claimId: string }) => c.claimId)).toEqual(['clm-1', 'clm-3', 'clm-h2']);
    await expect(list(await ledger.user(H1, 'adj-h1', { role: 'adjudicator' }), { status: 'pended' })).rejects.toThrow(/^ORG_FORBIDDEN/);
    await expect(list(await ledger.user(PAYER, 'auditor3', { role: 'auditor' }), { status: 'pended' })).rejects.toThrow(/^ROLE_FORBIDDEN/);
    await expect(list(billing, { status: 'submitted' })).rejects.toThrow(/^VALIDATION_FAILED: .*request\/status/);
  });
});
