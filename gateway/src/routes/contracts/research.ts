/**
 * Clinical research: trials and their anchored documents, verification of a presented document,
 * subjects (enrolment on a research consent, withdrawal), consented data releases and the
 * suppressed aggregate counts. A released record's content is then read as any other, from its
 * custodian's peer (`GET /records/{recordId}/content`).
 */
import { RESEARCH } from '@healthledger/contract-api';
import type { RouteModule } from '../context';
import { registerOperations, type Route } from './operation';

const tags = ['research'];

const RELEASE_NOTES =
  'Each record of the requested categories is decided on the patient\'s research consent for this trial and committed to the disclosure log, ' +
  'granted or denied (a denial is an answer, as for `POST /records/{recordId}/access`); a granted record is then read with ' +
  '`GET /records/{recordId}/content` within its read window. A withdrawn subject (409 SUBJECT_WITHDRAWN) or a closed trial (409) is refused.';

export const RESEARCH_ROUTES: Route[] = [
  { method: 'POST', url: '/trials', tx: RESEARCH.registerTrial, tags, created: '/trials/:trialId' },
  { method: 'GET', url: '/trials/:trialId', tx: RESEARCH.getTrial, tags, params: ['trialId'] },
  { method: 'POST', url: '/trials/:trialId/documents', tx: RESEARCH.anchorDocument, tags, params: ['trialId'], created: '/trials/:trialId' },
  { method: 'POST', url: '/trials/:trialId/document-copies', tx: RESEARCH.depositDocument, tags, params: ['trialId'], created: '/trials/:trialId' },
  { method: 'POST', url: '/trials/:trialId/verification', tx: RESEARCH.verifyDocument, tags, params: ['trialId'] },
  { method: 'POST', url: '/trials/:trialId/unblinding', tx: RESEARCH.unblindTrial, tags, params: ['trialId'], status: 200 },
  { method: 'POST', url: '/trials/:trialId/closure', tx: RESEARCH.closeTrial, tags, params: ['trialId'], status: 200 },
  { method: 'POST', url: '/trials/:trialId/subjects', tx: RESEARCH.enrolSubject, tags, params: ['trialId'], created: '/trials/:trialId/subjects/:subjectId' },
  { method: 'GET', url: '/trials/:trialId/subjects/:subjectId', tx: RESEARCH.getSubject, tags, params: ['trialId', 'subjectId'] },
  { method: 'POST', url: '/trials/:trialId/subjects/:subjectId/withdrawal', tx: RESEARCH.withdrawSubject, tags, params: ['trialId', 'subjectId'], status: 200 },
  { method: 'POST', url: '/trials/:trialId/subjects/:subjectId/releases', tx: RESEARCH.releaseData, tags, params: ['trialId', 'subjectId'], notes: RELEASE_NOTES },
  { method: 'GET', url: '/research/record-counts', tx: RESEARCH.countRecords, tags },
];

export const researchRoutes: RouteModule = (app, ctx) => registerOperations(app, ctx, RESEARCH_ROUTES);
