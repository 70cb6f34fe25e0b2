import {
  AnchorDocumentRequest, CountRecordsRequest, DepositDocumentRequest, EnrolSubjectRequest, fail, ORGANIZATION_KINDS, parseInput,
  RegisterTrialRequest, ReleaseDataRequest, RESEARCH, SubjectRequest, TrialIdRequest, VerifyDocumentRequest,
  type Subject, type Trial,
} from '@healthledger/contract-api';
import { callerActsForPatient } from '../consent/store';
import { canonicalJson, HealthContext, HealthContract, sha256Hex, Tx } from '../shared';
import { countResearchRecords } from './counts';
import { releaseSubjectRecords } from './release';
import { getSubject, hasSubjects, requireSite, requireTrialConsent, subjectKey } from './subjects';
import { anchorVersion, documentCollection, documentKey, getSponsoredTrial, getTrial, requireAnchorable, transientDocument, trialKey, versionsOf } from './trial';
import { revokeTrialConsent } from './withdrawal';

/**
 * Clinical research (docs/design/research.md). A trial is public metadata and the hashes of its
 * documents, written by its sponsor alone (state-based endorsement); the documents themselves sit
 * in the sponsor's implicit collection. Subjects are enrolled under pseudonymous ids on a
 * research-scope consent; releases go through the records' one access flow and disclosure log.
 */
export class ResearchContract extends HealthContract {
  constructor() {
    super('research');
  }

  /** Submit. Registers a trial at the transaction time; protocol and analysis plan hashes are version 1. Callers: researchers of a provider or research organisation (the sponsor). */
  @Tx(RESEARCH.registerTrial)
  async registerTrial(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(RegisterTrialRequest, request);
    const key = trialKey(ctx, req.trialId);
    if (await ctx.state.exists(key)) fail('TRIAL_EXISTS', req.trialId);
    const outsider = req.sites.find((site) => !ORGANIZATION_KINDS[site]);
    if (outsider) fail('VALIDATION_FAILED', `request/sites: ${outsider} is not in the consortium`);
    const stamp = ctx.stamp();
    const trial: Trial = { trialId: req.trialId, registryId: req.registryId, sponsor: ctx.caller.mspId, sites: [...req.sites].sort(), status: 'active', registered: stamp.at, documents: [], updatedBy: stamp };
    trial.documents.push(anchorVersion(trial, 'protocol', req.protocolHash, stamp), anchorVersion(trial, 'analysis-plan', req.analysisPlanHash, stamp));
    await ctx.state.put(key, trial);
    await ctx.state.setEndorsers(key, [trial.sponsor]);
    ctx.changes.add({ type: 'trial', id: trial.trialId, action: 'registered', sponsor: trial.sponsor });
    return canonicalJson(trial);
  }

  /** Submit. Anchors a new document version (see `requireAnchorable` for the order rules). Callers: researchers of the sponsor. */
  @Tx(RESEARCH.anchorDocument)
  async anchorDocument(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(AnchorDocumentRequest, request);
    const trial = await getSponsoredTrial(ctx, req.trialId);
    requireAnchorable(trial, req.kind, req.kind === 'outcomes' && (await hasSubjects(ctx, trial.trialId)));
    const stamp = ctx.stamp();
    const document = anchorVersion(trial, req.kind, req.hash, stamp, req.effectiveFrom);
    const anchored: Trial = { ...trial, documents: [...trial.documents, document], updatedBy: stamp };
    await ctx.state.put(trialKey(ctx, trial.trialId), anchored);
    ctx.changes.add({ type: 'trial', id: trial.trialId, action: 'anchored', kind: req.kind, version: document.version, sponsor: trial.sponsor });
    return canonicalJson(anchored);
  }

  /**
   * Submit. Keeps an anchored version's document (transient `document`) in the sponsor's implicit
   * collection; it writes nothing public, so the sponsor's peers alone endorse it. Callers: researchers of the sponsor.
   */
  @Tx(RESEARCH.depositDocument)
  async depositDocument(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(DepositDocumentRequest, request);
    const trial = await getSponsoredTrial(ctx, req.trialId);
    const anchored = versionsOf(trial, req.kind).find((d) => d.version === req.version) ?? fail('TRIAL_DOCUMENT_NOT_FOUND', `${trial.trialId} ${req.kind} v${req.version}`);
    const document = transientDocument(ctx);
    if (sha256Hex(document) !== anchored.hash) fail('CONTENT_HASH_MISMATCH', `${trial.trialId} ${req.kind} v${req.version}`);
    await ctx.state.putPrivate(documentCollection(trial), documentKey(ctx, trial.trialId, req.kind, req.version), document);
    return canonicalJson({ trialId: trial.trialId, kind: req.kind, version: req.version, hash: anchored.hash });
  }

  /** Submit. Unblinds the trial; refused until results are anchored. Callers: researchers of the sponsor. */
  @Tx(RESEARCH.unblindTrial)
  async unblindTrial(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(TrialIdRequest, request);
    const trial = await getSponsoredTrial(ctx, req.trialId);
    if (trial.status !== 'active') fail('TRIAL_NOT_ACTIVE', `${trial.trialId} is ${trial.status}`);
    if (versionsOf(trial, 'results').length === 0) fail('TRIAL_RESULTS_NOT_ANCHORED', trial.trialId);
    return this.changeStatus(ctx, trial, { status: 'unblinded', unblindedAt: ctx.now.iso });
  }

  /** Submit. Closes the trial: no more enrolments, anchoring or releases. Callers: researchers of the sponsor. */
  @Tx(RESEARCH.closeTrial)
  async closeTrial(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(TrialIdRequest, request);
    const trial = await getSponsoredTrial(ctx, req.trialId);
    if (trial.status === 'closed') fail('TRIAL_NOT_ACTIVE', `${trial.trialId} is closed`);
    return this.changeStatus(ctx, trial, { status: 'closed', closedAt: ctx.now.iso });
  }

  /** Evaluate. One trial (public metadata and anchored hashes). Callers: any identity. */
  @Tx(RESEARCH.getTrial)
  async getTrial(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(TrialIdRequest, request);
    return canonicalJson(await getTrial(ctx, req.trialId));
  }

  /**
   * Evaluate. Hashes a presented document (transient `document`) and finds the anchored version
   * it is, if any: kind, version, when anchored, whether superseded. Callers: any identity.
   */
  @Tx(RESEARCH.verifyDocument)
  async verifyDocument(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(VerifyDocumentRequest, request);
    const trial = await getTrial(ctx, req.trialId);
    const presentedHash = sha256Hex(transientDocument(ctx));
    const match = trial.documents.find((d) => d.hash === presentedHash && (req.kind === undefined || d.kind === req.kind));
    if (!match) return canonicalJson({ trialId: trial.trialId, presentedHash, matches: false });
    const latest = versionsOf(trial, match.kind).at(-1)?.version === match.version;
    return canonicalJson({ trialId: trial.trialId, presentedHash, matches: true, kind: match.kind, version: match.version, anchoredAt: match.anchoredAt, effectiveFrom: match.effectiveFrom, latest });
  }

  /**
   * Submit. Enrols a patient under a pseudonymous subject id, on the patient's active research
   * consent for this trial, once the outcomes are anchored. Callers: clinicians and researchers of a site.
   */
  @Tx(RESEARCH.enrolSubject)
  async enrolSubject(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(EnrolSubjectRequest, request);
    const trial = await getTrial(ctx, req.trialId);
    requireSite(ctx, trial);
    if (trial.status !== 'active') fail('TRIAL_NOT_ACTIVE', `${trial.trialId} is ${trial.status}`);
    if (versionsOf(trial, 'outcomes').length === 0) fail('TRIAL_OUTCOMES_NOT_ANCHORED', trial.trialId);
    const key = subjectKey(ctx, trial.trialId, req.subjectId);
    if (await ctx.state.exists(key)) fail('SUBJECT_EXISTS', `${trial.trialId}/${req.subjectId}`);
    await requireTrialConsent(ctx, trial, req.consentId, req.patientRef);
    const stamp = ctx.stamp();
    const subject: Subject = { ...req, site: ctx.caller.mspId, status: 'enrolled', enrolledAt: stamp.at, updatedBy: stamp };
    await ctx.state.put(key, subject);
    await ctx.state.setEndorsers(key, [subject.site]);
    ctx.changes.add({ type: 'trial-subject', id: `${trial.trialId}/${req.subjectId}`, action: 'enrolled', patientRef: req.patientRef, site: subject.site, sponsor: trial.sponsor });
    return canonicalJson(subject);
  }

  /**
   * Submit. Withdraws a subject at the transaction time and revokes the research consent, so the
   * next release or read is refused. Callers: the patient or a delegate; staff of the enrolling site.
   */
  @Tx(RESEARCH.withdrawSubject)
  async withdrawSubject(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(SubjectRequest, request);
    const subject = await getSubject(ctx, req.trialId, req.subjectId);
    const siteStaff = ctx.caller.role !== 'patient' && ctx.caller.mspId === subject.site;
    if (!siteStaff && !(await callerActsForPatient(ctx, subject.patientRef))) fail(ctx.caller.role === 'patient' ? 'NOT_PATIENT_OR_DELEGATE' : 'ORG_FORBIDDEN', `${req.trialId}/${req.subjectId}`);
    if (subject.status === 'withdrawn') fail('SUBJECT_WITHDRAWN', `${req.trialId}/${req.subjectId}`);
    const stamp = ctx.stamp();
    const withdrawn: Subject = { ...subject, status: 'withdrawn', withdrawnAt: stamp.at, updatedBy: stamp };
    await ctx.state.put(subjectKey(ctx, req.trialId, req.subjectId), withdrawn);
    await revokeTrialConsent(ctx, subject.consentId);
    const { sponsor } = await getTrial(ctx, req.trialId);
    ctx.changes.add({ type: 'trial-subject', id: `${req.trialId}/${req.subjectId}`, action: 'withdrawn', patientRef: subject.patientRef, site: subject.site, sponsor });
    return canonicalJson(withdrawn);
  }

  /** Evaluate. One subject. Callers: the patient or a delegate; auditors; staff of the sponsor or the enrolling site. */
  @Tx(RESEARCH.getSubject)
  async getSubject(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(SubjectRequest, request);
    const subject = await getSubject(ctx, req.trialId, req.subjectId);
    const { caller } = ctx;
    if (caller.role === 'patient') {
      if (!(await callerActsForPatient(ctx, subject.patientRef))) fail('NOT_PATIENT_OR_DELEGATE', `${req.trialId}/${req.subjectId}`);
    } else if (caller.role !== 'auditor' && caller.mspId !== subject.site && caller.mspId !== (await getTrial(ctx, req.trialId)).sponsor) {
      fail('ORG_FORBIDDEN', `${caller.mspId} is neither sponsor nor site`);
    }
    return canonicalJson(subject);
  }

  /**
   * Submit. A consented release of one subject's records of some categories: each record is
   * decided on the trial's research consent and logged as a disclosure (granted or denied); the
   * granted ones are then read from their custodians' peers (`records:readContent`). Refused for
   * a withdrawn subject or a closed trial. Callers: researchers of the sponsor.
   */
  @Tx(RESEARCH.releaseData)
  async releaseData(ctx: HealthContext, request: string): Promise<string> {
    const req = parseInput(ReleaseDataRequest, request);
    const trial = await getSponsoredTrial(ctx, req.trialId);
    if (trial.status === 'closed') fail('TRIAL_NOT_ACTIVE', `${trial.trialId} is closed`);
    const subject = await getSubject(ctx, req.trialId, req.subjectId);
    if (subject.status === 'withdrawn') fail('SUBJECT_WITHDRAWN', `${req.trialId}/${req.subjectId}`);
    const disclosures = await releaseSubjectRecords(ctx, subject, req.categories);
    return canonicalJson({ trialId: trial.trialId, subjectId: subject.subjectId, disclosures });
  }

  /** Evaluate. Record counts by category and custodian over research-consenting patients, small cells suppressed. Callers: researchers, auditors. */
  @Tx(RESEARCH.countRecords)
  async countRecords(ctx: HealthContext, request: string): Promise<string> {
    parseInput(CountRecordsRequest, request);
    return canonicalJson(await countResearchRecords(ctx));
  }

  private async changeStatus(ctx: HealthContext, trial: Trial, change: Partial<Pick<Trial, 'status' | 'unblindedAt' | 'closedAt'>> & Pick<Trial, 'status'>): Promise<string> {
    const updated: Trial = { ...trial, ...change, updatedBy: ctx.stamp() };
    await ctx.state.put(trialKey(ctx, trial.trialId), updated);
    ctx.changes.add({ type: 'trial', id: trial.trialId, action: change.status, sponsor: trial.sponsor });
    return canonicalJson(updated);
  }
}
