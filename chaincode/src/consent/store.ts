import { requirePatientId, type HealthContext, type Stamp } from '../shared';
import { fail } from '@healthledger/contract-api';
import type { Consent, EmergencyAccess } from './access';

/** A guardian registered by a patient; `delegateId` is the guardian's own `patient_id`. */
export interface Delegate {
  patientRef: string;
  delegateId: string;
  since: string;
  updatedBy: Stamp;
}

/** State key of a consent (the audit contract's history relies on it). */
export function consentKey(ctx: HealthContext, consentId: string): string {
  return ctx.state.key('consent', consentId);
}

/** Index of a patient's consents: `consent~patient` (patientRef, consentId). */
export const CONSENT_BY_PATIENT = 'consent~patient';

export function delegateKey(ctx: HealthContext, patientRef: string, delegateId: string): string {
  return ctx.state.key('delegate', patientRef, delegateId);
}

export function emergencyKey(ctx: HealthContext, emergencyId: string): string {
  return ctx.state.key('emergency', emergencyId);
}

/** Index of emergencies awaiting review: `emergency~unreviewed` (org, emergencyId). */
export const EMERGENCY_UNREVIEWED = 'emergency~unreviewed';

export async function getConsent(ctx: HealthContext, consentId: string): Promise<Consent> {
  return (await ctx.state.get<Consent>(consentKey(ctx, consentId))) ?? fail('CONSENT_NOT_FOUND', consentId);
}

/** Every consent of a patient, any status, in consent-id order (committed state). */
export async function consentsOf(ctx: HealthContext, patientRef: string): Promise<Consent[]> {
  const consents: Consent[] = [];
  for await (const entry of ctx.state.scan(CONSENT_BY_PATIENT, patientRef)) {
    const consentId = entry.attributes[1];
    const consent = consentId === undefined ? undefined : await ctx.state.get<Consent>(consentKey(ctx, consentId));
    if (consent) consents.push(consent);
  }
  return consents;
}

export async function getEmergency(ctx: HealthContext, emergencyId: string): Promise<EmergencyAccess> {
  return (await ctx.state.get<EmergencyAccess>(emergencyKey(ctx, emergencyId))) ?? fail('EMERGENCY_NOT_FOUND', emergencyId);
}

/** Whether the caller (role patient) is a registered delegate of `patientRef`. */
export async function callerIsDelegate(ctx: HealthContext, patientRef: string): Promise<boolean> {
  const { role, patientId } = ctx.caller;
  if (role !== 'patient' || !patientId || patientId === patientRef) return false;
  return ctx.state.exists(delegateKey(ctx, patientRef, patientId));
}

/** Whether the caller is the patient `patientRef` or one of the patient's registered delegates. */
export async function callerActsForPatient(ctx: HealthContext, patientRef: string): Promise<boolean> {
  const { role, patientId } = ctx.caller;
  return role === 'patient' && (patientId === patientRef || (await callerIsDelegate(ctx, patientRef)));
}

/** Requires the patient's own identity or a registered delegate's; throws otherwise. */
export async function requirePatientOrDelegate(ctx: HealthContext, patientRef: string): Promise<void> {
  requirePatientId(ctx.caller);
  if (!(await callerActsForPatient(ctx, patientRef))) fail('NOT_PATIENT_OR_DELEGATE', patientRef);
}
