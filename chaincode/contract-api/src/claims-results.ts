/**
 * What the coverage and claims contracts answer: a coverage, an eligibility estimate, and a claim
 * with the payer's adjudication and payment and the provider's appeals. Amounts are integer minor
 * units of the claim's or coverage's `currency` (cents for USD).
 */
import { Type } from '@sinclair/typebox';
import { AdjudicationReason, AppealReason, ClaimDetail, ClaimItem, ClaimStatus, Currency, CoverageStatus, RegisterCoverageRequest } from './claims';
import { field, MspId } from './common';
import { StringEnum } from './enums';
import { STAMP_EXAMPLE, StampSchema } from './stamp';

const minor = (what: string, example: number) => Type.Integer({ description: `${what}, in integer minor units of the currency (cents for USD)`, examples: [example] });
const at = (description: string) => Type.String({ description: `${description} (ISO 8601 UTC, transaction time)`, examples: [STAMP_EXAMPLE.at] });
const PAYER_STAMP = { ...STAMP_EXAMPLE, org: 'InsurerMSP', role: 'adjudicator' };

/** A coverage as the ledger keeps it: the payer's terms, its payer and status. */
export const CoverageSchema = Type.Object(
  {
    ...RegisterCoverageRequest.properties,
    payer: field(MspId, 'The payer organisation that registered it', 'InsurerMSP'),
    status: CoverageStatus,
    updatedBy: field(StampSchema, 'Who changed it last, and when', PAYER_STAMP),
  },
  { description: "A patient's coverage (FHIR Coverage with the plan's cost sharing)" },
);

const PENDING = 'Why the rules did not decide at submit: MANUAL_REVIEW_CODE (a benefit under manual review), ABOVE_AUTO_LIMIT (total above the auto-adjudication limit), POSSIBLE_DUPLICATE';
const PendReasons = (description: string) => Type.Array(Type.String({ description: 'A pend reason', examples: ['MANUAL_REVIEW_CODE'] }), { description });

/** The priced amounts of a line, or of all lines (FHIR ClaimResponse adjudication categories). */
const amounts = {
  submitted: minor('quantity × unitPrice as submitted', 12000),
  eligible: minor('The eligible quantity × unitPrice', 12000),
  copay: minor('Copay the patient owes', 2000),
  deductible: minor('Deductible the patient owes', 0),
  coinsurance: minor('Coinsurance the patient owes', 1000),
  benefit: minor('What the payer pays', 9000),
  patientResponsibility: minor('What the patient owes: submitted − benefit (cost sharing plus anything not eligible)', 3000),
};

export const PricedLineSchema = Type.Object(
  {
    sequence: Type.Integer({ minimum: 1, description: 'The claim line, from 1', examples: [1] }),
    eligibleQuantity: Type.Integer({ minimum: 0, description: 'Units accepted', examples: [1] }),
    ...amounts,
    reasons: Type.Array(AdjudicationReason, { description: 'Why the line was not (fully) paid; empty when it was' }),
  },
  { description: 'One priced line' },
);

export const PricedTotalsSchema = Type.Object(amounts, { description: 'The sums over the lines' });

export const EligibilitySchema = Type.Object(
  {
    coverageId: Type.String({ description: 'The coverage used', examples: ['cov-1'] }),
    inForce: Type.Boolean({ description: 'Active and covering the service date', examples: [true] }),
    outcome: StringEnum(['approved', 'partial', 'denied'], { description: 'What adjudication by the rules would decide' }),
    pendReasons: PendReasons(`Why a claim would pend for manual adjudication instead. ${PENDING}`),
    items: Type.Array(PricedLineSchema, { description: 'The lines, priced' }),
    totals: PricedTotalsSchema,
    deductibleRemaining: minor("The patient's deductible left this plan year, before these services", 0),
    outOfPocketRemaining: minor("The patient's out-of-pocket allowance left this plan year, before these services", 497000),
  },
  { description: 'Eligibility and cost estimate, with the rules and rounding of adjudication (nothing written)' },
);

export const ClaimLineSchema = Type.Object(
  {
    ...ClaimItem.properties,
    sequence: Type.Integer({ minimum: 1, description: 'The line number, from 1', examples: [1] }),
    net: minor('quantity × unitPrice', 12000),
  },
  { description: 'A claim line as stored' },
);

export const AdjudicationSchema = Type.Object(
  {
    round: Type.Integer({ minimum: 1, description: 'Adjudication round: 1, then one more per re-adjudication after an appeal', examples: [1] }),
    mode: StringEnum(['auto', 'manual'], { description: 'By the coverage rules at submit, or by the payer' }),
    outcome: StringEnum(['approved', 'partial', 'denied'], { description: 'The decision' }),
    reasons: Type.Array(AdjudicationReason, { description: "The claim-level reasons (a denial's)" }),
    items: Type.Array(PricedLineSchema, { description: 'The lines, priced' }),
    totals: PricedTotalsSchema,
    at: at('When it was decided'),
  },
  { description: 'The current adjudication (FHIR ClaimResponse)' },
);

export const ClaimAdjudicationPartSchema = Type.Object(
  {
    claimId: Type.String({ description: 'The claim', examples: ['clm-1'] }),
    payer: field(MspId, 'The payer', 'InsurerMSP'),
    pendReasons: PendReasons(`${PENDING}; empty when the rules decided`),
    current: Type.Optional(AdjudicationSchema),
    payment: Type.Optional(
      Type.Object(
        {
          amount: minor('The amount paid (the benefit)', 9000),
          currency: Currency,
          reference: Type.String({ description: "The payment's reference in the payer's systems", examples: ['eft-20261205-0001'] }),
          at: at('When the payment was recorded'),
        },
        { description: 'The payment, once recorded' },
      ),
    ),
    updatedBy: StampSchema,
  },
  { description: "The payer's part of the claim (only the payer's peers may change it)" },
);

export const ClaimAppealPartSchema = Type.Object(
  {
    claimId: Type.String({ description: 'The claim', examples: ['clm-1'] }),
    provider: field(MspId, 'The provider', 'Hospital1MSP'),
    appeals: Type.Array(
      Type.Object(
        {
          reason: AppealReason,
          afterRound: Type.Integer({ minimum: 0, description: 'The adjudication round appealed', examples: [1] }),
          at: at('When it was appealed'),
        },
        { description: 'An appeal' },
      ),
      { description: 'The appeals, oldest first' },
    ),
    updatedBy: StampSchema,
  },
  { description: "The provider's part of the claim (only the provider's peers may change it)" },
);

const header = {
  claimId: Type.String({ description: 'The claim id', examples: ['clm-1'] }),
  patientRef: Type.String({ description: "The patient's pseudonymous reference", examples: ['pt-0c5f1a9e'] }),
  provider: field(MspId, 'The provider organisation that submitted it', 'Hospital1MSP'),
  payer: field(MspId, 'The payer organisation', 'InsurerMSP'),
  coverageId: Type.String({ description: 'The coverage it claims under', examples: ['cov-1'] }),
  serviceDate: Type.String({ description: 'The date of service (YYYY-MM-DD)', examples: ['2026-12-01'] }),
  currency: Currency,
  items: Type.Array(ClaimLineSchema, { description: 'The lines' }),
  total: minor('The sum of the lines', 12000),
  detailHash: Type.String({ description: 'SHA-256 of the private clinical detail (salted by its nonce), which provider and payer hold', examples: ['4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce'] }),
  status: field(ClaimStatus, 'The claim status', 'approved'),
  possibleDuplicateOf: Type.Optional(Type.String({ description: 'A claim with the same patient, provider, date and codes but other modifiers', examples: ['clm-0'] })),
  submittedAt: at('When it was submitted'),
  updatedBy: field(StampSchema, 'Who changed the header last, and when', { ...STAMP_EXAMPLE, role: 'billing' }),
};

/** A claim's header: what the provider submitted, and its status. */
export const ClaimHeaderSchema = Type.Object(header, { description: 'A claim (FHIR Claim, public part: billing codes, never diagnoses)' });

/** A claim with the parts the answering transaction read or changed. */
export const ClaimSchema = Type.Object(
  {
    ...header,
    adjudication: Type.Optional(ClaimAdjudicationPartSchema),
    appeal: Type.Optional(ClaimAppealPartSchema),
  },
  { description: "A claim with the payer's adjudication and payment and the provider's appeals (no clinical detail)" },
);

export const ClaimDetailResultSchema = Type.Object(
  { claimId: Type.String({ description: 'The claim', examples: ['clm-1'] }), detail: ClaimDetail },
  { description: "The claim's clinical detail, read from the caller organisation's own peer and checked against `detailHash`" },
);
