import { type HealthContext, type Stamp } from '../shared';
import { type AdjudicationReason, type AppealReason, type ClaimItem, type ClaimStatus, fail } from '@healthledger/contract-api';
import type { Outcome, PricedLine, PricedTotals } from './pricing';

/**
 * Claim storage. A claim is three public keys, so that neither party alone can change the
 * other's part (docs/design/claims.md):
 *
 * - `claim` / id — the header: what the provider submitted and the status. State-based
 *   endorsement: provider AND payer, so every status change needs both peers (each runs the
 *   chaincode's role and transition checks).
 * - `claim~adjudication` / id — the payer's part: pend reasons, the current adjudication and the
 *   payment. SBE: payer only. Created at submit so its policy is in place from the start.
 * - `claim~appeal` / id — the provider's part: its appeals. SBE: provider only. Created at submit.
 *
 * Index `claim~party` / mspId / status / claimId lists each party's claims by status.
 */

/** A stored claim line: the request line with its net amount. */
export type StoredItem = Omit<ClaimItem, 'net'> & { sequence: number; net: number };

export interface ClaimHeader {
  claimId: string;
  patientRef: string;
  provider: string;
  payer: string;
  coverageId: string;
  serviceDate: string;
  currency: string;
  items: StoredItem[];
  total: number;
  /** SHA-256 (hex) of the private clinical detail held by provider and payer. */
  detailHash: string;
  status: ClaimStatus;
  /** Set when a claim with the same patient, provider, date and codes but other modifiers exists. */
  possibleDuplicateOf?: string;
  submittedAt: string;
  updatedBy: Stamp;
}

/** One adjudication (FHIR ClaimResponse): automatic at submit or manual by the payer. */
export interface Adjudication {
  round: number;
  mode: 'auto' | 'manual';
  outcome: Outcome;
  reasons: AdjudicationReason[];
  items: PricedLine[];
  totals: PricedTotals;
  at: string;
}

export interface Payment {
  amount: number;
  currency: string;
  reference: string;
  at: string;
}

/** The payer's part. */
export interface AdjudicationPart {
  claimId: string;
  payer: string;
  /** Why the rules did not decide at submit (empty when they did). */
  pendReasons: string[];
  current?: Adjudication;
  payment?: Payment;
  updatedBy: Stamp;
}

/** The provider's part. */
export interface AppealPart {
  claimId: string;
  provider: string;
  appeals: { reason: AppealReason; afterRound: number; at: string }[];
  updatedBy: Stamp;
}

export const claimKey = (ctx: HealthContext, id: string): string => ctx.state.key('claim', id);
const adjudicationKey = (ctx: HealthContext, id: string): string => ctx.state.key('claim~adjudication', id);
const appealKey = (ctx: HealthContext, id: string): string => ctx.state.key('claim~appeal', id);

/** The claim header, or CLAIM_NOT_FOUND. */
export async function readClaim(ctx: HealthContext, claimId: string): Promise<ClaimHeader> {
  return (await ctx.state.get<ClaimHeader>(claimKey(ctx, claimId))) ?? fail('CLAIM_NOT_FOUND', claimId);
}

export async function readAdjudicationPart(ctx: HealthContext, claim: ClaimHeader): Promise<AdjudicationPart> {
  return (await ctx.state.get<AdjudicationPart>(adjudicationKey(ctx, claim.claimId))) ?? fail('CLAIM_NOT_FOUND', `${claim.claimId} adjudication`);
}

export async function readAppealPart(ctx: HealthContext, claim: ClaimHeader): Promise<AppealPart> {
  return (await ctx.state.get<AppealPart>(appealKey(ctx, claim.claimId))) ?? fail('CLAIM_NOT_FOUND', `${claim.claimId} appeal`);
}

/** Writes a new claim's three keys with their endorsement policies, and its party indexes. */
export async function createClaim(ctx: HealthContext, claim: ClaimHeader, adjudication: AdjudicationPart): Promise<void> {
  const header = claimKey(ctx, claim.claimId);
  await ctx.state.put(header, claim);
  await ctx.state.setEndorsers(header, [claim.provider, claim.payer]);
  await ctx.state.put(adjudicationKey(ctx, claim.claimId), adjudication);
  await ctx.state.setEndorsers(adjudicationKey(ctx, claim.claimId), [claim.payer]);
  const appeal: AppealPart = { claimId: claim.claimId, provider: claim.provider, appeals: [], updatedBy: claim.updatedBy };
  await ctx.state.put(appealKey(ctx, claim.claimId), appeal);
  await ctx.state.setEndorsers(appealKey(ctx, claim.claimId), [claim.provider]);
  for (const party of [claim.provider, claim.payer]) await ctx.state.putIndex('claim~party', party, claim.status, claim.claimId);
}

/** Moves the header to `status`, re-indexes it for both parties and announces the change. */
export async function setStatus(ctx: HealthContext, claim: ClaimHeader, status: ClaimStatus, action: string): Promise<ClaimHeader> {
  const next: ClaimHeader = { ...claim, status, updatedBy: ctx.stamp() };
  await ctx.state.put(claimKey(ctx, claim.claimId), next);
  for (const party of [claim.provider, claim.payer]) {
    await ctx.state.deleteIndex('claim~party', party, claim.status, claim.claimId);
    await ctx.state.putIndex('claim~party', party, status, claim.claimId);
  }
  ctx.changes.add({ type: 'claim', id: claim.claimId, action, status, provider: claim.provider, payer: claim.payer });
  return next;
}

export async function writeAdjudicationPart(ctx: HealthContext, part: AdjudicationPart): Promise<void> {
  await ctx.state.put(adjudicationKey(ctx, part.claimId), part);
}

export async function writeAppealPart(ctx: HealthContext, part: AppealPart): Promise<void> {
  await ctx.state.put(appealKey(ctx, part.claimId), part);
}
