/**
 * Coverage ⇄ FHIR R4 Coverage. The plan is a `class` of type `plan`; the plan-wide cost sharing
 * is `costToBeneficiary` (copay, deductible, out-of-pocket maximum as Money; coinsurance as a
 * `copaypct` percentage); the per-code benefits and the auto-adjudication limit, which FHIR's
 * Coverage has no element for, are the `benefit` and `auto-adjudication-limit` extensions.
 */
import type { Benefit, RegisterCoverageRequest } from '@healthledger/contract-api';
import { LOCAL, SYSTEM } from './codes';
import { ext, extensionsNamed, extValue, objectOf } from './extensions';
import { money, minorUnits } from './money';
import { codeIn, concept, invalid, logicalId, mspIdOf, organizationReference, patientRefOf, patientReference, ledgerIdOf } from './references';
import { stampExt, stampOf, type Stamp } from './stamp';
import type { CodeableConcept, Money, Period, Quantity, Reference, Resource } from './types';

/** A coverage as the ledger stores and returns it. */
export interface LedgerCoverage extends Omit<RegisterCoverageRequest, 'status'> {
  payer: string;
  status: 'active' | 'cancelled';
  updatedBy: Stamp;
}

interface CostToBeneficiary {
  type: CodeableConcept;
  valueMoney?: Money;
  valueQuantity?: Quantity;
}

/** A FHIR Coverage as this interface emits it. */
export interface FhirCoverage extends Resource {
  resourceType: 'Coverage';
  status: string;
  beneficiary: Reference;
  payor: Reference[];
  period: Period;
  class: { type: CodeableConcept; value: string }[];
  costToBeneficiary: CostToBeneficiary[];
}

/** The ledger's coverage as a FHIR Coverage. */
export function coverageToFhir(c: LedgerCoverage): FhirCoverage {
  const cost = (code: string, minor: number): CostToBeneficiary => ({ type: concept(SYSTEM.copayType, code), valueMoney: money(minor, c.currency) });
  return {
    resourceType: 'Coverage',
    ...logicalId(c.coverageId),
    meta: { lastUpdated: c.updatedBy.at },
    extension: [
      ...c.benefits.map((b) => ext('benefit', { ...b })).flat(),
      ...(c.autoAdjudicationLimit === undefined ? [] : ext('auto-adjudication-limit', c.autoAdjudicationLimit)),
      ...stampExt(c.updatedBy),
    ],
    identifier: [{ system: LOCAL.ledgerId, value: c.coverageId }],
    status: c.status,
    beneficiary: patientReference(c.patientRef),
    payor: [organizationReference(c.payer)],
    period: { ...c.period },
    class: [{ type: concept(SYSTEM.coverageClass, 'plan'), value: c.planId }],
    costToBeneficiary: [
      cost('copay', c.copay),
      cost('deductible', c.deductible),
      cost('maxoutofpocket', c.outOfPocketMax),
      // Coinsurance in basis points as a percentage: 2000 bp = 20 %.
      { type: concept(SYSTEM.copayType, 'copaypct'), valueQuantity: { value: c.coinsuranceBps / 100, unit: '%' } },
    ],
  };
}

function costOf(r: FhirCoverage, code: string): CostToBeneficiary {
  const cost = r.costToBeneficiary.find((c) => codeIn(c.type, SYSTEM.copayType) === code);
  if (!cost) throw invalid(`Coverage.costToBeneficiary: ${code} is required`);
  return cost;
}

function benefitOf(o: Record<string, unknown>): Benefit {
  return o as unknown as Benefit;
}

/** The ledger's coverage back from a FHIR Coverage this interface emitted (the round trip). */
export function coverageFromFhir(r: FhirCoverage): LedgerCoverage {
  const coverageId = ledgerIdOf(r) ?? r.id;
  const currency = costOf(r, 'copay').valueMoney?.currency;
  const plan = r.class.find((c) => codeIn(c.type, SYSTEM.coverageClass) === 'plan')?.value;
  if (coverageId === undefined || typeof currency !== 'string' || plan === undefined || !r.period.start || !r.period.end) {
    throw invalid('Coverage: identifier, currency, plan class and period are required');
  }
  if (r.status !== 'active' && r.status !== 'cancelled') throw invalid('Coverage.status: active or cancelled');
  const limit = extValue(r, 'auto-adjudication-limit');
  return {
    coverageId,
    patientRef: patientRefOf(r.beneficiary, 'Coverage.beneficiary'),
    payer: mspIdOf(r.payor[0], 'Coverage.payor'),
    planId: plan,
    period: { start: r.period.start, end: r.period.end },
    status: r.status,
    currency,
    deductible: minorUnits(costOf(r, 'deductible').valueMoney, currency, 'Coverage.costToBeneficiary'),
    copay: minorUnits(costOf(r, 'copay').valueMoney, currency, 'Coverage.costToBeneficiary'),
    coinsuranceBps: Math.round((costOf(r, 'copaypct').valueQuantity?.value ?? 0) * 100),
    outOfPocketMax: minorUnits(costOf(r, 'maxoutofpocket').valueMoney, currency, 'Coverage.costToBeneficiary'),
    ...(typeof limit === 'number' ? { autoAdjudicationLimit: limit } : {}),
    benefits: extensionsNamed(r, 'benefit').map((e) => benefitOf(objectOf(e))),
    updatedBy: stampOf(r),
  };
}
