/**
 * Consent (FHIR Consent, compact), delegates (guardians), the access preview, and emergency
 * (break-the-glass) access with its review.
 */
import { Type } from '@sinclair/typebox';
import {
  ConsentIdRequest,
  DelegateRequest,
  EmergencyIdRequest,
  GrantConsentRequest,
  ListConsentsRequest,
  ListUnreviewedRequest,
  MAX_JUSTIFICATION_BYTES,
  OpenEmergencyRequest,
  PatientRequest,
  ReviewEmergencyRequest,
} from '@healthledger/chaincode/consent/schemas';
import { RequestAccessRequest } from '@healthledger/chaincode/records/schemas';
import type { RouteModule } from '../app';
import { registerOperations, type Operation } from './operation';

const consent = ['consent'];
const emergency = ['emergency'];

export const CONSENT_OPERATIONS: Operation[] = [
  {
    method: 'POST', url: '/consents', fn: 'consent:grantConsent', mode: 'submit', request: GrantConsentRequest, tags: consent,
    summary: 'Grant a consent (patient or delegate)',
  },
  {
    method: 'POST', url: '/consents/:consentId/revocation', fn: 'consent:revokeConsent', mode: 'submit', request: ConsentIdRequest, tags: consent,
    params: ['consentId'], status: 200, summary: 'Revoke a consent; takes effect at once',
  },
  {
    method: 'GET', url: '/consents/:consentId', fn: 'consent:getConsent', mode: 'evaluate', request: ConsentIdRequest, tags: consent,
    params: ['consentId'], summary: 'One consent',
  },
  {
    method: 'GET', url: '/patients/:patientRef/consents', fn: 'consent:listConsents', mode: 'evaluate', request: ListConsentsRequest, tags: consent,
    params: ['patientRef'], paged: true, summary: "A patient's consents",
  },
  {
    method: 'POST', url: '/patients/:patientRef/delegates', fn: 'consent:registerDelegate', mode: 'submit', request: DelegateRequest, tags: consent,
    params: ['patientRef'], summary: 'Register a delegate (guardian)',
  },
  {
    method: 'DELETE', url: '/patients/:patientRef/delegates/:delegateId', fn: 'consent:removeDelegate', mode: 'submit', request: DelegateRequest,
    tags: consent, params: ['patientRef', 'delegateId'], summary: 'Remove a delegate',
  },
  {
    method: 'GET', url: '/patients/:patientRef/delegates', fn: 'consent:listDelegates', mode: 'evaluate', request: PatientRequest, tags: consent,
    params: ['patientRef'], summary: "A patient's delegates",
  },
  {
    method: 'POST', url: '/records/:recordId/access-check', fn: 'consent:checkAccess', mode: 'evaluate', request: RequestAccessRequest, tags: consent,
    params: ['recordId'], summary: 'Preview what an access request would decide now (nothing logged)',
  },
  {
    method: 'POST', url: '/emergencies', fn: 'emergency:openEmergency', mode: 'submit', request: OpenEmergencyRequest, tags: emergency,
    summary: 'Open break-the-glass access (flagged for review)',
    // A justification is staged by the clinician's organisation alone, then named by its hash.
    stage: { fn: 'emergency:stageJustification', hashField: 'justificationHash', discardFn: 'emergency:discardJustification' },
    transient: [
      {
        name: 'justification', required: false, schema: Type.String({ minLength: 1, maxLength: MAX_JUSTIFICATION_BYTES }),
        description: "Free-text justification (private: kept in the clinician organisation's collection)",
      },
    ],
  },
  {
    method: 'POST', url: '/emergencies/:emergencyId/review', fn: 'emergency:reviewEmergency', mode: 'submit', request: ReviewEmergencyRequest,
    tags: emergency, params: ['emergencyId'], status: 200, summary: 'Review an emergency access',
  },
  {
    method: 'GET', url: '/emergencies/unreviewed', fn: 'emergency:listUnreviewed', mode: 'evaluate', request: ListUnreviewedRequest, tags: emergency,
    paged: true, summary: 'Emergency accesses awaiting review',
  },
  {
    method: 'GET', url: '/emergencies/:emergencyId', fn: 'emergency:getEmergency', mode: 'evaluate', request: EmergencyIdRequest, tags: emergency,
    params: ['emergencyId'], summary: 'One emergency access',
  },
];

export const consentRoutes: RouteModule = (app, ctx) => registerOperations(app, ctx, CONSENT_OPERATIONS);
