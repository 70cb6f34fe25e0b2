/** The coverage and claims contracts (FHIR Coverage, Claim and ClaimResponse). */
import {
  AdjudicateClaimRequest,
  AppealClaimRequest,
  ClaimDetail,
  EligibilityRequest,
  GetClaimRequest,
  GetCoverageRequest,
  ListClaimsRequest,
  ListCoveragesRequest,
  PayClaimRequest,
  RegisterCoverageRequest,
  SubmitClaimRequest,
  UpdateCoverageRequest,
} from '../claims';
import { ClaimDetailResultSchema, ClaimHeaderSchema, ClaimSchema, CoverageSchema, EligibilitySchema } from '../claims-results';
import { defineContract } from './spec';

const PAYER_ADJUDICATOR = { roles: ['adjudicator'], rule: "adjudicator of the claim's payer" } as const;

export const COVERAGE = defineContract('coverage', {
  register: {
    mode: 'submit', request: RegisterCoverageRequest,
    callers: { roles: ['adjudicator'], orgKinds: ['payer'], rule: 'adjudicator of a payer organisation (becomes the payer)' },
    summary: 'Register a coverage (payer adjudicator)',
    result: CoverageSchema,
  },
  update: {
    mode: 'submit', request: UpdateCoverageRequest, callers: { roles: ['adjudicator'], rule: "adjudicator of the coverage's payer" },
    summary: "Replace a coverage's terms",
    result: CoverageSchema,
  },
  get: {
    mode: 'evaluate', request: GetCoverageRequest,
    callers: {
      roles: ['adjudicator', 'billing', 'patient', 'auditor'],
      rule: 'adjudicator of its payer, billing of a provider organisation, the patient it covers, or an auditor',
    },
    summary: 'One coverage',
    result: CoverageSchema,
  },
  list: {
    mode: 'evaluate', request: ListCoveragesRequest,
    callers: {
      roles: ['adjudicator', 'billing', 'patient', 'auditor'],
      rule: "a patient's coverages: adjudicator of a payer (its own coverages only), billing of a provider organisation, the patient, or an auditor",
    },
    summary: "A patient's coverages",
    items: CoverageSchema,
  },
  checkEligibility: {
    mode: 'evaluate', request: EligibilityRequest,
    callers: { roles: ['billing', 'adjudicator', 'patient'], rule: 'billing of a provider organisation, adjudicator of the payer, or the patient' },
    summary: 'Eligibility and cost estimate (nothing written)',
    result: EligibilitySchema,
  },
});

export const CLAIMS = defineContract('claims', {
  submit: {
    mode: 'submit', request: SubmitClaimRequest,
    callers: { roles: ['billing'], orgKinds: ['provider'], rule: 'billing role of a provider organisation (becomes the provider)' },
    transient: [{ name: 'detail', required: true, schema: ClaimDetail, description: 'Clinical detail (private to provider and payer)' }],
    summary: 'Submit a claim; adjudicated at once when the rules decide, else pended',
    result: ClaimSchema,
  },
  adjudicate: { mode: 'submit', request: AdjudicateClaimRequest, callers: PAYER_ADJUDICATOR, summary: 'Adjudicate a pended or appealed claim', result: ClaimSchema },
  pay: { mode: 'submit', request: PayClaimRequest, callers: PAYER_ADJUDICATOR, summary: 'Record the payment of an approved claim', result: ClaimSchema },
  appeal: {
    mode: 'submit', request: AppealClaimRequest, callers: { roles: ['billing'], rule: "billing role of the claim's provider" },
    summary: 'Appeal a denied or partially approved claim',
    result: ClaimSchema,
  },
  get: {
    mode: 'evaluate', request: GetClaimRequest,
    callers: {
      roles: ['billing', 'adjudicator', 'patient', 'auditor'],
      rule: 'billing of the provider, adjudicator of the payer, the patient, or an auditor of either party',
    },
    summary: 'One claim with its adjudication, payment and appeals',
    result: ClaimSchema,
  },
  getDetail: {
    mode: 'evaluate', request: GetClaimRequest,
    callers: { roles: ['billing', 'adjudicator'], rule: 'billing of the provider or adjudicator of the payer, on its own peer' },
    summary: 'Clinical detail (provider billing or payer adjudicator)',
    result: ClaimDetailResultSchema,
  },
  list: {
    mode: 'evaluate', request: ListClaimsRequest,
    callers: { roles: ['billing', 'adjudicator'], rule: 'billing of a provider (as provider) or adjudicator of a payer (as payer)' },
    summary: "The caller organisation's claims in one status",
    items: ClaimHeaderSchema,
  },
});
