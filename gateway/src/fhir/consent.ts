/**
 * Consent ⇄ FHIR R4 Consent. The ledger's compact consent (one grantee, one period, a list of
 * permit/deny provisions) becomes a privacy consent whose root provision holds the period and the
 * grantee, with one nested provision per ledger provision (actions, purposes, record categories).
 * A FHIR Consent sent to create one is read back into `consent:grantConsent`'s request.
 */
import type { GrantConsentRequest, Grantee, Provision } from '@healthledger/contract-api';
import { extensionUrl, LOCAL, SYSTEM } from './codes';
import { dateTimeExt, ext, extString } from './extensions';
import { codeIn, concept, invalid, logicalId, mspIdOf, patientRefOf, patientReference, organizationReference, requireCode, ledgerIdOf } from './references';
import { stampExt, stampOf, type Stamp } from './stamp';
import type { CodeableConcept, Period, Reference, Resource } from './types';

/** A consent as the ledger stores and returns it. */
export interface LedgerConsent extends GrantConsentRequest {
  status: 'active' | 'inactive';
  recorded: string;
  revokedAt?: string;
  updatedBy: Stamp;
}

interface FhirActor {
  role: CodeableConcept;
  reference: Reference;
  extension?: { url: string; valueCode?: string }[];
}

interface FhirProvision {
  type?: 'permit' | 'deny';
  period?: Period;
  actor?: FhirActor[];
  action?: CodeableConcept[];
  purpose?: { system?: string; code?: string }[];
  code?: CodeableConcept[];
  provision?: FhirProvision[];
}

/** A FHIR Consent as this interface emits and accepts it. */
export interface FhirConsent extends Resource {
  resourceType: 'Consent';
  status: string;
  scope: CodeableConcept;
  category: CodeableConcept[];
  patient?: Reference;
  dateTime?: string;
  policyRule?: CodeableConcept;
  provision?: FhirProvision;
}

/**
 * Privacy consent (scope), LOINC 59284-0 "Patient Consent" (category), opt-in policy. A consent
 * tied to a trial has scope `research`, and names the trial in the `trial` extension.
 */
const SCOPE = concept(SYSTEM.consentScope, 'patient-privacy');
const RESEARCH_SCOPE = concept(SYSTEM.consentScope, 'research');
const CATEGORY = concept(SYSTEM.loinc, '59284-0', 'Patient Consent');
const POLICY = concept(SYSTEM.actCode, 'OPTIN');
/** The grantee receives the information: v3 ParticipationType IRCP (information recipient). */
const RECIPIENT = concept(SYSTEM.participationType, 'IRCP');
const GRANTEE_ROLE = 'grantee-role';

function actorsOf(grantee: Grantee): FhirActor[] {
  const org: FhirActor = { role: RECIPIENT, reference: organizationReference(grantee.org) };
  if (grantee.role) org.extension = [{ url: extensionUrl(GRANTEE_ROLE), valueCode: grantee.role }];
  const actors = [org];
  if (grantee.practitionerId) {
    actors.push({ role: RECIPIENT, reference: { type: 'Practitioner', identifier: { system: LOCAL.practitionerId, value: grantee.practitionerId } } });
  }
  return actors;
}

function provisionOf(p: Provision): FhirProvision {
  return {
    type: p.type,
    action: p.actions.map((a) => concept(SYSTEM.consentAction, a)),
    purpose: p.purposes.map((code) => ({ system: SYSTEM.actReason, code })),
    ...(p.categories ? { code: p.categories.map((c) => concept(LOCAL.recordCategory, c)) } : {}),
  };
}

/** The ledger's consent as a FHIR Consent. */
export function consentToFhir(c: LedgerConsent): FhirConsent {
  return {
    resourceType: 'Consent',
    ...logicalId(c.consentId),
    meta: { lastUpdated: c.updatedBy.at },
    extension: [...ext('trial', c.trialId), ...dateTimeExt('revoked-at', c.revokedAt), ...stampExt(c.updatedBy)],
    identifier: [{ system: LOCAL.ledgerId, value: c.consentId }],
    status: c.status,
    scope: c.trialId === undefined ? SCOPE : RESEARCH_SCOPE,
    category: [CATEGORY],
    patient: patientReference(c.patientRef),
    dateTime: c.recorded,
    policyRule: POLICY,
    provision: { period: { ...c.period }, actor: actorsOf(c.grantee), provision: c.provisions.map(provisionOf) },
  };
}

function granteeOf(actors: FhirActor[] | undefined): Grantee {
  const orgActor = actors?.find((a) => a.reference.type === 'Organization');
  const grantee: Grantee = { org: mspIdOf(orgActor?.reference, 'Consent.provision.actor') };
  const role = orgActor?.extension?.find((e) => e.url === extensionUrl(GRANTEE_ROLE))?.valueCode;
  if (role !== undefined) grantee.role = role as Grantee['role'];
  const practitioner = actors?.find((a) => a.reference.type === 'Practitioner')?.reference.identifier;
  if (practitioner) {
    if (practitioner.system !== LOCAL.practitionerId || !practitioner.value) throw invalid(`Consent.provision.actor: a practitioner identifier in ${LOCAL.practitionerId} is required`);
    grantee.practitionerId = practitioner.value;
  }
  return grantee;
}

function ledgerProvisionOf(p: FhirProvision, i: number): Provision {
  const where = `Consent.provision.provision[${i}]`;
  if (p.type !== 'permit' && p.type !== 'deny') throw invalid(`${where}.type: permit or deny is required`);
  const categories = p.code?.map((c, j) => requireCode(c, LOCAL.recordCategory, `${where}.code[${j}]`));
  return {
    type: p.type,
    actions: (p.action ?? []).map((a, j) => requireCode(a, SYSTEM.consentAction, `${where}.action[${j}]`)) as Provision['actions'],
    purposes: (p.purpose ?? []).map((c, j) => requireCode(c, SYSTEM.actReason, `${where}.purpose[${j}]`)) as Provision['purposes'],
    ...(categories ? { categories: categories as NonNullable<Provision['categories']> } : {}),
  };
}

/**
 * `consent:grantConsent`'s request from a FHIR Consent. The consent id is the resource's `id`
 * (or its ledger identifier), else `newId`. The chaincode validates the result against its schema.
 */
export function consentFromFhir(r: FhirConsent, newId: () => string): GrantConsentRequest {
  if (r.resourceType !== 'Consent') throw invalid('resourceType: Consent is required');
  const scope = codeIn(r.scope, SYSTEM.consentScope);
  if (scope !== 'patient-privacy' && scope !== 'research') throw invalid(`Consent.scope: only ${SYSTEM.consentScope}#patient-privacy or #research is supported`);
  const trialId = extString(r, 'trial');
  if ((scope === 'research') !== (trialId !== undefined)) throw invalid('Consent: a research consent names its trial (extension trial), and only a research consent does');
  const root = r.provision;
  if (!root?.period?.start) throw invalid('Consent.provision.period.start is required');
  if (root.type !== undefined || root.purpose || root.action || root.code) throw invalid('Consent.provision: the root provision holds the period and actors only; rules go in nested provisions');
  const identifier = ledgerIdOf(r);
  return {
    consentId: r.id ?? identifier ?? newId(),
    patientRef: patientRefOf(r.patient, 'Consent.patient'),
    grantee: granteeOf(root.actor),
    period: { start: root.period.start, ...(root.period.end === undefined ? {} : { end: root.period.end }) },
    provisions: (root.provision ?? []).map(ledgerProvisionOf),
    ...(trialId === undefined ? {} : { trialId }),
  };
}

/** The ledger's consent back from a FHIR Consent this interface emitted (the round trip). */
export function consentFromEmitted(r: FhirConsent): LedgerConsent {
  const request = consentFromFhir(r, () => {
    throw invalid('Consent.identifier: the ledger id is required');
  });
  const identifier = ledgerIdOf(r);
  const revokedAt = extString(r, 'revoked-at');
  if (r.status !== 'active' && r.status !== 'inactive') throw invalid('Consent.status: active or inactive');
  if (!r.dateTime) throw invalid('Consent.dateTime is required');
  return {
    ...request,
    consentId: identifier ?? request.consentId,
    status: r.status,
    recorded: r.dateTime,
    ...(revokedAt === undefined ? {} : { revokedAt }),
    updatedBy: stampOf(r),
  };
}
