import { fail, type Subject } from '@healthledger/contract-api';
import type { Consent } from '../consent/access';
import { inPeriod } from '../consent/access';
import { getConsent } from '../consent/store';
import type { HealthContext } from '../shared';
import type { Trial } from './trial';

export type { Subject };

/**
 * Public state key of a subject: `key('trial-subject', trialId, subjectId)`, so the subjects of a
 * trial are one range (anchoring the outcomes reads it to prove none is enrolled yet).
 */
export const SUBJECT_TYPE = 'trial-subject';

export function subjectKey(ctx: HealthContext, trialId: string, subjectId: string): string {
  return ctx.state.key(SUBJECT_TYPE, trialId, subjectId);
}

export async function getSubject(ctx: HealthContext, trialId: string, subjectId: string): Promise<Subject> {
  return (await ctx.state.get<Subject>(subjectKey(ctx, trialId, subjectId))) ?? fail('SUBJECT_NOT_FOUND', `${trialId}/${subjectId}`);
}

/** Whether any subject was ever enrolled in the trial (committed state). */
export async function hasSubjects(ctx: HealthContext, trialId: string): Promise<boolean> {
  for await (const _ of ctx.state.scan(SUBJECT_TYPE, trialId)) return true;
  return false;
}

/**
 * The research consent an enrolment rests on: active now, of this patient, tied to this trial.
 * (Its grantee and purposes were checked against the trial when it was granted.)
 */
export async function requireTrialConsent(ctx: HealthContext, trial: Trial, consentId: string, patientRef: string): Promise<Consent> {
  const consent = await getConsent(ctx, consentId);
  const fits = consent.status === 'active' && consent.trialId === trial.trialId && consent.patientRef === patientRef && inPeriod(consent.period, ctx.now.epochMs);
  if (!fits) fail('CONSENT_NOT_FOR_TRIAL', consentId);
  return consent;
}

/** Requires the caller to be staff of one of the trial's sites (NOT_TRIAL_SITE otherwise). */
export function requireSite(ctx: HealthContext, trial: Trial): void {
  if (!trial.sites.includes(ctx.caller.mspId)) fail('NOT_TRIAL_SITE', `${ctx.caller.mspId} in ${trial.trialId}`);
}
