/**
 * What the consent and emergency contracts answer besides a consent: delegates, the preview of an
 * access decision, and break-the-glass accesses.
 */
import { Type } from '@sinclair/typebox';
import { field, PatientRef } from './common';
import { ACCESS_BASES, DENIAL_REASONS } from './disclosures';
import { StringEnum } from './enums';
import { EMERGENCY_REASONS } from './consent';
import { STAMP_EXAMPLE, StampSchema } from './stamp';

const at = (description: string, example = STAMP_EXAMPLE.at) => Type.String({ description: `${description} (ISO 8601 UTC, transaction time)`, examples: [example] });
const GUARDIAN = 'pt-5d2b7c40';

export const DelegateSchema = Type.Object(
  {
    patientRef: field(PatientRef, 'The patient'),
    delegateId: field(PatientRef, "The delegate's own patient reference", GUARDIAN),
    since: at('When the delegate was registered'),
    updatedBy: StampSchema,
  },
  { description: "A patient's delegate (guardian): may grant and revoke consents and read the patient's records" },
);

export const DelegateRemovedSchema = Type.Object(
  {
    patientRef: field(PatientRef, 'The patient'),
    delegateId: field(PatientRef, "The removed delegate's patient reference", GUARDIAN),
    removed: Type.Literal(true, { description: 'Always true: the delegate no longer acts for the patient' }),
  },
  { description: 'A removed delegate' },
);

export const DelegatesSchema = Type.Object(
  { items: Type.Array(DelegateSchema, { description: "The patient's delegates" }) },
  { description: "A patient's delegates (all of them: no paging)" },
);

export const AccessDecisionSchema = Type.Object(
  {
    outcome: StringEnum(['granted', 'denied'], { description: 'What an access request would decide now', examples: ['granted'] }),
    basis: Type.Optional(StringEnum(ACCESS_BASES, { description: 'Granted: on what basis', examples: ['consent'] })),
    reason: Type.Optional(StringEnum(DENIAL_REASONS, { description: 'Denied: why (as in a disclosure entry)', examples: ['no-consent'] })),
    consentId: Type.Optional(Type.String({ description: 'The deciding consent (permit or deny)', examples: ['cns-1'] })),
    emergencyId: Type.Optional(Type.String({ description: 'The break-the-glass access it relies on', examples: ['em-1'] })),
  },
  { description: 'The preview of an access decision: nothing is logged, no read window opens' },
);

export const EmergencyAccessSchema = Type.Object(
  {
    emergencyId: Type.String({ description: 'The emergency access id', examples: ['em-1'] }),
    patientRef: field(PatientRef, 'The patient whose records it opens', 'pt-8e41d3b2'),
    org: Type.String({ description: "MSP id of the clinician's organisation", examples: ['Hospital2MSP'] }),
    actor: Type.String({ description: 'Pseudonymous actor id of the clinician', examples: ['7a1c3e5f7b9d1f3a5c7e9b1d3f5a7c9e'] }),
    practitionerId: Type.Optional(Type.String({ description: "The clinician's practitioner id", examples: ['prac-h2-0001'] })),
    reasonCode: StringEnum(EMERGENCY_REASONS, { description: 'Why the glass was broken', examples: ['unconscious'] }),
    openedAt: at('When it was opened'),
    expiresAt: at('When it ends (exclusive)', '2026-12-05T11:15:00.000Z'),
    justificationHash: Type.Optional(
      Type.String({
        description: "SHA-256 of the salted justification, which is kept only in the clinician organisation's collection",
        examples: ['4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce'],
      }),
    ),
    reviewed: Type.Boolean({ description: 'An auditor or records-admin has reviewed it', examples: [false] }),
    review: Type.Optional(
      Type.Object(
        {
          outcome: StringEnum(['justified', 'unjustified'], { description: "The reviewer's finding", examples: ['justified'] }),
          at: at('When it was reviewed', '2026-12-06T09:00:00.000Z'),
          by: StampSchema,
        },
        { description: 'The review, once made' },
      ),
    ),
    updatedBy: StampSchema,
  },
  { description: 'A break-the-glass access: flagged for review until reviewed (the justification text is never returned)' },
);
