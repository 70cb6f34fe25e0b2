import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './enums';
import { STAMP_EXAMPLE, StampSchema } from './stamp';
import { RecordCategorySchema } from './categories';
import { ROLES } from './roles';
import { Id, IsoDate, IsoDateTime, MspId, PageRequest, PatientRef } from './common';

/**
 * Purposes of use (HL7 v3 PurposeOfUse): treatment, emergency treatment, payment, operations,
 * research, public health, patient request.
 */
export const PURPOSES = ['TREAT', 'ETREAT', 'HPAYMT', 'HOPERAT', 'HRESCH', 'PUBHLTH', 'PATRQT'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const PurposeSchema = StringEnum(PURPOSES);

/** FHIR consent actions (http://terminology.hl7.org/CodeSystem/consentaction). Reading content is `access`. */
export const CONSENT_ACTIONS = ['access', 'collect', 'use', 'disclose', 'correct'] as const;
export type ConsentAction = (typeof CONSENT_ACTIONS)[number];

const DateOrDateTime = Type.Union([IsoDate, IsoDateTime]);
const RoleSchema = StringEnum(ROLES);

/**
 * Who a consent is for (FHIR Consent.provision.actor): an organisation's workforce, narrowed
 * optionally to one practitioner or to one role within it. Identities with role patient never
 * match a grantee (patients act for others only as registered delegates).
 */
export const Grantee = Type.Object(
  { org: MspId, practitionerId: Type.Optional(Id), role: Type.Optional(RoleSchema) },
  { additionalProperties: false },
);
export type Grantee = Static<typeof Grantee>;

/**
 * When a consent applies. Both ends are inclusive; a date-only `end` lasts to the end of that day
 * (UTC), a date-only `start` begins at its first millisecond. No `end` means open-ended.
 */
export const Period = Type.Object({ start: DateOrDateTime, end: Type.Optional(DateOrDateTime) }, { additionalProperties: false });
export type Period = Static<typeof Period>;

/** One rule of a consent. A matching `deny` overrides every matching `permit`. No `categories` = all. */
export const Provision = Type.Object(
  {
    type: StringEnum(['permit', 'deny']),
    actions: Type.Array(StringEnum(CONSENT_ACTIONS), { minItems: 1, maxItems: CONSENT_ACTIONS.length, uniqueItems: true }),
    purposes: Type.Array(PurposeSchema, { minItems: 1, maxItems: PURPOSES.length, uniqueItems: true }),
    categories: Type.Optional(Type.Array(RecordCategorySchema, { minItems: 1, maxItems: 16, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type Provision = Static<typeof Provision>;

/** `consent:grantConsent` (FHIR Consent, compact). */
export const GrantConsentRequest = Type.Object(
  {
    consentId: Id,
    patientRef: PatientRef,
    grantee: Grantee,
    period: Period,
    provisions: Type.Array(Provision, { minItems: 1, maxItems: 20 }),
    /**
     * A research-scope consent tied to one trial: it applies only to that trial's enrolment and
     * data releases, its grantee is the trial's sponsor, and its provisions are for HRESCH only.
     */
    trialId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type GrantConsentRequest = Static<typeof GrantConsentRequest>;

/** `consent:revokeConsent` and `consent:getConsent`. */
export const ConsentIdRequest = Type.Object({ consentId: Id }, { additionalProperties: false });
export type ConsentIdRequest = Static<typeof ConsentIdRequest>;

/** `consent:listConsents`. */
export const ListConsentsRequest = Type.Object({ patientRef: PatientRef, ...PageRequest }, { additionalProperties: false });
export type ListConsentsRequest = Static<typeof ListConsentsRequest>;

/** `consent:registerDelegate` and `consent:removeDelegate`: `delegateId` is the guardian's `patient_id`. */
export const DelegateRequest = Type.Object({ patientRef: PatientRef, delegateId: PatientRef }, { additionalProperties: false });
export type DelegateRequest = Static<typeof DelegateRequest>;

/** `consent:listDelegates`. */
export const PatientRequest = Type.Object({ patientRef: PatientRef }, { additionalProperties: false });
export type PatientRequest = Static<typeof PatientRequest>;

/** Reasons a clinician may break the glass. */
export const EMERGENCY_REASONS = ['unconscious', 'life-threatening', 'unable-to-consent', 'consent-unreachable', 'other'] as const;
/** Longest break-the-glass access: 8 hours (a shift); a longer need opens a new one. */
export const MAX_EMERGENCY_MINUTES = 480;
/** Largest free-text justification (transient `justification`), kept in the clinician org's implicit collection. */
export const MAX_JUSTIFICATION_BYTES = 4096;

/**
 * `emergency:stageJustification` (transient `justification`, free text, private) and
 * `emergency:openEmergency` (no transient data; `justificationHash` names a staged justification).
 */
export const OpenEmergencyRequest = Type.Object(
  {
    emergencyId: Id,
    patientRef: PatientRef,
    reasonCode: StringEnum(EMERGENCY_REASONS),
    durationMinutes: Type.Integer({ minimum: 1, maximum: MAX_EMERGENCY_MINUTES }),
    /** SHA-256 of the staged justification: checked when staging if given; names it when opening. */
    justificationHash: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$' })),
  },
  { additionalProperties: false },
);
export type OpenEmergencyRequest = Static<typeof OpenEmergencyRequest>;

/** `emergency:reviewEmergency`. */
export const ReviewEmergencyRequest = Type.Object(
  { emergencyId: Id, outcome: StringEnum(['justified', 'unjustified']) },
  { additionalProperties: false },
);
export type ReviewEmergencyRequest = Static<typeof ReviewEmergencyRequest>;

/** `emergency:getEmergency`. */
export const EmergencyIdRequest = Type.Object({ emergencyId: Id }, { additionalProperties: false });
export type EmergencyIdRequest = Static<typeof EmergencyIdRequest>;

/** `emergency:listUnreviewed`. */
export const ListUnreviewedRequest = Type.Object({ ...PageRequest }, { additionalProperties: false });
export type ListUnreviewedRequest = Static<typeof ListUnreviewedRequest>;

/** A stored consent, as the consent contract answers it (the request, with its status and stamps). */
export const ConsentSchema = Type.Object(
  {
    consentId: Type.String({ description: 'The consent id', examples: ['cns-1'] }),
    patientRef: Type.String({ description: "The patient's pseudonymous reference", examples: ['pt-0c5f1a9e'] }),
    status: StringEnum(['active', 'inactive'], { description: '`inactive` once revoked', examples: ['active'] }),
    grantee: Grantee,
    period: Period,
    provisions: Type.Array(Provision, { description: 'Its rules; a matching deny overrides every matching permit' }),
    trialId: Type.Optional(Type.String({ description: 'The trial a research-scope consent is tied to', examples: ['trial-1'] })),
    recorded: Type.String({ description: 'When it was granted (ISO 8601 UTC)', examples: ['2026-12-05T10:15:00.000Z'] }),
    revokedAt: Type.Optional(Type.String({ description: 'When it was revoked', examples: ['2026-12-06T09:00:00.000Z'] })),
    updatedBy: StampSchema,
  },
  {
    description: "A patient's consent (FHIR Consent, compact)",
    examples: [
      {
        consentId: 'cns-1',
        patientRef: 'pt-0c5f1a9e',
        status: 'active',
        grantee: { org: 'Hospital2MSP', role: 'clinician' },
        period: { start: '2026-01-01', end: '2026-12-31' },
        provisions: [{ type: 'permit', actions: ['access'], purposes: ['TREAT'] }],
        recorded: STAMP_EXAMPLE.at,
        updatedBy: { ...STAMP_EXAMPLE, role: 'patient' },
      },
    ],
  },
);
