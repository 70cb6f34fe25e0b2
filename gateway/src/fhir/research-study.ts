/**
 * Trial ⇄ FHIR R4 ResearchStudy, subject ⇄ ResearchSubject. A trial's sponsor is the study's
 * `sponsor`; its sites (organisations, where R4 `site` wants Locations) and every anchored
 * document version (kind, version, SHA-256, anchoring and effective times) travel in the
 * `trial-site` and `anchored-document` extensions; the external registry id (an NCT number) is an
 * identifier. A subject names the study, the patient (pseudonymous), and the research consent.
 */
import type { Subject, Trial, TrialDocument } from '@healthledger/contract-api';
import { LOCAL } from './codes';
import { dateTimeExt, ext, extensionsNamed, extString, objectOf } from './extensions';
import { idOf, invalid, ledgerIdOf, logicalId, mspIdOf, organizationReference, patientRefOf, patientReference, resourceReference } from './references';
import { stampExt, stampOf } from './stamp';
import type { Identifier, Period, Reference, Resource } from './types';

/** A FHIR ResearchStudy as this interface emits it. */
export interface FhirResearchStudy extends Resource {
  resourceType: 'ResearchStudy';
  identifier: Identifier[];
  status: string;
  sponsor: Reference;
  period: Period;
}

/** A FHIR ResearchSubject as this interface emits it. */
export interface FhirResearchSubject extends Resource {
  resourceType: 'ResearchSubject';
  identifier: Identifier[];
  status: string;
  period: Period;
  study: Reference;
  individual: Reference;
  consent: Reference;
}

/** R4 research-study-status: recruiting, then closed to accrual and intervention once unblinded, completed once closed. */
const STUDY_STATUS: Record<Trial['status'], string> = { active: 'active', unblinded: 'closed-to-accrual-and-intervention', closed: 'completed' };

function documentExt(d: TrialDocument) {
  return ext('anchored-document', { kind: d.kind, version: d.version, hash: d.hash, anchoredAt: d.anchoredAt, effectiveFrom: d.effectiveFrom, anchoredBy: { ...d.anchoredBy } });
}

/** The ledger's trial as a FHIR ResearchStudy. */
export function trialToFhir(t: Trial): FhirResearchStudy {
  return {
    resourceType: 'ResearchStudy',
    ...logicalId(t.trialId),
    meta: { lastUpdated: t.updatedBy.at },
    extension: [...t.sites.flatMap((site) => ext('trial-site', site)), ...t.documents.flatMap(documentExt), ...dateTimeExt('unblinded-at', t.unblindedAt), ...stampExt(t.updatedBy)],
    identifier: [{ system: LOCAL.ledgerId, value: t.trialId }, { system: LOCAL.trialRegistryId, value: t.registryId }],
    status: STUDY_STATUS[t.status],
    sponsor: organizationReference(t.sponsor),
    period: { start: t.registered, ...(t.closedAt === undefined ? {} : { end: t.closedAt }) },
  };
}

function statusOf(status: string): Trial['status'] {
  const found = (Object.keys(STUDY_STATUS) as Trial['status'][]).find((s) => STUDY_STATUS[s] === status);
  if (!found) throw invalid(`ResearchStudy.status: ${status} is not one the ledger emits`);
  return found;
}

/** The ledger's trial back from a ResearchStudy this interface emitted (the round trip). */
export function trialFromFhir(r: FhirResearchStudy): Trial {
  const registryId = r.identifier.find((i) => i.system === LOCAL.trialRegistryId)?.value;
  if (!registryId || !r.period.start) throw invalid('ResearchStudy: the registry identifier and period.start are required');
  const unblindedAt = extString(r, 'unblinded-at');
  return {
    trialId: ledgerIdOf(r) ?? r.id ?? '',
    registryId,
    sponsor: mspIdOf(r.sponsor, 'ResearchStudy.sponsor'),
    sites: extensionsNamed(r, 'trial-site').map((e) => e.valueString ?? ''),
    status: statusOf(r.status),
    registered: r.period.start,
    documents: extensionsNamed(r, 'anchored-document').map((e) => objectOf(e) as unknown as TrialDocument),
    ...(unblindedAt === undefined ? {} : { unblindedAt }),
    ...(r.period.end === undefined ? {} : { closedAt: r.period.end }),
    updatedBy: stampOf(r),
  };
}

/** A ResearchSubject's id: the trial id and the subject id, joined by `--` (neither contains it). */
export function subjectResourceId(trialId: string, subjectId: string): string {
  return `${trialId}--${subjectId}`;
}

/** The ledger's subject as a FHIR ResearchSubject. */
export function subjectToFhir(s: Subject): FhirResearchSubject {
  return {
    resourceType: 'ResearchSubject',
    ...logicalId(subjectResourceId(s.trialId, s.subjectId)),
    meta: { lastUpdated: s.updatedBy.at },
    extension: [...ext('trial-site', s.site), ...stampExt(s.updatedBy)],
    identifier: [{ system: LOCAL.subjectId, value: s.subjectId }],
    status: s.status === 'enrolled' ? 'on-study' : 'withdrawn',
    period: { start: s.enrolledAt, ...(s.withdrawnAt === undefined ? {} : { end: s.withdrawnAt }) },
    study: resourceReference('ResearchStudy', s.trialId),
    individual: patientReference(s.patientRef),
    consent: resourceReference('Consent', s.consentId),
  };
}

/** The ledger's subject back from a ResearchSubject this interface emitted (the round trip). */
export function subjectFromFhir(r: FhirResearchSubject): Subject {
  const subjectId = r.identifier.find((i) => i.system === LOCAL.subjectId)?.value;
  if (!subjectId || !r.period.start) throw invalid('ResearchSubject: the subject identifier and period.start are required');
  return {
    trialId: idOf(r.study, 'ResearchStudy', 'ResearchSubject.study'),
    subjectId,
    patientRef: patientRefOf(r.individual, 'ResearchSubject.individual'),
    site: extString(r, 'trial-site') ?? '',
    consentId: idOf(r.consent, 'Consent', 'ResearchSubject.consent'),
    status: r.status === 'on-study' ? 'enrolled' : 'withdrawn',
    enrolledAt: r.period.start,
    ...(r.period.end === undefined ? {} : { withdrawnAt: r.period.end }),
    updatedBy: stampOf(r),
  };
}
