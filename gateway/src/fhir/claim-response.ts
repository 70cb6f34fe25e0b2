/**
 * Claim adjudication ⇄ FHIR R4 ClaimResponse. A claim has one ClaimResponse (same id): the
 * payer's current adjudication, its amounts per line and in total as `adjudication` entries
 * (HL7 categories submitted, eligible, copay, deductible, benefit; coinsurance, patient
 * responsibility and the eligible quantity in the project's system), the reasons, and the payment.
 * A pended claim is `queued`; a decided one `complete` or `partial`.
 */
import type { AdjudicationReason, AppealReason, PricedLine } from '@healthledger/contract-api';
import { extensionUrl, LOCAL, SYSTEM } from './codes';
import { codeExt, ext, extensionsNamed, extObject, extString, objectOf } from './extensions';
import { minorUnits, money } from './money';
import { codeIn, concept, invalid, logicalId, mspIdOf, organizationReference, patientRefOf, patientReference, resourceReference, ledgerIdOf } from './references';
import { stampExt, stampOf, type Stamp } from './stamp';
import type { CodeableConcept, Extension, Identifier, Money, Reference, Resource } from './types';

/** Amounts of one priced line (the contract API's), integer minor units. */
export type { PricedLine };

type Amounts = Omit<PricedLine, 'sequence' | 'eligibleQuantity' | 'reasons'>;

/** The payer's part of a claim (chaincode `AdjudicationPart`). */
export interface LedgerAdjudicationPart {
  claimId: string;
  payer: string;
  pendReasons: string[];
  current?: {
    round: number;
    mode: 'auto' | 'manual';
    outcome: 'approved' | 'partial' | 'denied';
    reasons: AdjudicationReason[];
    items: PricedLine[];
    totals: Amounts;
    at: string;
  };
  payment?: { amount: number; currency: string; reference: string; at: string };
  updatedBy: Stamp;
}

/** The provider's part (chaincode `AppealPart`). */
export interface LedgerAppealPart {
  claimId: string;
  provider: string;
  appeals: { reason: AppealReason; afterRound: number; at: string }[];
  updatedBy: Stamp;
}

/** What `claims:get` answers, as far as the ClaimResponse is concerned. */
export interface LedgerClaimResponse {
  claimId: string;
  patientRef: string;
  provider: string;
  payer: string;
  currency: string;
  submittedAt: string;
  adjudication: LedgerAdjudicationPart;
  appeal: LedgerAppealPart;
}

interface FhirAdjudication {
  category: CodeableConcept;
  reason?: CodeableConcept;
  amount?: Money;
  value?: number;
}

/** A FHIR ClaimResponse as this interface emits it. */
export interface FhirClaimResponse extends Resource {
  resourceType: 'ClaimResponse';
  status: 'active';
  type: CodeableConcept;
  use: 'claim';
  patient: Reference;
  created: string;
  insurer: Reference;
  requestor: Reference;
  request: Reference;
  outcome: 'queued' | 'complete' | 'partial';
  disposition?: string;
  item?: { itemSequence: number; adjudication: FhirAdjudication[] }[];
  total?: FhirAdjudication[];
  payment?: { type: CodeableConcept; date: string; amount: Money; identifier: Identifier; extension?: Extension[] };
}

/** Amount fields and their categories: HL7's where it has one, the project's otherwise. */
const AMOUNT_CATEGORIES: [keyof Amounts, string, string][] = [
  ['submitted', SYSTEM.adjudication, 'submitted'],
  ['eligible', SYSTEM.adjudication, 'eligible'],
  ['copay', SYSTEM.adjudication, 'copay'],
  ['deductible', SYSTEM.adjudication, 'deductible'],
  ['coinsurance', LOCAL.adjudication, 'coinsurance'],
  ['benefit', SYSTEM.adjudication, 'benefit'],
  ['patientResponsibility', LOCAL.adjudication, 'patient-responsibility'],
];

function amountsOf(a: Amounts, currency: string): FhirAdjudication[] {
  return AMOUNT_CATEGORIES.map(([field, system, code]) => ({ category: concept(system, code), amount: money(a[field], currency) }));
}

function reasonsOf(reasons: AdjudicationReason[]): FhirAdjudication[] {
  return reasons.map((r) => ({ category: concept(LOCAL.adjudication, 'reason'), reason: concept(LOCAL.adjudicationReason, r) }));
}

function lineOf(line: PricedLine, currency: string) {
  return {
    itemSequence: line.sequence,
    adjudication: [
      ...amountsOf(line, currency),
      { category: concept(LOCAL.adjudication, 'eligible-quantity'), value: line.eligibleQuantity },
      ...reasonsOf(line.reasons),
    ],
  };
}

const OUTCOME = { approved: 'complete', denied: 'complete', partial: 'partial' } as const;

/** The ledger's adjudication of a claim as a FHIR ClaimResponse. */
export function claimResponseToFhir(c: LedgerClaimResponse): FhirClaimResponse {
  const { adjudication: part, appeal } = c;
  const current = part.current;
  return {
    resourceType: 'ClaimResponse',
    ...logicalId(c.claimId),
    meta: { lastUpdated: part.updatedBy.at },
    extension: [
      ...ext('adjudication', current ? { round: current.round, mode: current.mode } : undefined),
      ...(current?.reasons ?? []).flatMap((r) => codeExt('adjudication-reason', r)),
      ...part.pendReasons.flatMap((r) => ext('pend-reason', r)),
      ...appeal.appeals.flatMap((a) => ext('appeal', { ...a })),
      ...ext('claim-submitted', c.submittedAt),
      ...ext('currency', c.currency),
      ...stampExt(part.updatedBy),
      ...stampExt(appeal.updatedBy, 'appeal-updated-by'),
    ],
    identifier: [{ system: LOCAL.ledgerId, value: c.claimId }],
    status: 'active',
    type: concept(SYSTEM.claimType, 'professional'),
    use: 'claim',
    patient: patientReference(c.patientRef),
    created: current?.at ?? c.submittedAt,
    insurer: organizationReference(c.payer),
    requestor: organizationReference(c.provider),
    request: resourceReference('Claim', c.claimId),
    outcome: current ? OUTCOME[current.outcome] : 'queued',
    ...(current ? { disposition: current.outcome } : {}),
    ...(current ? { item: current.items.map((l) => lineOf(l, c.currency)), total: amountsOf(current.totals, c.currency) } : {}),
    ...(part.payment
      ? {
          payment: {
            type: concept(SYSTEM.paymentType, 'complete'),
            date: part.payment.at.slice(0, 10),
            amount: money(part.payment.amount, part.payment.currency),
            identifier: { value: part.payment.reference },
            extension: [{ url: extensionUrl('paid-at'), valueDateTime: part.payment.at }],
          },
        }
      : {}),
  };
}

function amountsFrom(entries: FhirAdjudication[], currency: string): Amounts {
  const out = {} as Amounts;
  for (const [field, system, code] of AMOUNT_CATEGORIES) {
    out[field] = minorUnits(entries.find((e) => codeIn(e.category, system) === code)?.amount, currency, `adjudication ${code}`);
  }
  return out;
}

function reasonsFrom(entries: FhirAdjudication[]): AdjudicationReason[] {
  return entries.filter((e) => codeIn(e.category, LOCAL.adjudication) === 'reason').map((e) => codeIn(e.reason, LOCAL.adjudicationReason) as AdjudicationReason);
}

/** The ledger's adjudication back from a ClaimResponse this interface emitted (the round trip). */
export function claimResponseFromFhir(r: FhirClaimResponse): LedgerClaimResponse {
  const claimId = ledgerIdOf(r);
  const submittedAt = extString(r, 'claim-submitted');
  const currency = extString(r, 'currency');
  if (claimId === undefined || submittedAt === undefined || currency === undefined) throw invalid('ClaimResponse: ledger identifier, claim-submitted and currency are required');
  const payer = mspIdOf(r.insurer, 'ClaimResponse.insurer');
  const provider = mspIdOf(r.requestor, 'ClaimResponse.requestor');
  const round = extObject(r, 'adjudication');
  const part: LedgerAdjudicationPart = {
    claimId,
    payer,
    pendReasons: extensionsNamed(r, 'pend-reason').map((e) => e.valueString ?? ''),
    ...(round && r.disposition
      ? {
          current: {
            round: round['round'] as number,
            mode: round['mode'] as 'auto' | 'manual',
            outcome: r.disposition as 'approved' | 'partial' | 'denied',
            reasons: extensionsNamed(r, 'adjudication-reason').map((e) => e.valueCode as AdjudicationReason),
            items: (r.item ?? []).map((i) => ({
              sequence: i.itemSequence,
              eligibleQuantity: i.adjudication.find((a) => codeIn(a.category, LOCAL.adjudication) === 'eligible-quantity')?.value ?? 0,
              ...amountsFrom(i.adjudication, currency),
              reasons: reasonsFrom(i.adjudication),
            })),
            totals: amountsFrom(r.total ?? [], currency),
            at: r.created,
          },
        }
      : {}),
    ...(r.payment
      ? {
          payment: {
            amount: minorUnits(r.payment.amount, r.payment.amount.currency ?? currency, 'ClaimResponse.payment.amount'),
            currency: r.payment.amount.currency ?? currency,
            reference: r.payment.identifier.value ?? '',
            at: r.payment.extension?.find((e) => e.url === extensionUrl('paid-at'))?.valueDateTime ?? r.payment.date,
          },
        }
      : {}),
    updatedBy: stampOf(r),
  };
  return {
    claimId,
    patientRef: patientRefOf(r.patient, 'ClaimResponse.patient'),
    provider,
    payer,
    currency,
    submittedAt,
    adjudication: part,
    appeal: {
      claimId,
      provider,
      appeals: extensionsNamed(r, 'appeal').map((e) => objectOf(e) as unknown as LedgerAppealPart['appeals'][number]),
      updatedBy: stampOf(r, 'appeal-updated-by'),
    },
  };
}
