import type { AccessBasis, ConsentAction, DenialReason, Grantee, Period, Provision, Purpose, RecordCategory, Role } from '@healthledger/contract-api';
import { epochMsFromIso, type Stamp } from '../shared';

/** A stored consent (FHIR Consent, compact). `inactive` = revoked. */
export interface Consent {
  consentId: string;
  patientRef: string;
  status: 'active' | 'inactive';
  grantee: Grantee;
  period: Period;
  provisions: Provision[];
  /** A research-scope consent: applies to this trial's enrolment and releases only. */
  trialId?: string;
  recorded: string;
  revokedAt?: string;
  updatedBy: Stamp;
}

/** A stored break-the-glass access. `expiresAt` is exclusive. */
export interface EmergencyAccess {
  emergencyId: string;
  patientRef: string;
  org: string;
  actor: string;
  practitionerId?: string;
  reasonCode: string;
  openedAt: string;
  expiresAt: string;
  /** SHA-256 of the stored `salt ‖ justification`, when one was given. */
  justificationHash?: string;
  reviewed: boolean;
  review?: { outcome: 'justified' | 'unjustified'; at: string; by: Stamp };
  updatedBy: Stamp;
}

/** Who asks, as far as the decision is concerned. */
export interface AccessRequester {
  mspId: string;
  role: Role;
  actor: string;
  practitionerId?: string;
  patientId?: string;
}

/** What is asked for: a record's public attributes. */
export interface AccessSubject {
  patientRef: string;
  custodian: string;
  category: RecordCategory;
}

/** Every fact the decision depends on; the caller gathers them from the ledger. */
export interface AccessQuery {
  requester: AccessRequester;
  subject: AccessSubject;
  purpose: Purpose;
  action: ConsentAction;
  /** Decision time (transaction time), epoch ms. */
  atMs: number;
  /** The patient's consents (any status); inactive and out-of-period ones are ignored. */
  consents: readonly Consent[];
  /** Whether the requester (role patient) is a registered delegate of the patient. */
  isDelegate: boolean;
  /** The break-the-glass access the requester named, if any. */
  emergency?: EmergencyAccess;
  /**
   * A trial's data release: only that trial's research consents apply. Without it, no
   * trial-scoped consent applies (a consent to one trial opens nothing else).
   */
  trialId?: string;
}

export type { AccessBasis, DenialReason };

/** The outcome of {@link checkAccess}; `consentId` names the deciding consent (permit or deny). */
export interface AccessDecision {
  outcome: 'granted' | 'denied';
  basis?: AccessBasis;
  reason?: DenialReason;
  consentId?: string;
  emergencyId?: string;
}

/** Purposes for which the custodian's own clinicians and records-admins need no consent. */
const CUSTODIAN_PURPOSES: readonly Purpose[] = ['TREAT', 'HOPERAT'];
const MS_PER_DAY = 86_400_000;

/**
 * The one access decision of the chaincode (pure: no ledger access, no clock). Order:
 * 1. the patient, and the patient's registered delegates, may read their own records;
 * 2. a named break-the-glass access decides alone: granted if it is the requester's own, for this
 *    patient, unexpired and the purpose is ETREAT — it is the documented override of denials;
 * (Only consents of the query's trial apply to a trial release, and trial consents to nothing else.)
 * 3. a matching deny provision of an active, in-period consent denies — deny overrides every
 *    permit, including the custodian's implicit one below;
 * 4. the custodian's clinicians and records-admins are granted for TREAT and HOPERAT;
 * 5. a matching permit provision grants;
 * 6. otherwise denied: `emergency-id-missing` for ETREAT (break-the-glass names the emergency
 *    access opened first), else `no-consent`.
 */
export function checkAccess(q: AccessQuery): AccessDecision {
  const { requester, subject } = q;
  if (requester.role === 'patient' && requester.patientId === subject.patientRef) return { outcome: 'granted', basis: 'patient' };
  if (requester.role === 'patient' && q.isDelegate) return { outcome: 'granted', basis: 'delegate' };
  if (q.emergency) return emergencyDecision(q, q.emergency);

  const applicable = q.consents.filter((c) => c.status === 'active' && c.patientRef === subject.patientRef && c.trialId === q.trialId && inPeriod(c.period, q.atMs) && granteeMatches(c.grantee, requester));
  const matching = (type: Provision['type']) => applicable.find((c) => c.provisions.some((p) => p.type === type && provisionMatches(p, q)));

  const denying = matching('deny');
  if (denying) return { outcome: 'denied', reason: 'consent-denied', consentId: denying.consentId };
  if (requester.mspId === subject.custodian && (requester.role === 'clinician' || requester.role === 'records-admin') && CUSTODIAN_PURPOSES.includes(q.purpose)) {
    return { outcome: 'granted', basis: 'custodian' };
  }
  const permitting = matching('permit');
  if (permitting) return { outcome: 'granted', basis: 'consent', consentId: permitting.consentId };
  return { outcome: 'denied', reason: q.purpose === 'ETREAT' ? 'emergency-id-missing' : 'no-consent' };
}

function emergencyDecision(q: AccessQuery, e: EmergencyAccess): AccessDecision {
  const own = e.actor === q.requester.actor && e.org === q.requester.mspId && e.patientRef === q.subject.patientRef && q.purpose === 'ETREAT';
  if (!own) return { outcome: 'denied', reason: 'emergency-mismatch', emergencyId: e.emergencyId };
  const expires = epochMsFromIso(e.expiresAt) ?? 0;
  if (q.atMs >= expires) return { outcome: 'denied', reason: 'emergency-expired', emergencyId: e.emergencyId };
  return { outcome: 'granted', basis: 'emergency', emergencyId: e.emergencyId };
}

/**
 * A grantee is an organisation's workforce: identities with role patient never match (a patient
 * reaches other patients' records only as a registered delegate), or a consent to "Hospital2MSP"
 * would open the record to every patient enrolled there.
 */
function granteeMatches(g: Grantee, r: AccessRequester): boolean {
  return r.role !== 'patient' && g.org === r.mspId && (g.practitionerId === undefined || g.practitionerId === r.practitionerId) && (g.role === undefined || g.role === r.role);
}

function provisionMatches(p: Provision, q: AccessQuery): boolean {
  return p.actions.includes(q.action) && p.purposes.includes(q.purpose) && (p.categories === undefined || p.categories.includes(q.subject.category));
}

/** Whether `atMs` falls in `period`, both ends inclusive; a date-only end covers its whole day. */
export function inPeriod(period: Period, atMs: number): boolean {
  const bounds = periodBounds(period);
  return bounds !== undefined && atMs >= bounds.startMs && atMs <= bounds.endMs;
}

/** A period as inclusive epoch-ms bounds; undefined if a date is impossible or end < start. */
export function periodBounds(period: Period): { startMs: number; endMs: number } | undefined {
  const startMs = epochMsFromIso(period.start);
  const endMs = period.end === undefined ? Number.MAX_SAFE_INTEGER : endOf(period.end);
  if (startMs === undefined || endMs === undefined || endMs < startMs) return undefined;
  return { startMs, endMs };
}

function endOf(text: string): number | undefined {
  const ms = epochMsFromIso(text);
  if (ms === undefined) return undefined;
  return text.length === 10 ? ms + MS_PER_DAY - 1 : ms;
}
