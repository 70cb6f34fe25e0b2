import { coinsuranceOf, roundHalfUp, shareCost } from './cost-sharing';
import type { Accumulator } from './accumulators';
import type { Coverage } from './coverage-ledger';
import { decideByRules, outcomeOf, price, reverse } from './pricing';
import type { ServiceLine } from '@healthledger/contract-api';

const stamp = { org: 'InsurerMSP', role: 'adjudicator', actor: 'a', txId: 't', at: '2026-01-01T00:00:00.000Z' };

function coverage(overrides: Partial<Coverage> = {}): Coverage {
  return {
    coverageId: 'cov-1',
    patientRef: 'pt-0001',
    payer: 'InsurerMSP',
    planId: 'gold',
    period: { start: '2026-01-01', end: '2026-12-31' },
    status: 'active',
    currency: 'USD',
    deductible: 50_000,
    copay: 2_000,
    coinsuranceBps: 2_000,
    outOfPocketMax: 300_000,
    benefits: [
      { system: 'CPT', code: '99213' },
      { system: 'CPT', code: '97110', quantityLimitPerYear: 4 },
      { system: 'NDC', code: '00002143380', copay: 1_000, coinsuranceBps: 0 },
    ],
    updatedBy: stamp,
    ...overrides,
  };
}

function used(overrides: Partial<Accumulator> = {}): Accumulator {
  return { patientRef: 'pt-0001', coverageId: 'cov-1', year: '2026', deductibleMet: 0, outOfPocket: 0, units: {}, ...overrides };
}

const visit = (unitPrice: number, quantity = 1): ServiceLine => ({ system: 'CPT', code: '99213', quantity, unitPrice });

describe('the rounding rule', () => {
  it.each([
    [10_001, 2_000, 2_000], // 2000.2 → 2000
    [10_003, 2_500, 2_501], // 2500.75 → 2501
    [2, 2_500, 1], // 0.5 → 1 (half up)
    [6, 2_500, 2], // 1.5 → 2
    [1, 4_999, 0], // 0.4999 → 0
    [0, 10_000, 0],
    [1_000_000_000_000, 3_333, 333_300_000_000], // large amounts stay exact
  ])('coinsurance of %i at %i bp is %i', (amount, bps, expected) => {
    expect(coinsuranceOf(amount, bps)).toBe(expected);
  });

  it('rounds half up exactly', () => {
    expect(roundHalfUp(5n, 10n)).toBe(1);
    expect(roundHalfUp(4n, 10n)).toBe(0);
    expect(roundHalfUp(15n, 10n)).toBe(2);
  });
});

describe('cost sharing of one line', () => {
  it('caps each component by the out-of-pocket room, in order copay, deductible, coinsurance', () => {
    const { share, remaining } = shareCost(100_000, { copay: 2_000, coinsuranceBps: 2_000 }, { deductible: 50_000, outOfPocket: 55_000 });
    expect(share).toEqual({ copay: 2_000, deductible: 50_000, coinsurance: 3_000, benefit: 45_000 });
    expect(remaining).toEqual({ deductible: 0, outOfPocket: 0 });
  });

  it('charges no more copay than the eligible amount', () => {
    expect(shareCost(1_500, { copay: 2_000, coinsuranceBps: 2_000 }, { deductible: 0, outOfPocket: 10_000 }).share).toEqual({ copay: 1_500, deductible: 0, coinsurance: 0, benefit: 0 });
  });
});

interface Case {
  name: string;
  cov?: Partial<Coverage>;
  acc?: Partial<Accumulator>;
  serviceDate?: string;
  lines: ServiceLine[];
  expect: { eligible: number; copay: number; deductible: number; coinsurance: number; benefit: number; patientResponsibility: number; outcome: string; reasons: string[][] };
}

const cases: Case[] = [
  {
    name: 'deductible partially met',
    acc: { deductibleMet: 30_000, outOfPocket: 30_000 },
    lines: [visit(50_000)],
    // 50 000 − copay 2 000 = 48 000; deductible left 20 000; 28 000 × 20 % = 5 600
    expect: { eligible: 50_000, copay: 2_000, deductible: 20_000, coinsurance: 5_600, benefit: 22_400, patientResponsibility: 27_600, outcome: 'approved', reasons: [[]] },
  },
  {
    name: 'coinsurance rounding, half up per line',
    cov: { deductible: 0, copay: 0, coinsuranceBps: 2_500 },
    lines: [visit(10_003), visit(10_002)],
    // 2 500.75 → 2 501; 2 500.5 → 2 501 (each line rounded on its own)
    expect: { eligible: 20_005, copay: 0, deductible: 0, coinsurance: 5_002, benefit: 15_003, patientResponsibility: 5_002, outcome: 'approved', reasons: [[], []] },
  },
  {
    name: 'out-of-pocket maximum reached on the way',
    acc: { deductibleMet: 50_000, outOfPocket: 295_000 },
    lines: [visit(100_000)],
    // copay 2 000, then coinsurance 19 600 capped at the 3 000 left
    expect: { eligible: 100_000, copay: 2_000, deductible: 0, coinsurance: 3_000, benefit: 95_000, patientResponsibility: 5_000, outcome: 'approved', reasons: [[]] },
  },
  {
    name: 'out-of-pocket maximum already reached',
    acc: { deductibleMet: 50_000, outOfPocket: 300_000 },
    lines: [visit(100_000)],
    expect: { eligible: 100_000, copay: 0, deductible: 0, coinsurance: 0, benefit: 100_000, patientResponsibility: 0, outcome: 'approved', reasons: [[]] },
  },
  {
    name: 'non-covered code',
    lines: [visit(10_000), { system: 'CPT', code: '17000', quantity: 1, unitPrice: 30_000 }],
    // the covered visit: copay 2 000 then 8 000 towards the deductible; the other line is the patient's
    expect: { eligible: 10_000, copay: 2_000, deductible: 8_000, coinsurance: 0, benefit: 0, patientResponsibility: 40_000, outcome: 'partial', reasons: [[], ['NOT_COVERED']] },
  },
  {
    name: 'limit exceeded (4 units a year, 3 used)',
    cov: { deductible: 0, copay: 0, coinsuranceBps: 1_000 },
    acc: { units: { 'CPT:97110': 3 } },
    lines: [{ system: 'CPT', code: '97110', quantity: 2, unitPrice: 5_000 }],
    expect: { eligible: 5_000, copay: 0, deductible: 0, coinsurance: 500, benefit: 4_500, patientResponsibility: 5_500, outcome: 'partial', reasons: [['LIMIT_EXCEEDED']] },
  },
  {
    name: 'limit exhausted',
    acc: { units: { 'CPT:97110': 4 } },
    lines: [{ system: 'CPT', code: '97110', quantity: 1, unitPrice: 5_000 }],
    expect: { eligible: 0, copay: 0, deductible: 0, coinsurance: 0, benefit: 0, patientResponsibility: 5_000, outcome: 'denied', reasons: [['LIMIT_EXCEEDED']] },
  },
  {
    name: 'coverage expired',
    serviceDate: '2027-01-02',
    lines: [visit(10_000)],
    expect: { eligible: 0, copay: 0, deductible: 0, coinsurance: 0, benefit: 0, patientResponsibility: 10_000, outcome: 'denied', reasons: [['COVERAGE_INACTIVE']] },
  },
  {
    name: 'coverage cancelled',
    cov: { status: 'cancelled' },
    lines: [visit(10_000)],
    expect: { eligible: 0, copay: 0, deductible: 0, coinsurance: 0, benefit: 0, patientResponsibility: 10_000, outcome: 'denied', reasons: [['COVERAGE_INACTIVE']] },
  },
  {
    name: 'drug line with its own copay and no coinsurance, deductible met',
    acc: { deductibleMet: 50_000 },
    lines: [{ system: 'NDC', code: '00002143380', quantity: 3, unitPrice: 4_000 }],
    expect: { eligible: 12_000, copay: 1_000, deductible: 0, coinsurance: 0, benefit: 11_000, patientResponsibility: 1_000, outcome: 'approved', reasons: [[]] },
  },
];

describe('adjudication math', () => {
  it.each(cases)('$name', (c) => {
    const cov = coverage(c.cov);
    const acc = used(c.acc);
    const decisions = decideByRules(cov, c.serviceDate ?? '2026-06-15', c.lines, acc);
    const priced = price(cov, c.lines, decisions, acc);
    const { submitted, ...totals } = priced.totals;
    expect(totals).toEqual({ eligible: c.expect.eligible, copay: c.expect.copay, deductible: c.expect.deductible, coinsurance: c.expect.coinsurance, benefit: c.expect.benefit, patientResponsibility: c.expect.patientResponsibility });
    expect(submitted).toBe(c.lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0));
    expect(outcomeOf(c.lines, decisions)).toBe(c.expect.outcome);
    expect(priced.lines.map((l) => l.reasons)).toEqual(c.expect.reasons);
    for (const line of priced.lines) {
      expect(line.submitted).toBe(line.benefit + line.patientResponsibility);
      expect(line.eligible).toBe(line.copay + line.deductible + line.coinsurance + line.benefit);
    }
  });

  it('moves the accumulator by what was applied, and reverse takes it back out', () => {
    const cov = coverage();
    const lines = [visit(30_000), { system: 'CPT' as const, code: '97110', quantity: 2, unitPrice: 5_000 }];
    const before = used({ deductibleMet: 10_000, outOfPocket: 12_000, units: { 'CPT:97110': 1 } });
    const priced = price(cov, lines, decideByRules(cov, '2026-06-15', lines, before), before);
    // line 1: copay 2 000, deductible 28 000; line 2: copay 2 000, deductible 8 000
    expect(priced.accumulator).toEqual({ ...before, deductibleMet: 46_000, outOfPocket: 12_000 + priced.totals.patientResponsibility, units: { 'CPT:97110': 3, 'CPT:99213': 1 } });
    expect(reverse(priced.accumulator, lines, priced.lines)).toEqual(before);
    expect(before.units).toEqual({ 'CPT:97110': 1 });
  });

  it('counts earlier lines of the same claim against a limit', () => {
    const cov = coverage();
    const line = { system: 'CPT' as const, code: '97110', quantity: 3, unitPrice: 1_000 };
    expect(decideByRules(cov, '2026-06-15', [line, line], used()).map((d) => d.eligibleQuantity)).toEqual([3, 1]);
  });
});
