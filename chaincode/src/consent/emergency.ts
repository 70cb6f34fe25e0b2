import { canonicalJson, HealthContext, HealthContract, implicitCollection, isoFromEpochMs, saltedValue, sha256Hex, transientSalt, Tx } from '../shared';
import { EmergencyIdRequest, fail, ListUnreviewedRequest, MAX_JUSTIFICATION_BYTES, OpenEmergencyRequest, parseInput, ReviewEmergencyRequest, EMERGENCY } from '@healthledger/contract-api';
import type { EmergencyAccess } from './access';
import { callerActsForPatient, EMERGENCY_UNREVIEWED, emergencyKey, getEmergency } from './store';

/**
 * Break-the-glass: a clinician opens time-boxed emergency access to one patient's records, used by
 * `records:requestAccess` with purpose ETREAT. Every opening is announced (for patient
 * notification) and stays flagged until an auditor or a records-admin of the clinician's
 * organisation reviews it.
 */
/** Private key of an emergency's justification in the clinician organisation's implicit collection. */
function justificationKey(ctx: HealthContext, emergencyId: string): string {
  return ctx.state.key('emergency-justification', emergencyId);
}

export class EmergencyContract extends HealthContract {
  constructor() {
    super('emergency');
  }

  /**
   * Submit, optional step one of opening emergency access: stores the free-text justification
   * (transient `justification`, up to 4 KiB, stored as `salt ‖ justification` with transient
   * `salt`) in the clinician organisation's implicit collection
   * and writes nothing public, so only that organisation's peers endorse it and see the text.
   * Takes the same request as {@link openEmergency} and refuses what it would refuse. Returns
   * `{ emergencyId, justificationHash }`; step two is `openEmergency` with that hash.
   */
  @Tx(EMERGENCY.stageJustification)
  async stageJustification(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(OpenEmergencyRequest, request);
    const justification = ctx.transient('justification') ?? fail('TRANSIENT_MISSING', 'justification');
    if (justification.length > MAX_JUSTIFICATION_BYTES) fail('TRANSIENT_TOO_LARGE', `justification: ${justification.length} bytes > ${MAX_JUSTIFICATION_BYTES}`);
    // Salted: a short justification could otherwise be confirmed from its public hash.
    const value = saltedValue(transientSalt(ctx), justification);
    const justificationHash = sha256Hex(value);
    if (req.justificationHash !== undefined && req.justificationHash !== justificationHash) fail('CONTENT_HASH_MISMATCH', req.emergencyId);
    if (await ctx.state.exists(emergencyKey(ctx, req.emergencyId))) fail('EMERGENCY_EXISTS', req.emergencyId);
    await ctx.state.putPrivate(implicitCollection(ctx.caller.mspId), justificationKey(ctx, req.emergencyId), value);
    return canonicalJson({ emergencyId: req.emergencyId, justificationHash });
  }

  /**
   * Submit. Removes a justification staged by {@link stageJustification} whose emergency access
   * was never opened (the second step failed): purged from the caller organisation's implicit
   * collection. Refused once the emergency access exists. Same request as `openEmergency`.
   * Callers: clinicians of a provider organisation.
   */
  @Tx(EMERGENCY.discardJustification)
  async discardJustification(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(OpenEmergencyRequest, request);
    if (await ctx.state.exists(emergencyKey(ctx, req.emergencyId))) fail('EMERGENCY_EXISTS', req.emergencyId);
    const collection = implicitCollection(ctx.caller.mspId);
    const key = justificationKey(ctx, req.emergencyId);
    if ((await ctx.state.privateHash(collection, key)) === undefined) fail('CONTENT_NOT_STAGED', req.emergencyId);
    await ctx.state.purgePrivate(collection, key);
    return canonicalJson({ emergencyId: req.emergencyId, discarded: true });
  }

  /**
   * Submit. Opens emergency access for `durationMinutes` (at most 480). Callers: clinicians of a
   * provider organisation. No transient data: a justification is staged first with
   * {@link stageJustification} and named here by `justificationHash`, which every endorser checks
   * against the staged value's hash (`getPrivateDataHash`, no membership needed).
   */
  @Tx(EMERGENCY.openEmergency)
  async openEmergency(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(OpenEmergencyRequest, request);
    const key = emergencyKey(ctx, req.emergencyId);
    if (await ctx.state.exists(key)) fail('EMERGENCY_EXISTS', req.emergencyId);
    const { caller } = ctx;
    const justificationHash = req.justificationHash;
    if (justificationHash !== undefined) {
      const staged = await ctx.state.privateHash(implicitCollection(caller.mspId), justificationKey(ctx, req.emergencyId));
      if (staged === undefined) fail('CONTENT_NOT_STAGED', req.emergencyId);
      if (staged !== justificationHash) fail('CONTENT_HASH_MISMATCH', req.emergencyId);
    }

    const stamp = ctx.stamp();
    const emergency: EmergencyAccess = {
      emergencyId: req.emergencyId,
      patientRef: req.patientRef,
      org: caller.mspId,
      actor: caller.actor,
      practitionerId: caller.practitionerId,
      reasonCode: req.reasonCode,
      openedAt: stamp.at,
      expiresAt: isoFromEpochMs(ctx.now.epochMs + req.durationMinutes * 60_000),
      justificationHash,
      reviewed: false,
      updatedBy: stamp,
    };
    await ctx.state.put(key, emergency);
    await ctx.state.putIndex(EMERGENCY_UNREVIEWED, caller.mspId, req.emergencyId);
    ctx.changes.add({ type: 'emergency', id: req.emergencyId, action: 'opened', patientRef: req.patientRef, org: caller.mspId, expiresAt: emergency.expiresAt });
    return canonicalJson(emergency);
  }

  /** Submit. Reviews an emergency access (justified or not) and clears its flag. Callers: auditors; records-admins of the clinician's organisation. */
  @Tx(EMERGENCY.reviewEmergency)
  async reviewEmergency(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(ReviewEmergencyRequest, request);
    const emergency = await getEmergency(ctx, req.emergencyId);
    if (ctx.caller.role === 'records-admin' && ctx.caller.mspId !== emergency.org) fail('ORG_FORBIDDEN', `${ctx.caller.mspId} is not ${emergency.org}`);
    if (emergency.reviewed) fail('EMERGENCY_ALREADY_REVIEWED', req.emergencyId);
    const stamp = ctx.stamp();
    const reviewed: EmergencyAccess = { ...emergency, reviewed: true, review: { outcome: req.outcome, at: stamp.at, by: stamp }, updatedBy: stamp };
    await ctx.state.put(emergencyKey(ctx, req.emergencyId), reviewed);
    await ctx.state.deleteIndex(EMERGENCY_UNREVIEWED, emergency.org, req.emergencyId);
    ctx.changes.add({ type: 'emergency', id: req.emergencyId, action: 'reviewed', outcome: req.outcome, patientRef: emergency.patientRef, org: emergency.org });
    return canonicalJson(reviewed);
  }

  /** Evaluate. One emergency access. Callers: auditors; staff (non-patient roles) of the clinician's organisation; the patient or a delegate. */
  @Tx(EMERGENCY.getEmergency)
  async getEmergency(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(EmergencyIdRequest, request);
    const emergency = await getEmergency(ctx, req.emergencyId);
    const { caller } = ctx;
    const allowed = caller.role === 'auditor' || (caller.role !== 'patient' && caller.mspId === emergency.org) || (await callerActsForPatient(ctx, emergency.patientRef));
    if (!allowed) fail(caller.role === 'patient' ? 'NOT_PATIENT_OR_DELEGATE' : 'ORG_FORBIDDEN', req.emergencyId);
    return canonicalJson(emergency);
  }

  /**
   * Evaluate. One page of emergency accesses awaiting review, `{ items, bookmark }`: every
   * organisation's for auditors, their own organisation's for records-admins.
   */
  @Tx(EMERGENCY.listUnreviewed)
  async listUnreviewed(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(ListUnreviewedRequest, request);
    const prefix = ctx.caller.role === 'auditor' ? [] : [ctx.caller.mspId];
    const page = await ctx.state.page(EMERGENCY_UNREVIEWED, prefix, req.pageSize, req.bookmark);
    const items: EmergencyAccess[] = [];
    for (const entry of page.items) {
      const emergency = await ctx.state.get<EmergencyAccess>(emergencyKey(ctx, entry.attributes[1] ?? ''));
      if (emergency) items.push(emergency);
    }
    return canonicalJson({ items, bookmark: page.bookmark });
  }
}
