/**
 * Consent (FHIR Consent, compact), delegates (guardians), the access preview, and emergency
 * (break-the-glass) access with its review.
 */
import { CONSENT, EMERGENCY } from '@healthledger/contract-api';
import type { RouteModule } from '../context';
import { registerOperations, type Route } from './operation';

const consent = ['consent'];
const emergency = ['emergency'];

export const CONSENT_ROUTES: Route[] = [
  { method: 'POST', url: '/consents', tx: CONSENT.grantConsent, tags: consent, created: '/consents/:consentId' },
  { method: 'POST', url: '/consents/:consentId/revocation', tx: CONSENT.revokeConsent, tags: consent, params: ['consentId'], status: 200 },
  { method: 'GET', url: '/consents/:consentId', tx: CONSENT.getConsent, tags: consent, params: ['consentId'] },
  { method: 'GET', url: '/patients/:patientRef/consents', tx: CONSENT.listConsents, tags: consent, params: ['patientRef'], paged: true },
  { method: 'POST', url: '/patients/:patientRef/delegates', tx: CONSENT.registerDelegate, tags: consent, params: ['patientRef'], created: '/patients/:patientRef/delegates' },
  { method: 'DELETE', url: '/patients/:patientRef/delegates/:delegateId', tx: CONSENT.removeDelegate, tags: consent, params: ['patientRef', 'delegateId'] },
  { method: 'GET', url: '/patients/:patientRef/delegates', tx: CONSENT.listDelegates, tags: consent, params: ['patientRef'] },
  { method: 'POST', url: '/records/:recordId/access-check', tx: CONSENT.checkAccess, tags: consent, params: ['recordId'] },
  // A justification is staged by the clinician's organisation alone, then named by its hash.
  { method: 'POST', url: '/emergencies', tx: EMERGENCY.openEmergency, tags: emergency, created: '/emergencies/:emergencyId' },
  { method: 'POST', url: '/emergencies/:emergencyId/review', tx: EMERGENCY.reviewEmergency, tags: emergency, params: ['emergencyId'], status: 200 },
  { method: 'GET', url: '/emergencies/unreviewed', tx: EMERGENCY.listUnreviewed, tags: emergency, paged: true },
  { method: 'GET', url: '/emergencies/:emergencyId', tx: EMERGENCY.getEmergency, tags: emergency, params: ['emergencyId'] },
];

export const consentRoutes: RouteModule = (app, ctx) => registerOperations(app, ctx, CONSENT_ROUTES);
