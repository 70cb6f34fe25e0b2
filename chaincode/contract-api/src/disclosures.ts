/**
 * The disclosure log's entry, as `records:requestAccess` answers it and the accounting of
 * disclosures lists it. Every access request commits one, granted or denied: a denial is an
 * answer (outcome `denied` with its `reason`), not an error, because the attempt itself is what
 * the log must keep.
 */
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './enums';
import { PurposeSchema } from './consent';
import { RecordCategorySchema } from './categories';
import { STAMP_EXAMPLE, StampSchema } from './stamp';

/** Why an access was granted. */
export const ACCESS_BASES = ['patient', 'delegate', 'emergency', 'custodian', 'consent'] as const;
export type AccessBasis = (typeof ACCESS_BASES)[number];

/**
 * Why an access was denied. `emergency-id-missing`: purpose ETREAT without an `emergencyId` and no
 * consent permitting it — break-the-glass access names the emergency opened first.
 */
export const DENIAL_REASONS = ['consent-denied', 'no-consent', 'emergency-id-missing', 'emergency-expired', 'emergency-mismatch'] as const;
export type DenialReason = (typeof DENIAL_REASONS)[number];

export const DisclosureSchema = Type.Object(
  {
    disclosureId: Type.String({ description: "The disclosure id: the transaction id of the request (a trial release's: `<txId>.<n>`, one per record)", examples: ['3f1e5d7c9b2a4e6f8d0c1b3a5e7f9d2c4b6a8e0f1d3c5b7a9e2f4d6c8b0a1e3f'] }),
    recorded: Type.String({ description: 'When the request was decided (ISO 8601 UTC)', examples: ['2026-12-05T10:15:00.000Z'] }),
    action: StringEnum(['access'], { description: 'What was requested' }),
    outcome: StringEnum(['granted', 'denied'], { description: 'The decision; a denial is committed to the log like a grant', examples: ['denied'] }),
    basis: Type.Optional(StringEnum(ACCESS_BASES, { description: 'Granted: on what basis', examples: ['consent'] })),
    reason: Type.Optional(
      StringEnum(DENIAL_REASONS, {
        description:
          'Denied: why. `no-consent`: no active consent permits this purpose for the caller; `consent-denied`: a deny provision matches (`consentId`); `emergency-id-missing`: ETREAT needs the `emergencyId` of an emergency access opened first (POST /emergencies); `emergency-expired`, `emergency-mismatch`: the named emergency access is over, or is not the caller\'s for this patient',
        examples: ['no-consent'],
      }),
    ),
    purpose: PurposeSchema,
    agent: Type.Object(
      {
        actor: Type.String({ description: 'Pseudonymous actor id of the requester', examples: ['7a1c3e5f7b9d1f3a5c7e9b1d3f5a7c9e'] }),
        org: Type.String({ description: "The requester's MSP id", examples: ['Hospital2MSP'] }),
        role: Type.String({ description: "The requester's role", examples: ['clinician'] }),
        practitionerId: Type.Optional(Type.String({ description: "A clinician's practitioner id", examples: ['prac-h2-0001'] })),
      },
      { description: 'Who asked' },
    ),
    entity: Type.Object(
      {
        recordId: Type.String({ description: 'The record id', examples: ['rec-1'] }),
        patientRef: Type.String({ description: "The patient's pseudonymous reference", examples: ['pt-0c5f1a9e'] }),
        custodian: Type.String({ description: 'MSP id of the custodian organisation', examples: ['Hospital1MSP'] }),
        category: RecordCategorySchema,
      },
      { description: 'The record asked for (metadata only)' },
    ),
    consentId: Type.Optional(Type.String({ description: 'The deciding consent (permit or deny)', examples: ['cns-1'] })),
    emergencyId: Type.Optional(Type.String({ description: 'The break-the-glass access named', examples: ['em-1'] })),
    trialId: Type.Optional(Type.String({ description: 'A research release: the trial it was made for', examples: ['trial-1'] })),
    emergency: Type.Boolean({ description: 'A break-the-glass disclosure, flagged for review', examples: [false] }),
    expiresAt: Type.Optional(Type.String({ description: 'Granted: end of the read window (1 hour)', examples: ['2026-12-05T11:15:00.000Z'] })),
    updatedBy: StampSchema,
  },
  {
    description: 'A disclosure log entry',
    examples: [
      {
        disclosureId: '3f1e5d7c9b2a4e6f8d0c1b3a5e7f9d2c4b6a8e0f1d3c5b7a9e2f4d6c8b0a1e3f',
        recorded: '2026-12-05T10:15:00.000Z',
        action: 'access',
        outcome: 'denied',
        reason: 'no-consent',
        purpose: 'TREAT',
        agent: { actor: '7a1c3e5f7b9d1f3a5c7e9b1d3f5a7c9e', org: 'Hospital2MSP', role: 'clinician', practitionerId: 'prac-h2-0001' },
        entity: { recordId: 'rec-1', patientRef: 'pt-0c5f1a9e', custodian: 'Hospital1MSP', category: 'lab-result' },
        emergency: false,
        updatedBy: { ...STAMP_EXAMPLE, org: 'Hospital2MSP' },
      },
    ],
  },
);
export type DisclosureEntry = Static<typeof DisclosureSchema>;
