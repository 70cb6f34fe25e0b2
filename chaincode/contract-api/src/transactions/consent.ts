/** The consent and emergency (break-the-glass) contracts. */
import { Type } from '@sinclair/typebox';
import {
  ConsentIdRequest,
  ConsentSchema,
  DelegateRequest,
  EmergencyIdRequest,
  GrantConsentRequest,
  ListConsentsRequest,
  ListUnreviewedRequest,
  MAX_JUSTIFICATION_BYTES,
  OpenEmergencyRequest,
  PatientRequest,
  ReviewEmergencyRequest,
} from '../consent';
import { AccessDecisionSchema, DelegateRemovedSchema, DelegateSchema, DelegatesSchema, EmergencyAccessSchema } from '../consent-results';
import { RequestAccessRequest } from '../records';
import { SALT } from './records';
import { defineContract } from './spec';

const PATIENT_OR_DELEGATE = { roles: ['patient'], rule: 'the patient or a registered delegate' } as const;
const PATIENT_DELEGATE_OR_AUDITOR = { roles: ['patient', 'auditor'], rule: 'the patient or a delegate; auditors' } as const;
const PATIENT_ONLY = { roles: ['patient'], rule: 'the patient only' } as const;
const PROVIDER_CLINICIAN = { roles: ['clinician'], orgKinds: ['provider'], rule: 'clinicians of a provider organisation' } as const;

export const CONSENT = defineContract('consent', {
  grantConsent: { mode: 'submit', request: GrantConsentRequest, callers: PATIENT_OR_DELEGATE, summary: 'Grant a consent (patient or delegate)', result: ConsentSchema },
  revokeConsent: { mode: 'submit', request: ConsentIdRequest, callers: PATIENT_OR_DELEGATE, summary: 'Revoke a consent; takes effect at once', result: ConsentSchema },
  getConsent: {
    mode: 'evaluate', request: ConsentIdRequest,
    callers: { rule: 'the patient or a delegate; auditors; staff (non-patient roles) of the grantee organisation' },
    summary: 'One consent',
    result: ConsentSchema,
  },
  listConsents: { mode: 'evaluate', request: ListConsentsRequest, callers: PATIENT_DELEGATE_OR_AUDITOR, summary: "A patient's consents", items: ConsentSchema },
  registerDelegate: { mode: 'submit', request: DelegateRequest, callers: PATIENT_ONLY, summary: 'Register a delegate (guardian)', result: DelegateSchema },
  removeDelegate: { mode: 'submit', request: DelegateRequest, callers: PATIENT_ONLY, summary: 'Remove a delegate', result: DelegateRemovedSchema },
  listDelegates: { mode: 'evaluate', request: PatientRequest, callers: PATIENT_DELEGATE_OR_AUDITOR, summary: "A patient's delegates", result: DelegatesSchema },
  checkAccess: {
    mode: 'evaluate', request: RequestAccessRequest, callers: { rule: 'any identity' },
    summary: 'Preview what an access request would decide now (nothing logged)',
    result: AccessDecisionSchema,
  },
});

export const EMERGENCY = defineContract('emergency', {
  stageJustification: {
    mode: 'submit', request: OpenEmergencyRequest, callers: PROVIDER_CLINICIAN,
    transient: [
      {
        name: 'justification', required: true, schema: Type.String({ minLength: 1, maxLength: MAX_JUSTIFICATION_BYTES }),
        description: "Free-text justification (private: kept in the clinician organisation's collection)",
      },
      SALT,
    ],
    summary: "Step one of opening an emergency access: stores the justification in the clinician organisation's implicit collection",
  },
  discardJustification: {
    mode: 'submit', request: OpenEmergencyRequest, callers: PROVIDER_CLINICIAN,
    summary: 'Purges a justification staged for an emergency access that was never opened',
  },
  openEmergency: {
    mode: 'submit', request: OpenEmergencyRequest, callers: PROVIDER_CLINICIAN,
    stagedBy: { stage: 'stageJustification', hashField: 'justificationHash', discard: 'discardJustification', optional: true },
    summary: 'Open break-the-glass access (flagged for review)',
    result: EmergencyAccessSchema,
  },
  reviewEmergency: {
    mode: 'submit', request: ReviewEmergencyRequest,
    callers: { roles: ['auditor', 'records-admin'], rule: "auditors; records-admins of the clinician's organisation" },
    summary: 'Review an emergency access',
    result: EmergencyAccessSchema,
  },
  getEmergency: {
    mode: 'evaluate', request: EmergencyIdRequest,
    callers: { rule: "auditors; staff (non-patient roles) of the clinician's organisation; the patient or a delegate" },
    summary: 'One emergency access',
    result: EmergencyAccessSchema,
  },
  listUnreviewed: {
    mode: 'evaluate', request: ListUnreviewedRequest,
    callers: { roles: ['auditor', 'records-admin'], rule: "auditors (every organisation's); records-admins (their own organisation's)" },
    summary: 'Emergency accesses awaiting review',
    items: EmergencyAccessSchema,
  },
});
