/**
 * Disclosure ⇄ FHIR R4 AuditEvent: the patient's accounting of disclosures. Each access attempt
 * the ledger logged (granted or denied) is a DICOM "Patient Record" event (110110) with a REST
 * `read` subtype, action R, outcome 0 (granted) or 4 (denied), the purpose of use as
 * `purposeOfEvent`, the requesting identity as the agent and the record and patient as entities.
 */
import { ACCESS_BASES, DENIAL_REASONS, type DisclosureEntry, type Purpose, type RecordCategory } from '@healthledger/contract-api';
import { extensionUrl, LOCAL, SYSTEM } from './codes';
import { codeExt, extString, extValue } from './extensions';
import { codeIn, concept, idOf, invalid, mspIdOf, organizationReference, patientRefOf, patientReference, requireCode, resourceReference } from './references';
import { stampExt, stampOf } from './stamp';
import type { CodeableConcept, Coding, Extension, Reference, Resource } from './types';
import { disclosureIdOfFhir, fhirIdOfDisclosure } from './disclosure-id';

/** A disclosure as the ledger stores and returns it: the contract API's disclosure entry. */
export type LedgerDisclosure = DisclosureEntry;

interface FhirAgent {
  type: CodeableConcept;
  role: CodeableConcept[];
  who: Reference;
  altId?: string;
  requestor: boolean;
  extension?: Extension[];
}

interface FhirEntity {
  what: Reference;
  type: Coding;
  role?: Coding;
  extension?: Extension[];
}

/** A FHIR AuditEvent as this interface emits it. */
export interface FhirAuditEvent extends Resource {
  resourceType: 'AuditEvent';
  type: Coding;
  subtype: Coding[];
  action: 'R';
  recorded: string;
  outcome: '0' | '4';
  purposeOfEvent: CodeableConcept[];
  agent: FhirAgent[];
  source: { site: string; observer: Reference; type: Coding[] };
  entity: FhirEntity[];
}

const PATIENT_RECORD: Coding = { system: SYSTEM.dicom, code: '110110', display: 'Patient Record' };
const READ: Coding = { system: SYSTEM.restfulInteraction, code: 'read' };
/** Application server (security-source-type 4): the ledger's peers recorded the event. */
const SOURCE = { site: 'healthledger', observer: { display: 'healthledger ledger' }, type: [{ system: SYSTEM.securitySourceType, code: '4' }] };
const SYSTEM_OBJECT: Coding = { system: SYSTEM.auditEntityType, code: '2' };
const PERSON: Coding = { system: SYSTEM.auditEntityType, code: '1' };
const PATIENT_ROLE: Coding = { system: SYSTEM.objectRole, code: '1' };
const REPORT_ROLE: Coding = { system: SYSTEM.objectRole, code: '3' };

function agentOf(d: LedgerDisclosure): FhirAgent {
  return {
    type: concept(SYSTEM.participationType, 'IRCP'),
    role: [concept(LOCAL.role, d.agent.role)],
    who: { identifier: { system: LOCAL.actor, value: d.agent.actor } },
    ...(d.agent.practitionerId === undefined ? {} : { altId: d.agent.practitionerId }),
    requestor: true,
    extension: [{ url: extensionUrl('organization'), valueReference: organizationReference(d.agent.org) }],
  };
}

function entitiesOf(d: LedgerDisclosure): FhirEntity[] {
  const record: FhirEntity = {
    what: resourceReference('DocumentReference', d.entity.recordId),
    type: SYSTEM_OBJECT,
    role: REPORT_ROLE,
    extension: [...codeExt('record-category', d.entity.category), { url: extensionUrl('custodian'), valueReference: organizationReference(d.entity.custodian) }],
  };
  const entities: FhirEntity[] = [record, { what: patientReference(d.entity.patientRef), type: PERSON, role: PATIENT_ROLE }];
  if (d.consentId !== undefined) entities.push({ what: resourceReference('Consent', d.consentId), type: SYSTEM_OBJECT });
  if (d.emergencyId !== undefined) entities.push({ what: { identifier: { system: LOCAL.emergencyId, value: d.emergencyId } }, type: SYSTEM_OBJECT });
  return entities;
}

/** The ledger's disclosure as a FHIR AuditEvent. */
export function disclosureToFhir(d: LedgerDisclosure): FhirAuditEvent {
  return {
    resourceType: 'AuditEvent',
    id: fhirIdOfDisclosure(d.disclosureId),
    meta: { lastUpdated: d.updatedBy.at },
    extension: [
      ...codeExt('access-basis', d.basis),
      ...codeExt('denial-reason', d.reason),
      { url: extensionUrl('break-the-glass'), valueBoolean: d.emergency },
      ...(d.expiresAt === undefined ? [] : [{ url: extensionUrl('expires-at'), valueDateTime: d.expiresAt }]),
      ...stampExt(d.updatedBy),
    ],
    type: PATIENT_RECORD,
    subtype: [READ],
    action: 'R',
    recorded: d.recorded,
    outcome: d.outcome === 'granted' ? '0' : '4',
    purposeOfEvent: [concept(SYSTEM.actReason, d.purpose)],
    agent: [agentOf(d)],
    source: SOURCE,
    entity: entitiesOf(d),
  };
}

/** An extension's code, if present, as one of the ledger's values (else a 400 naming the extension). */
function oneOf<T extends string>(values: readonly T[], code: string | undefined, extension: string): T | undefined {
  if (code === undefined) return undefined;
  if (!(values as readonly string[]).includes(code)) throw invalid(`AuditEvent: extension ${extension} must be one of ${values.join(', ')}`);
  return code as T;
}

function referenceExt(element: { extension?: Extension[] }, name: string): Reference | undefined {
  return element.extension?.find((e) => e.url === extensionUrl(name))?.valueReference;
}

/** The ledger's disclosure back from an AuditEvent this interface emitted (the round trip). */
export function disclosureFromFhir(r: FhirAuditEvent): LedgerDisclosure {
  const [agent] = r.agent;
  const [record, patient, ...others] = r.entity;
  if (!agent || !record || !patient || !r.id) throw invalid('AuditEvent: agent, record and patient entities and id are required');
  const consent = others.find((e) => e.what.reference?.startsWith('Consent/'));
  const emergency = others.find((e) => e.what.identifier?.system === LOCAL.emergencyId)?.what.identifier?.value;
  const basis = oneOf(ACCESS_BASES, extString(r, 'access-basis'), 'access-basis');
  const reason = oneOf(DENIAL_REASONS, extString(r, 'denial-reason'), 'denial-reason');
  const expiresAt = extString(r, 'expires-at');
  const agentRole = agent.role[0];
  return {
    disclosureId: disclosureIdOfFhir(r.id),
    recorded: r.recorded,
    action: 'access',
    outcome: r.outcome === '0' ? 'granted' : 'denied',
    ...(basis === undefined ? {} : { basis }),
    ...(reason === undefined ? {} : { reason }),
    purpose: requireCode(r.purposeOfEvent[0], SYSTEM.actReason, 'AuditEvent.purposeOfEvent') as Purpose,
    agent: {
      actor: agent.who.identifier?.value ?? '',
      org: mspIdOf(referenceExt(agent, 'organization'), 'AuditEvent.agent.extension'),
      role: codeIn(agentRole, LOCAL.role) ?? '',
      ...(agent.altId === undefined ? {} : { practitionerId: agent.altId }),
    },
    entity: {
      recordId: idOf(record.what, 'DocumentReference', 'AuditEvent.entity'),
      patientRef: patientRefOf(patient.what, 'AuditEvent.entity'),
      custodian: mspIdOf(referenceExt(record, 'custodian'), 'AuditEvent.entity.extension'),
      category: extString(record, 'record-category') as RecordCategory,
    },
    ...(consent ? { consentId: idOf(consent.what, 'Consent', 'AuditEvent.entity') } : {}),
    ...(emergency === undefined ? {} : { emergencyId: emergency }),
    emergency: extValue(r, 'break-the-glass') === true,
    ...(expiresAt === undefined ? {} : { expiresAt }),
    updatedBy: stampOf(r),
  };
}
