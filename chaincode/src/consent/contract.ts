import { getRecordEntry } from '../records/record';
import { getTrial } from '../research/trial';
import { ConsentIdRequest, DelegateRequest, fail, GrantConsentRequest, ListConsentsRequest, ORGANIZATION_KINDS, parseInput, PatientRequest, RequestAccessRequest, CONSENT } from '@healthledger/contract-api';
import { canonicalJson, HealthContext, HealthContract, requirePatientId, requireRole, Tx } from '../shared';
import { periodBounds, type Consent } from './access';
import { decideAccess } from './decision';
import { CONSENT_BY_PATIENT, consentKey, delegateKey, getConsent, requirePatientOrDelegate, type Delegate } from './store';

/**
 * Patient consent (FHIR Consent shaped) and the patient's delegates (guardians). Consents are
 * granted and revoked only by the patient's own identity or a registered delegate; a revocation
 * commits before, and so applies to, the next access transaction.
 */
export class ConsentContract extends HealthContract {
  constructor() {
    super('consent');
  }

  /** Submit. Records an active consent. Callers: the patient (`patient_id` = patientRef) or a registered delegate. */
  @Tx(CONSENT.grantConsent)
  async grantConsent(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(GrantConsentRequest, request);
    await requirePatientOrDelegate(ctx, req.patientRef);
    if (!periodBounds(req.period)) fail('VALIDATION_FAILED', 'request/period: not a valid period (impossible date, or end before start)');
    if (!ORGANIZATION_KINDS[req.grantee.org]) fail('VALIDATION_FAILED', `request/grantee/org: ${req.grantee.org} is not in the consortium`);
    if (req.trialId !== undefined) await requireResearchScope(ctx, req, req.trialId);
    const key = consentKey(ctx, req.consentId);
    if (await ctx.state.exists(key)) fail('CONSENT_EXISTS', req.consentId);
    const stamp = ctx.stamp();
    const consent: Consent = { ...req, status: 'active', recorded: stamp.at, updatedBy: stamp };
    await ctx.state.put(key, consent);
    await ctx.state.putIndex(CONSENT_BY_PATIENT, req.patientRef, req.consentId);
    ctx.changes.add({ type: 'consent', id: req.consentId, action: 'granted', patientRef: req.patientRef, grantee: req.grantee.org, trialId: req.trialId });
    return canonicalJson(consent);
  }

  /** Submit. Revokes (status inactive) an active consent. Callers: the patient or a registered delegate. */
  @Tx(CONSENT.revokeConsent)
  async revokeConsent(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(ConsentIdRequest, request);
    const consent = await getConsent(ctx, req.consentId);
    await requirePatientOrDelegate(ctx, consent.patientRef);
    if (consent.status !== 'active') fail('CONSENT_NOT_ACTIVE', req.consentId);
    const stamp = ctx.stamp();
    const revoked: Consent = { ...consent, status: 'inactive', revokedAt: stamp.at, updatedBy: stamp };
    await ctx.state.put(consentKey(ctx, req.consentId), revoked);
    ctx.changes.add({ type: 'consent', id: req.consentId, action: 'revoked', patientRef: consent.patientRef, grantee: consent.grantee.org });
    return canonicalJson(revoked);
  }

  /** Evaluate. One consent. Callers: the patient or a delegate, auditors, and staff (non-patient roles) of the grantee organisation. */
  @Tx(CONSENT.getConsent)
  async getConsent(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(ConsentIdRequest, request);
    const consent = await getConsent(ctx, req.consentId);
    const { caller } = ctx;
    const granteeStaff = caller.role !== 'patient' && caller.mspId === consent.grantee.org;
    if (caller.role !== 'auditor' && !granteeStaff) await requirePatientOrDelegate(ctx, consent.patientRef);
    return canonicalJson(consent);
  }

  /** Evaluate. One page of a patient's consents (any status): `{ items, bookmark }`. Callers: the patient or a delegate, auditors. */
  @Tx(CONSENT.listConsents)
  async listConsents(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(ListConsentsRequest, request);
    if (ctx.caller.role !== 'auditor') await requirePatientOrDelegate(ctx, req.patientRef);
    const page = await ctx.state.page(CONSENT_BY_PATIENT, [req.patientRef], req.pageSize, req.bookmark);
    const items: Consent[] = [];
    for (const entry of page.items) {
      const consent = await ctx.state.get<Consent>(consentKey(ctx, entry.attributes[1] ?? ''));
      if (consent) items.push(consent);
    }
    return canonicalJson({ items, bookmark: page.bookmark });
  }

  /**
   * Submit. Registers a delegate (guardian), identified by the guardian's own `patient_id`; the
   * delegate may then grant and revoke consents and read the patient's records. Callers: the patient only.
   */
  @Tx(CONSENT.registerDelegate)
  async registerDelegate(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(DelegateRequest, request);
    requirePatientItself(ctx, req.patientRef);
    if (req.delegateId === req.patientRef) fail('VALIDATION_FAILED', 'request/delegateId: a patient cannot delegate to themselves');
    const key = delegateKey(ctx, req.patientRef, req.delegateId);
    if (await ctx.state.exists(key)) fail('DELEGATE_EXISTS', req.delegateId);
    const stamp = ctx.stamp();
    const delegate: Delegate = { patientRef: req.patientRef, delegateId: req.delegateId, since: stamp.at, updatedBy: stamp };
    await ctx.state.put(key, delegate);
    ctx.changes.add({ type: 'delegate', id: req.delegateId, action: 'registered', patientRef: req.patientRef });
    return canonicalJson(delegate);
  }

  /** Submit. Removes a delegate. Callers: the patient only. */
  @Tx(CONSENT.removeDelegate)
  async removeDelegate(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(DelegateRequest, request);
    requirePatientItself(ctx, req.patientRef);
    const key = delegateKey(ctx, req.patientRef, req.delegateId);
    if (!(await ctx.state.exists(key))) fail('DELEGATE_NOT_FOUND', req.delegateId);
    await ctx.state.delete(key);
    ctx.changes.add({ type: 'delegate', id: req.delegateId, action: 'removed', patientRef: req.patientRef });
    return canonicalJson({ patientRef: req.patientRef, delegateId: req.delegateId, removed: true });
  }

  /** Evaluate. A patient's delegates: `{ items }`. Callers: the patient or a delegate, auditors. */
  @Tx(CONSENT.listDelegates)
  async listDelegates(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(PatientRequest, request);
    if (ctx.caller.role !== 'auditor') await requirePatientOrDelegate(ctx, req.patientRef);
    const items: Delegate[] = [];
    for await (const entry of ctx.state.scan<Delegate>('delegate', req.patientRef)) if (entry.value) items.push(entry.value);
    return canonicalJson({ items });
  }

  /**
   * Evaluate. Preview: what `records:requestAccess` would decide for the caller now, without
   * logging anything (`{ outcome, basis?, reason?, consentId?, emergencyId? }`). Callers: any identity.
   */
  @Tx(CONSENT.checkAccess)
  async checkAccess(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(RequestAccessRequest, request);
    const record = await getRecordEntry(ctx, req.recordId);
    return canonicalJson(await decideAccess(ctx, record, req.purpose, { emergencyId: req.emergencyId }));
  }
}

/** Delegates are the patient's own choice: a delegate cannot add or remove delegates. */
function requirePatientItself(ctx: HealthContext, patientRef: string): void {
  requireRole(ctx.caller, 'patient');
  if (requirePatientId(ctx.caller) !== patientRef) fail('NOT_PATIENT_OR_DELEGATE', `only ${patientRef} may manage delegates`);
}

/**
 * A consent tied to a trial is research-scope: for the trial's sponsor (who requests releases),
 * for purpose HRESCH only, and only while the trial is active (recruiting).
 */
async function requireResearchScope(ctx: HealthContext, req: GrantConsentRequest, trialId: string): Promise<void> {
  const trial = await getTrial(ctx, trialId);
  if (trial.status !== 'active') fail('TRIAL_NOT_ACTIVE', `${trial.trialId} is ${trial.status}`);
  if (req.grantee.org !== trial.sponsor) fail('VALIDATION_FAILED', `request/grantee/org: a consent to ${trial.trialId} is granted to its sponsor ${trial.sponsor}`);
  if (req.provisions.some((p) => p.purposes.some((purpose) => purpose !== 'HRESCH'))) fail('VALIDATION_FAILED', 'request/provisions: a trial consent is for purpose HRESCH only');
}
