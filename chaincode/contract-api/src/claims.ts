import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './enums';
import { Id, IsoDate, MspId, PageRequest, PatientRef } from './common';
import { PackId } from './trace';

/**
 * Money: integer minor units (cents for USD). The ceiling keeps every sum and product the
 * chaincode forms inside JavaScript's safe-integer range (100 lines × 10 000 units × 10^9).
 */
export const MAX_UNIT_PRICE = 1_000_000_000;
export const MAX_QUANTITY = 10_000;
export const Money = Type.Integer({ minimum: 0, maximum: MAX_UNIT_PRICE * MAX_QUANTITY * 100 });

/** ISO 4217 alphabetic currency code. */
export const Currency = Type.String({ pattern: '^[A-Z]{3}$' });

/** Basis points: 10 000 bp = 100 %. */
export const BasisPoints = Type.Integer({ minimum: 0, maximum: 10_000 });

/** Billing code systems on the ledger: CPT (AMA), HCPCS Level II (CMS), NDC 11-digit (5-4-2, no hyphens). */
export const CodeSystem = StringEnum(['CPT', 'HCPCS', 'NDC']);
export type CodeSystem = Static<typeof CodeSystem>;

/** The union of the three code forms; {@link checkServiceCode} checks that the form matches the system. */
export const ServiceCodeValue = Type.String({ pattern: '^(\\d{4}[0-9FT]|[A-V]\\d{4}|\\d{11})$' });

/** One covered service: a billing code with optional overrides of the plan's cost sharing. */
export const Benefit = Type.Object(
  {
    system: CodeSystem,
    code: ServiceCodeValue,
    /** Per-line copay for this code instead of the plan's. */
    copay: Type.Optional(Money),
    /** Coinsurance for this code instead of the plan's. */
    coinsuranceBps: Type.Optional(BasisPoints),
    /** Units of this code covered per patient, plan and calendar year. */
    quantityLimitPerYear: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    /** Claims with this code are pended for the payer's manual adjudication. */
    manualReview: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type Benefit = Static<typeof Benefit>;

/** A coverage's status (FHIR Coverage.status: active or cancelled). */
export const CoverageStatus = StringEnum(['active', 'cancelled']);
export type CoverageStatus = Static<typeof CoverageStatus>;

/** The coverage terms a payer may set and later change (FHIR Coverage + the plan's cost sharing). */
const CoverageTerms = {
  planId: Id,
  period: Type.Object({ start: IsoDate, end: IsoDate }, { additionalProperties: false }),
  status: Type.Optional(CoverageStatus),
  currency: Currency,
  /** Annual deductible per patient (calendar year of the service date). */
  deductible: Money,
  /** Per-line copay, unless the benefit overrides it. */
  copay: Money,
  /** Patient's share after deductible and copay, unless the benefit overrides it. */
  coinsuranceBps: BasisPoints,
  /** Annual cap on the patient's deductible + copay + coinsurance. */
  outOfPocketMax: Money,
  /** Claims whose total exceeds this are pended for manual adjudication. */
  autoAdjudicationLimit: Type.Optional(Money),
  benefits: Type.Array(Benefit, { minItems: 1, maxItems: 500 }),
};

/** `coverage:register` request. The payer is the caller's organisation. */
export const RegisterCoverageRequest = Type.Object(
  { coverageId: Id, patientRef: PatientRef, ...CoverageTerms },
  { additionalProperties: false },
);
export type RegisterCoverageRequest = Static<typeof RegisterCoverageRequest>;

/** `coverage:update` request: replaces the terms; patient and payer never change. */
export const UpdateCoverageRequest = Type.Object({ coverageId: Id, ...CoverageTerms }, { additionalProperties: false });
export type UpdateCoverageRequest = Static<typeof UpdateCoverageRequest>;

/** `coverage:get` request. */
export const GetCoverageRequest = Type.Object({ coverageId: Id }, { additionalProperties: false });
export type GetCoverageRequest = Static<typeof GetCoverageRequest>;

/**
 * `coverage:list` request: one patient's coverages in coverage-id order, optionally of one status
 * (filtered within the page, so a page may hold fewer than `pageSize` items).
 */
export const ListCoveragesRequest = Type.Object({ patientRef: PatientRef, status: Type.Optional(CoverageStatus), ...PageRequest }, { additionalProperties: false });
export type ListCoveragesRequest = Static<typeof ListCoveragesRequest>;

/** A service line to price: what an eligibility check or a claim asks about. */
export const ServiceLine = Type.Object(
  {
    system: CodeSystem,
    code: ServiceCodeValue,
    quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }),
    unitPrice: Type.Integer({ minimum: 0, maximum: MAX_UNIT_PRICE }),
  },
  { additionalProperties: false },
);
export type ServiceLine = Static<typeof ServiceLine>;

/**
 * `coverage:checkEligibility` request: name the coverage, or the payer, whose coverage of the
 * patient in force on the service date is then looked up.
 */
export const EligibilityRequest = Type.Object(
  {
    coverageId: Type.Optional(Id),
    payer: Type.Optional(MspId),
    patientRef: PatientRef,
    serviceDate: IsoDate,
    currency: Currency,
    items: Type.Array(ServiceLine, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);
export type EligibilityRequest = Static<typeof EligibilityRequest>;

/**
 * Why a line was not (fully) paid. Mapped to X12 CARC codes in docs/design/claims.md:
 * NOT_COVERED 96, LIMIT_EXCEEDED 119, COVERAGE_INACTIVE 27, NOT_MEDICALLY_NECESSARY 50,
 * PRIOR_AUTH_REQUIRED 197, INFO_MISSING 16, DUPLICATE_SERVICE 18, BUNDLED 97, OTHER —.
 */
export const AdjudicationReason = StringEnum(['NOT_COVERED', 'LIMIT_EXCEEDED', 'COVERAGE_INACTIVE', 'NOT_MEDICALLY_NECESSARY', 'PRIOR_AUTH_REQUIRED', 'INFO_MISSING', 'DUPLICATE_SERVICE', 'BUNDLED', 'OTHER']);
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
    modifiers: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z0-9]{2}$' }), { maxItems: 4, uniqueItems: true })),
    quantity: Type.Integer({ minimum: 1, maximum: MAX_QUANTITY }),
    unitPrice: Type.Integer({ minimum: 0, maximum: MAX_UNIT_PRICE }),
    net: Type.Optional(Money),
    /** Drug lines (system NDC) may name the dispensed pack (SGTIN: GTIN-14 + GS1 AI 21 serial). */
    sgtin: Type.Optional(PackId),
  },
  { additionalProperties: false },
);
export type ClaimItem = Static<typeof ClaimItem>;

/**
 * `claims:submit` request (FHIR Claim, public part). The provider is the caller's organisation.
 * Clinical detail travels in transient key `detail` ({@link ClaimDetail}).
 */
export const SubmitClaimRequest = Type.Object(
  {
    claimId: Id,
    patientRef: PatientRef,
    payer: MspId,
    coverageId: Id,
    serviceDate: IsoDate,
    currency: Currency,
    items: Type.Array(ClaimItem, { minItems: 1, maxItems: 100 }),
    total: Money,
  },
  { additionalProperties: false },
);
export type SubmitClaimRequest = Static<typeof SubmitClaimRequest>;

/** ICD-10-CM diagnosis code, with or without the dot. */
export const Icd10Code = Type.String({ pattern: '^[A-TV-Z][0-9][0-9AB](\\.?[0-9A-TV-Z]{1,4})?$' });

/**
 * Transient `detail` of `claims:submit`: the clinical detail private to provider and payer.
 * `nonce` (≥ 128 bits, client-generated) salts the hash that the channel holds, so the codes
 * cannot be recovered by hashing guesses.
 */
export const ClaimDetail = Type.Object(
  {
    nonce: Type.String({ pattern: '^[A-Za-z0-9+/=_-]{22,128}$' }),
    diagnoses: Type.Array(
      Type.Object({ sequence: Type.Integer({ minimum: 1, maximum: 99 }), code: Icd10Code }, { additionalProperties: false }),
      { minItems: 1, maxItems: 25 },
    ),
    /** Procedures with their ICD-10-PCS or CPT codes and the claim lines they support. */
    procedures: Type.Optional(
      Type.Array(
        Type.Object(
          {
            sequence: Type.Integer({ minimum: 1, maximum: 99 }),
            system: StringEnum(['ICD-10-PCS', 'CPT']),
            code: Type.String({ pattern: '^[0-9A-HJ-NP-Z]{5,7}$' }),
            itemSequences: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 100 }), { maxItems: 100 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 25 },
      ),
    ),
    notes: Type.Optional(Type.String({ maxLength: 8000 })),
  },
  { additionalProperties: false },
);
export type ClaimDetail = Static<typeof ClaimDetail>;

/** Per-line decision of a partial adjudication (sequence is 1-based). */
export const ItemDecision = Type.Object(
  {
    sequence: Type.Integer({ minimum: 1, maximum: 100 }),
    eligibleQuantity: Type.Integer({ minimum: 0, maximum: MAX_QUANTITY }),
    reasons: Type.Optional(Type.Array(AdjudicationReason, { maxItems: 5, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type ItemDecision = Static<typeof ItemDecision>;

/**
 * `claims:adjudicate` request. `approve`: every line fully eligible. `deny`: no line, `reasons`
 * required. `partial`: `items` gives each reduced line's eligible quantity and reasons (lines not
 * named stay fully eligible). The plan's cost sharing then applies as in auto-adjudication.
 */
export const AdjudicateClaimRequest = Type.Object(
  {
    claimId: Id,
    decision: StringEnum(['approve', 'partial', 'deny']),
    reasons: Type.Optional(Type.Array(AdjudicationReason, { minItems: 1, maxItems: 5, uniqueItems: true })),
    items: Type.Optional(Type.Array(ItemDecision, { minItems: 1, maxItems: 100 })),
  },
  { additionalProperties: false },
);
export type AdjudicateClaimRequest = Static<typeof AdjudicateClaimRequest>;

/** `claims:pay` request: the amount must equal the adjudicated benefit. */
export const PayClaimRequest = Type.Object(
  { claimId: Id, amount: Money, currency: Currency, reference: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$' }) },
  { additionalProperties: false },
);
export type PayClaimRequest = Static<typeof PayClaimRequest>;

/** Why a provider appeals (coded: free text could carry PHI onto the channel). */
export const AppealReason = StringEnum(['CODING_CORRECTED', 'MEDICAL_NECESSITY', 'COVERAGE_VERIFIED', 'CALCULATION_ERROR', 'ADDITIONAL_INFORMATION', 'OTHER']);
export type AppealReason = Static<typeof AppealReason>;

/** `claims:appeal` request. */
export const AppealClaimRequest = Type.Object({ claimId: Id, reason: AppealReason }, { additionalProperties: false });
export type AppealClaimRequest = Static<typeof AppealClaimRequest>;

/** `claims:get` / `claims:getDetail` request. */
export const GetClaimRequest = Type.Object({ claimId: Id }, { additionalProperties: false });
export type GetClaimRequest = Static<typeof GetClaimRequest>;

/** Claim statuses. */
export const ClaimStatus = StringEnum(['pended', 'approved', 'partial', 'denied', 'appealed', 'paid']);
export type ClaimStatus = Static<typeof ClaimStatus>;

/** `claims:list` request: the caller organisation's claims (as provider or payer), by status. */
/** `claims:list`: the caller organisation's claims, of one status or (without `status`) of every status, by status then id. */
export const ListClaimsRequest = Type.Object({ status: Type.Optional(ClaimStatus), ...PageRequest }, { additionalProperties: false });
export type ListClaimsRequest = Static<typeof ListClaimsRequest>;
