import type { HealthContext } from '../shared';
import { checkAccess, type AccessDecision, type AccessSubject, type EmergencyAccess } from './access';
import type { ConsentAction, Purpose } from '@healthledger/contract-api';
import { callerIsDelegate, consentsOf, getEmergency } from './store';

/** What an access names beyond the record and purpose. */
export interface AccessScope {
  /** A break-the-glass access opened first (purpose ETREAT). */
  emergencyId?: string;
  /** A trial's data release: only that trial's research consents decide. */
  trialId?: string;
  action?: ConsentAction;
}

/**
 * Gathers from the ledger every fact {@link checkAccess} needs for the caller of this transaction
 * (the patient's consents, delegate registration, the named emergency) and decides. An unknown
 * `emergencyId` is bad input (EMERGENCY_NOT_FOUND); everything else is a decision.
 */
export async function decideAccess(ctx: HealthContext, subject: AccessSubject, purpose: Purpose, scope: AccessScope = {}): Promise<AccessDecision> {
  const { emergencyId, trialId, action = 'access' } = scope;
  const { caller } = ctx;
  const emergency: EmergencyAccess | undefined = emergencyId === undefined ? undefined : await getEmergency(ctx, emergencyId);
  return checkAccess({
    requester: { mspId: caller.mspId, role: caller.role, actor: caller.actor, practitionerId: caller.practitionerId, patientId: caller.patientId },
    subject,
    purpose,
    action,
    atMs: ctx.now.epochMs,
    consents: await consentsOf(ctx, subject.patientRef),
    isDelegate: await callerIsDelegate(ctx, subject.patientRef),
    emergency,
    trialId,
  });
}
