import { fail, MAX_TRIAL_DOCUMENT_BYTES, type Stamp, type Trial, type TrialDocument, type TrialDocumentKind } from '@healthledger/contract-api';
import { epochMsFromIso, implicitCollection, isoFromEpochMs, requireOrg, type HealthContext } from '../shared';

export type { Trial, TrialDocument };

/** Public state key of a trial; its state-based policy names the sponsor alone. */
export function trialKey(ctx: HealthContext, trialId: string): string {
  return ctx.state.key('trial', trialId);
}

/** Private key of one anchored document version, in the sponsor's implicit collection. */
export function documentKey(ctx: HealthContext, trialId: string, kind: TrialDocumentKind, version: number): string {
  return ctx.state.key('trial-document', trialId, kind, String(version));
}

/** The sponsor's implicit collection, where a trial's documents are kept. */
export function documentCollection(trial: Pick<Trial, 'sponsor'>): string {
  return implicitCollection(trial.sponsor);
}

export async function getTrial(ctx: HealthContext, trialId: string): Promise<Trial> {
  return (await ctx.state.get<Trial>(trialKey(ctx, trialId))) ?? fail('TRIAL_NOT_FOUND', trialId);
}

/** The trial, if the caller belongs to its sponsor (ORG_FORBIDDEN otherwise). */
export async function getSponsoredTrial(ctx: HealthContext, trialId: string): Promise<Trial> {
  const trial = await getTrial(ctx, trialId);
  requireOrg(ctx.caller, trial.sponsor);
  return trial;
}

/** Every anchored version of one kind, oldest first. */
export function versionsOf(trial: Trial, kind: TrialDocumentKind): TrialDocument[] {
  return trial.documents.filter((d) => d.kind === kind);
}

/**
 * A new version of `kind`, anchored now. It takes effect at `effectiveFrom`, which may not precede
 * the anchoring: an amendment is on the ledger before anyone acts under it.
 */
export function anchorVersion(trial: Trial, kind: TrialDocumentKind, hash: string, stamp: Stamp, effectiveFrom?: string): TrialDocument {
  const effective = effectiveFrom ?? stamp.at;
  const effectiveMs = epochMsFromIso(effective) ?? fail('VALIDATION_FAILED', 'request/effectiveFrom: not a valid time');
  if (effectiveMs < (epochMsFromIso(stamp.at) ?? 0)) fail('TRIAL_EFFECTIVE_BEFORE_ANCHOR', `${trial.trialId} ${kind}`);
  return { kind, version: versionsOf(trial, kind).length + 1, hash, anchoredAt: stamp.at, effectiveFrom: isoFromEpochMs(effectiveMs), anchoredBy: stamp };
}

/**
 * Whether a document of `kind` may still be anchored. Everything precedes unblinding (no outcome
 * or analysis switching once the results are known); the pre-specified outcomes also precede the
 * first enrolment (`hasSubjects`); a closed trial takes nothing.
 */
export function requireAnchorable(trial: Trial, kind: TrialDocumentKind, hasSubjects: boolean): void {
  if (trial.status === 'closed') fail('TRIAL_NOT_ACTIVE', `${trial.trialId} is closed`);
  if (trial.status === 'unblinded') fail('TRIAL_ANCHOR_TOO_LATE', `${trial.trialId} is unblinded`);
  if (kind === 'outcomes' && hasSubjects) fail('TRIAL_ANCHOR_TOO_LATE', `${trial.trialId} has enrolled subjects`);
}

/** Transient `document`: a trial document's exact bytes. */
export function transientDocument(ctx: HealthContext): Uint8Array {
  const bytes = ctx.transient('document') ?? fail('TRANSIENT_MISSING', 'document');
  if (bytes.length > MAX_TRIAL_DOCUMENT_BYTES) fail('TRANSIENT_TOO_LARGE', 'document');
  return bytes;
}
