import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './enums';
import { field, Id, IsoDate, MspId, PageRequest, PatientRef } from './common';
import { PackId } from './trace';

/**
 * Money: integer minor units (cents for USD). The ceiling keeps every sum and product the
 * chaincode forms inside JavaScript's safe-integer range (100 lines × 10 000 units × 10^9).
 */
export const MAX_UNIT_PRICE = 1_000_000_000;
export const MAX_QUANTITY = 10_000;
export const Money = Type.Integer({
  minimum: 0,
  maximum: MAX_UNIT_PRICE * MAX_QUANTITY * 100,
  description: 'An amount in integer minor units of the currency named with it (cents for USD: 15000 is $150.00)',
  examples: [15000],
});
/** A money field: what the amount is, in minor units. */
const money = (what: string, example: number) => field(Money, `${what}, in integer minor units of the currency (cents for USD)`, example);
/** A unit price: at most {@link MAX_UNIT_PRICE} minor units. */
const UnitPrice = Type.Integer({ minimum: 0, maximum: MAX_UNIT_PRICE, description: 'Price of one unit, in integer minor units of the currency (cents for USD)', examples: [10000] });
const Quantity = Type.Integer({ minimum: 1, maximum: MAX_QUANTITY, description: 'Units of the service', examples: [1] });

/** ISO 4217 alphabetic currency code. */
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 alphabetic currency code; every amount of the claim or coverage is in its minor units', examples: ['USD'] });

/** Basis points: 10 000 bp = 100 %. */
export const BasisPoints = Type.Integer({ minimum: 0, maximum: 10_000, description: 'A share in basis points: 10000 = 100 %, 2000 = 20 %', examples: [2000] });

/** Billing code systems on the ledger: CPT (AMA), HCPCS Level II (CMS), NDC 11-digit (5-4-2, no hyphens). */
export const CodeSystem = StringEnum(['CPT', 'HCPCS', 'NDC'], { description: 'Billing code system: CPT (AMA), HCPCS Level II (CMS), NDC (11 digits, 5-4-2, no hyphens)' });
export type CodeSystem = Static<typeof CodeSystem>;

/** The union of the three code forms; {@link checkServiceCode} checks that the form matches the system. */
export const ServiceCodeValue = Type.String({
  pattern: '^(\\d{4}[0-9FT]|[A-V]\\d{4}|\\d{11})$',
  description: 'The billing code, in the form of its system: CPT `99213`, HCPCS `J1100`, NDC `00002143380`',
  examples: ['99213'],
});

/** One covered service: a billing code with optional overrides of the plan's cost sharing. */
export const Benefit = Type.Object(
  {
    system: CodeSystem,
    code: ServiceCodeValue,
    /** Per-line copay for this code instead of the plan's. */
    copay: Type.Optional(money("Per-line copay for this code instead of the plan's", 1000)),
    /** Coinsurance for this code instead of the plan's. */
    coinsuranceBps: Type.Optional(field(BasisPoints, "Coinsurance for this code instead of the plan's, in basis points", 1000)),
    /** Units of this code covered per patient, plan and calendar year. */
    quantityLimitPerYear: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Units of this code covered per patient, plan and calendar year', examples: [12] })),
    /** Claims with this code are pended for the payer's manual adjudication. */
    manualReview: Type.Optional(Type.Boolean({ description: "Claims with this code are pended for the payer's manual adjudication", examples: [false] })),
  },
  { additionalProperties: false, description: 'A covered service: a billing code, optionally with its own cost sharing' },
);
export type Benefit = Static<typeof Benefit>;

/** A coverage's status (FHIR Coverage.status: active or cancelled). */
export const CoverageStatus = StringEnum(['active', 'cancelled'], { description: 'FHIR Coverage.status: `cancelled` covers no service date' });
export type CoverageStatus = Static<typeof CoverageStatus>;

/** The coverage terms a payer may set and later change (FHIR Coverage + the plan's cost sharing). */
const CoverageTerms = {
  planId: field(Id, "The payer's plan id", 'gold-2026'),
  period: Type.Object(
    { start: field(IsoDate, 'First covered service date', '2026-01-01'), end: field(IsoDate, 'Last covered service date (inclusive)', '2026-12-31') },
    { additionalProperties: false, description: 'The service dates covered' },
  ),
  status: Type.Optional(field(CoverageStatus, 'Default `active` (an update keeps the current status)', 'active')),
  currency: Currency,
  /** Annual deductible per patient (calendar year of the service date). */
  deductible: money('Annual deductible per patient (calendar year of the service date)', 50000),
  /** Per-line copay, unless the benefit overrides it. */
  copay: money('Per-line copay, unless the benefit overrides it', 2000),
  /** Patient's share after deductible and copay, unless the benefit overrides it. */
  coinsuranceBps: field(BasisPoints, "Patient's share after deductible and copay, in basis points, unless the benefit overrides it", 2000),
  /** Annual cap on the patient's deductible + copay + coinsurance. */
  outOfPocketMax: money("Annual cap on the patient's deductible + copay + coinsurance", 500000),
  /** Claims whose total exceeds this are pended for manual adjudication. */
  autoAdjudicationLimit: Type.Optional(money('Claims whose total exceeds this are pended for manual adjudication', 100000)),
  benefits: Type.Array(Benefit, { minItems: 1, maxItems: 500, description: 'The covered services; a code not listed is not covered' }),
};

/** `coverage:register` request. The payer is the caller's organisation. */
export const RegisterCoverageRequest = Type.Object(
  { coverageId: field(Id, 'The coverage id, chosen by the payer', 'cov-1'), patientRef: field(PatientRef, 'The covered patient'), ...CoverageTerms },
  { additionalProperties: false },
);
export type RegisterCoverageRequest = Static<typeof RegisterCoverageRequest>;

/** `coverage:update` request: replaces the terms; patient and payer never change. */
export const UpdateCoverageRequest = Type.Object({ coverageId: field(Id, 'The coverage id', 'cov-1'), ...CoverageTerms }, { additionalProperties: false });
export type UpdateCoverageRequest = Static<typeof UpdateCoverageRequest>;

/** `coverage:get` request. */
export const GetCoverageRequest = Type.Object({ coverageId: field(Id, 'The coverage id', 'cov-1') }, { additionalProperties: false });
export type GetCoverageRequest = Static<typeof GetCoverageRequest>;

/**
 * `coverage:list` request: one patient's coverages in coverage-id order, optionally of one status
 * (filtered within the page, so a page may hold fewer than `pageSize` items).
 */
export const ListCoveragesRequest = Type.Object({ patientRef: field(PatientRef, 'The covered patient'), status: Type.Optional(field(CoverageStatus, 'Only coverages in this status')), ...PageRequest }, { additionalProperties: false });
export type ListCoveragesRequest = Static<typeof ListCoveragesRequest>;

/** A service line to price: what an eligibility check or a claim asks about. */
export const ServiceLine = Type.Object(
  {
    system: CodeSystem,
    code: ServiceCodeValue,
    quantity: Quantity,
    unitPrice: UnitPrice,
  },
  { additionalProperties: false, description: 'A service to price' },
);
export type ServiceLine = Static<typeof ServiceLine>;

/**
 * `coverage:checkEligibility` request: name the coverage, or the payer, whose coverage of the
 * patient in force on the service date is then looked up.
 */
export const EligibilityRequest = Type.Object(
  {
    coverageId: Type.Optional(field(Id, 'The coverage to check; or name the `payer`', 'cov-1')),
    payer: Type.Optional(field(MspId, "The payer whose coverage of the patient in force on the service date is used (instead of `coverageId`)", 'InsurerMSP')),
    patientRef: field(PatientRef, 'The patient'),
    serviceDate: field(IsoDate, 'The date of service'),
    currency: Currency,
    items: Type.Array(ServiceLine, { minItems: 1, maxItems: 100, description: 'The services to price' }),
  },
  { additionalProperties: false },
);
export type EligibilityRequest = Static<typeof EligibilityRequest>;

/**
 * Why a line was not (fully) paid. Mapped to X12 CARC codes in docs/design/claims.md:
 * NOT_COVERED 96, LIMIT_EXCEEDED 119, COVERAGE_INACTIVE 27, NOT_MEDICALLY_NECESSARY 50,
 * PRIOR_AUTH_REQUIRED 197, INFO_MISSING 16, DUPLICATE_SERVICE 18, BUNDLED 97, OTHER —.
 */
export const AdjudicationReason = StringEnum(['NOT_COVERED', 'LIMIT_EXCEEDED', 'COVERAGE_INACTIVE', 'NOT_MEDICALLY_NECESSARY', 'PRIOR_AUTH_REQUIRED', 'INFO_MISSING', 'DUPLICATE_SERVICE', 'BUNDLED', 'OTHER'], {
  description: 'Why a line was not (fully) paid; X12 CARC: NOT_COVERED 96, LIMIT_EXCEEDED 119, COVERAGE_INACTIVE 27, NOT_MEDICALLY_NECESSARY 50, PRIOR_AUTH_REQUIRED 197, INFO_MISSING 16, DUPLICATE_SERVICE 18, BUNDLED 97',
});
export type AdjudicationReason = Static<typeof AdjudicationReason>;

/**
 * One adjudicated line as the ledger stores it, in FHIR ClaimResponse adjudication categories
 * (integer minor units): the chaincode prices it, the gateway maps it to FHIR.
 */
export interface PricedLine {
  sequence: number;
  eligibleQuantity: number;
  submitted: number;
  eligible: number;
  copay: number;
  deductible: number;
  coinsurance: number;
  benefit: number;
  /** submitted − benefit: cost sharing plus everything not eligible. */
  patientResponsibility: number;
  reasons: AdjudicationReason[];
}

// --- claims ---------------------------------------------------------------------------------

/**
 * A claim line (FHIR Claim.item): a billing code needed for adjudication, never a diagnosis.
 * `net`, if given, must equal quantity × unitPrice.
 */
export const ClaimItem = Type.Object(
  {
    system: CodeSystem,
    code: ServiceCodeValue,
    /** CPT/HCPCS modifiers (two characters each). */
    modifiers: Type.Optional(
      Type.Array(Type.String({ pattern: '^[A-Z0-9]{2}$', description: 'A modifier', examples: ['25'] }), { maxItems: 4, uniqueItems: true, description: 'CPT/HCPCS modifiers, two characters each' }),
    ),
    quantity: Quantity,
    unitPrice: UnitPrice,
    net: Type.Optional(money('quantity × unitPrice (checked if given)', 10000)),
    /** Drug lines (system NDC) may name the dispensed pack (SGTIN: GTIN-14 + GS1 AI 21 serial). */
    sgtin: Type.Optional(field(PackId, 'A drug line (system NDC) may name the dispensed pack; a pack is billed once')),
  },
  { additionalProperties: false, description: 'A claim line (FHIR Claim.item): a billing code, never a diagnosis' },
);
export type ClaimItem = Static<typeof ClaimItem>;

/**
 * `claims:submit` request (FHIR Claim, public part). The provider is the caller's organisation.
 * Clinical detail travels in transient key `detail` ({@link ClaimDetail}).
 */
export const SubmitClaimRequest = Type.Object(
  {
    claimId: field(Id, 'The claim id, chosen by the provider', 'clm-1'),
    patientRef: field(PatientRef, 'The patient'),
    payer: field(MspId, 'The payer organisation; it endorses the claim with the provider', 'InsurerMSP'),
    coverageId: field(Id, "The patient's coverage with that payer", 'cov-1'),
    serviceDate: field(IsoDate, 'The date of service'),
    currency: field(Currency, "The claim's currency: the coverage's"),
    items: Type.Array(ClaimItem, { minItems: 1, maxItems: 100, description: 'The claim lines, sequenced from 1 in this order' }),
    total: money('The sum of the lines (quantity × unitPrice)', 10000),
  },
  { additionalProperties: false },
);
export type SubmitClaimRequest = Static<typeof SubmitClaimRequest>;

/** A claim id in a request. */
const ClaimId = field(Id, 'The claim id', 'clm-1');

/** ICD-10-CM diagnosis code, with or without the dot. */
export const Icd10Code = Type.String({ pattern: '^[A-TV-Z][0-9][0-9AB](\\.?[0-9A-TV-Z]{1,4})?$', description: 'ICD-10-CM diagnosis code, with or without the dot', examples: ['E11.9'] });

/**
 * Transient `detail` of `claims:submit`: the clinical detail private to provider and payer.
 * `nonce` (≥ 128 bits, client-generated) salts the hash that the channel holds, so the codes
 * cannot be recovered by hashing guesses.
 */
export const ClaimDetail = Type.Object(
  {
    nonce: Type.String({
      pattern: '^[A-Za-z0-9+/=_-]{22,128}$',
      description:
        'A random value the client draws per claim (at least 128 bits, base64 or base64url, e.g. 24 random bytes): it salts the hash of the detail that the channel keeps, so the codes cannot be recovered by hashing guesses',
      examples: ['q3v9Rk2xY7bN1mT5wZ8cL0pH4sD6fJ2a'],
    }),
    diagnoses: Type.Array(
      Type.Object(
        { sequence: Type.Integer({ minimum: 1, maximum: 99, description: 'Order of the diagnosis, from 1 (1 = principal)', examples: [1] }), code: Icd10Code },
        { additionalProperties: false, description: 'A diagnosis' },
      ),
      { minItems: 1, maxItems: 25, description: 'ICD-10-CM diagnoses' },
    ),
    /** Procedures with their ICD-10-PCS or CPT codes and the claim lines they support. */
    procedures: Type.Optional(
      Type.Array(
        Type.Object(
          {
            sequence: Type.Integer({ minimum: 1, maximum: 99, description: 'Order of the procedure, from 1', examples: [1] }),
            system: StringEnum(['ICD-10-PCS', 'CPT'], { description: 'Procedure code system' }),
            code: Type.String({ pattern: '^[0-9A-HJ-NP-Z]{5,7}$', description: 'The procedure code', examples: ['99213'] }),
            itemSequences: Type.Optional(
              Type.Array(Type.Integer({ minimum: 1, maximum: 100, description: 'A claim line sequence', examples: [1] }), { maxItems: 100, description: 'The claim lines it supports' }),
            ),
          },
          { additionalProperties: false, description: 'A procedure' },
        ),
        { maxItems: 25, description: 'Procedures with their ICD-10-PCS or CPT codes and the claim lines they support' },
      ),
    ),
    notes: Type.Optional(Type.String({ maxLength: 8000, description: 'Free-text notes for the payer (private, like the rest of the detail)', examples: ['Follow-up of type 2 diabetes'] })),
  },
  { additionalProperties: false, description: 'Clinical detail, private to provider and payer: sent as transient data, never written to the channel' },
);
export type ClaimDetail = Static<typeof ClaimDetail>;

/** Per-line decision of a partial adjudication (sequence is 1-based). */
export const ItemDecision = Type.Object(
  {
    sequence: Type.Integer({ minimum: 1, maximum: 100, description: 'The claim line, from 1', examples: [1] }),
    eligibleQuantity: Type.Integer({ minimum: 0, maximum: MAX_QUANTITY, description: 'Units of the line the payer accepts', examples: [0] }),
    reasons: Type.Optional(Type.Array(AdjudicationReason, { maxItems: 5, uniqueItems: true, description: 'Why the line is reduced' })),
  },
  { additionalProperties: false, description: "One line's decision" },
);
export type ItemDecision = Static<typeof ItemDecision>;

/**
 * `claims:adjudicate` request. `approve`: every line fully eligible. `deny`: no line, `reasons`
 * required. `partial`: `items` gives each reduced line's eligible quantity and reasons (lines not
 * named stay fully eligible). The plan's cost sharing then applies as in auto-adjudication.
 */
export const AdjudicateClaimRequest = Type.Object(
  {
    claimId: ClaimId,
    decision: StringEnum(['approve', 'partial', 'deny'], { description: 'approve: every line fully eligible; partial: `items` reduces lines; deny: no line, `reasons` required' }),
    reasons: Type.Optional(Type.Array(AdjudicationReason, { minItems: 1, maxItems: 5, uniqueItems: true, description: 'Why (required for deny)' })),
    items: Type.Optional(Type.Array(ItemDecision, { minItems: 1, maxItems: 100, description: 'For partial: the reduced lines (lines not named stay fully eligible)' })),
  },
  { additionalProperties: false },
);
export type AdjudicateClaimRequest = Static<typeof AdjudicateClaimRequest>;

/** `claims:pay` request: the amount must equal the adjudicated benefit. */
export const PayClaimRequest = Type.Object(
  {
    claimId: ClaimId,
    amount: money('The amount paid: must equal the adjudicated benefit', 9000),
    currency: field(Currency, "The claim's currency"),
    reference: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$', description: "The payment's reference in the payer's systems (e.g. an EFT trace number)", examples: ['eft-20261205-0001'] }),
  },
  { additionalProperties: false },
);
export type PayClaimRequest = Static<typeof PayClaimRequest>;

/** Why a provider appeals (coded: free text could carry PHI onto the channel). */
export const AppealReason = StringEnum(['CODING_CORRECTED', 'MEDICAL_NECESSITY', 'COVERAGE_VERIFIED', 'CALCULATION_ERROR', 'ADDITIONAL_INFORMATION', 'OTHER'], {
  description: 'Why the provider appeals (a code: free text could carry PHI onto the channel)',
});
export type AppealReason = Static<typeof AppealReason>;

/** `claims:appeal` request. */
export const AppealClaimRequest = Type.Object({ claimId: ClaimId, reason: AppealReason }, { additionalProperties: false });
export type AppealClaimRequest = Static<typeof AppealClaimRequest>;

/** `claims:get` / `claims:getDetail` request. */
export const GetClaimRequest = Type.Object({ claimId: ClaimId }, { additionalProperties: false });
export type GetClaimRequest = Static<typeof GetClaimRequest>;

/** Claim statuses. */
export const ClaimStatus = StringEnum(['pended', 'approved', 'partial', 'denied', 'appealed', 'paid'], {
  description: 'pended: awaits manual adjudication; approved, partial, denied: adjudicated; appealed: awaits re-adjudication; paid',
});
export type ClaimStatus = Static<typeof ClaimStatus>;

/** `claims:list` request: the caller organisation's claims (as provider or payer), by status. */
/** `claims:list`: the caller organisation's claims, of one status or (without `status`) of every status, by status then id. */
export const ListClaimsRequest = Type.Object({ status: Type.Optional(field(ClaimStatus, 'Only claims in this status; absent: every status')), ...PageRequest }, { additionalProperties: false });
export type ListClaimsRequest = Static<typeof ListClaimsRequest>;
