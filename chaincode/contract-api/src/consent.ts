import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './enums';
import { STAMP_EXAMPLE, StampSchema } from './stamp';
import { RecordCategorySchema } from './categories';
import { ROLES } from './roles';
import { field, Id, IsoDate, IsoDateTime, MspId, PageRequest, PatientRef } from './common';

/**
 * Purposes of use (HL7 v3 PurposeOfUse): treatment, emergency treatment, payment, operations,
 * research, public health, patient request.
 */
export const PURPOSES = ['TREAT', 'ETREAT', 'HPAYMT', 'HOPERAT', 'HRESCH', 'PUBHLTH', 'PATRQT'] as const;
export type Purpose = (typeof PURPOSES)[number];
export const PurposeSchema = StringEnum(PURPOSES, {
  description: 'Purpose of use (HL7 PurposeOfUse): TREAT treatment, ETREAT emergency treatment (break-the-glass), HPAYMT payment, HOPERAT operations, HRESCH research, PUBHLTH public health, PATRQT patient request',
  examples: ['TREAT'],
});

/** FHIR consent actions (http://terminology.hl7.org/CodeSystem/consentaction). Reading content is `access`. */
export const CONSENT_ACTIONS = ['access', 'collect', 'use', 'disclose', 'correct'] as const;
export type ConsentAction = (typeof CONSENT_ACTIONS)[number];

const DateOrDateTime = (description: string, example: string) => Type.Union([IsoDate, IsoDateTime], { description, examples: [example] });
const RoleSchema = StringEnum(ROLES, { description: 'A role of the consortium (the `role` attribute of a certificate)', examples: ['clinician'] });
const ConsentId = field(Id, 'The consent id, chosen by the client', 'cns-1');
const EmergencyId = field(Id, 'The emergency (break-the-glass) access id, chosen by the clinician', 'em-1');

/**
 * Who a consent is for (FHIR Consent.provision.actor): an organisation's workforce, narrowed
 * optionally to one practitioner or to one role within it. Identities with role patient never
 * match a grantee (patients act for others only as registered delegates).
 */
export const Grantee = Type.Object(
  {
    org: field(MspId, 'The organisation whose workforce is granted', 'Hospital2MSP'),
    practitionerId: Type.Optional(field(Id, 'Only this practitioner (the `practitioner_id` of a clinician\'s certificate)', 'prac-h2-0001')),
    role: Type.Optional(field(RoleSchema, 'Only this role within the organisation', 'clinician')),
  },
  { additionalProperties: false, description: 'Who the consent is for: an organisation\'s workforce, optionally one practitioner or one role of it' },
);
export type Grantee = Static<typeof Grantee>;

/**
 * When a consent applies. Both ends are inclusive; a date-only `end` lasts to the end of that day
 * (UTC), a date-only `start` begins at its first millisecond. No `end` means open-ended.
 */
export const Period = Type.Object(
  {
    start: DateOrDateTime('First day (a date begins at 00:00 UTC) or instant it applies', '2026-01-01'),
    end: Type.Optional(DateOrDateTime('Last day (a date lasts to the end of that day, UTC) or instant, inclusive; absent: open-ended', '2026-12-31')),
  },
  { additionalProperties: false, description: 'When the consent applies, both ends inclusive' },
);
export type Period = Static<typeof Period>;

/** One rule of a consent. A matching `deny` overrides every matching `permit`. No `categories` = all. */
export const Provision = Type.Object(
  {
    type: StringEnum(['permit', 'deny'], { description: 'permit grants what matches; deny refuses it and overrides every matching permit' }),
    actions: Type.Array(StringEnum(CONSENT_ACTIONS, { description: 'A FHIR consent action; reading content is `access`' }), {
      minItems: 1, maxItems: CONSENT_ACTIONS.length, uniqueItems: true, description: 'The actions the rule covers',
    }),
    purposes: Type.Array(PurposeSchema, { minItems: 1, maxItems: PURPOSES.length, uniqueItems: true, description: 'The purposes of use the rule covers' }),
    categories: Type.Optional(Type.Array(RecordCategorySchema, { minItems: 1, maxItems: 16, uniqueItems: true, description: 'The record categories the rule covers; absent: all' })),
  },
  { additionalProperties: false, description: 'One rule of the consent' },
);
export type Provision = Static<typeof Provision>;

/** `consent:grantConsent` (FHIR Consent, compact). */
export const GrantConsentRequest = Type.Object(
  {
    consentId: ConsentId,
    patientRef: field(PatientRef, 'The patient who consents'),
    grantee: Grantee,
    period: Period,
    provisions: Type.Array(Provision, { minItems: 1, maxItems: 20, description: 'Its rules; a matching deny overrides every matching permit' }),
    /**
     * A research-scope consent tied to one trial: it applies only to that trial's enrolment and
     * data releases, its grantee is the trial's sponsor, and its provisions are for HRESCH only.
     */
    trialId: Type.Optional(field(Id, "A research-scope consent's trial: it applies only to that trial's enrolment and releases; the grantee is the trial's sponsor and the provisions are for HRESCH only", 'trial-diab-01')),
  },
  { additionalProperties: false },
);
export type GrantConsentRequest = Static<typeof GrantConsentRequest>;

/** `consent:revokeConsent` and `consent:getConsent`. */
export const ConsentIdRequest = Type.Object({ consentId: ConsentId }, { additionalProperties: false });
export type ConsentIdRequest = Static<typeof ConsentIdRequest>;

/** `consent:listConsents`. */
export const ListConsentsRequest = Type.Object({ patientRef: field(PatientRef, 'The patient whose consents to list'), ...PageRequest }, { additionalProperties: false });
export type ListConsentsRequest = Static<typeof ListConsentsRequest>;

/** `consent:registerDelegate` and `consent:removeDelegate`: `delegateId` is the guardian's `patient_id`. */
export const DelegateRequest = Type.Object(
  { patientRef: field(PatientRef, 'The patient'), delegateId: field(PatientRef, "The delegate's (guardian's) own patient reference (`patient_id`)", 'pt-5d2b7c40') },
  { additionalProperties: false },
);
export type DelegateRequest = Static<typeof DelegateRequest>;

/** `consent:listDelegates`. */
export const PatientRequest = Type.Object({ patientRef: field(PatientRef, 'The patient') }, { additionalProperties: false });
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
    emergencyId: EmergencyId,
    patientRef: field(PatientRef, 'The patient whose records the clinician needs'),
    reasonCode: StringEnum(EMERGENCY_REASONS, { description: 'Why the glass is broken (a code; the free text goes in `justification`)' }),
    durationMinutes: Type.Integer({ minimum: 1, maximum: MAX_EMERGENCY_MINUTES, description: 'How long the access lasts, in minutes (at most 480, a shift)', examples: [60] }),
    /** SHA-256 of the staged justification: checked when staging if given; names it when opening. */
    justificationHash: Type.Optional(
      Type.String({
        pattern: '^[0-9a-f]{64}$',
        description: 'SHA-256 of `salt ‖ justification` as staged. A REST client leaves it out: the gateway stages the justification and fills this in',
        examples: ['4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce'],
      }),
    ),
  },
  { additionalProperties: false },
);
export type OpenEmergencyRequest = Static<typeof OpenEmergencyRequest>;

/** `emergency:reviewEmergency`. */
export const ReviewEmergencyRequest = Type.Object(
  { emergencyId: EmergencyId, outcome: StringEnum(['justified', 'unjustified'], { description: "The reviewer's finding" }) },
  { additionalProperties: false },
);
export type ReviewEmergencyRequest = Static<typeof ReviewEmergencyRequest>;

/** `emergency:getEmergency`. */
export const EmergencyIdRequest = Type.Object({ emergencyId: EmergencyId }, { additionalProperties: false });
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
