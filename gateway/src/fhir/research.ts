/**
 * The research resources: ResearchStudy (read: research:getTrial) and ResearchSubject (read by
 * `<trialId>--<subjectId>`: research:getSubject). Research-scope Consents are Consents (clinical.ts).
 * Each calls the transaction the compact API's route calls, as the caller.
 */
import { RESEARCH, type Subject, type Trial } from '@healthledger/contract-api';
import { HttpProblem } from '../errors/problem';
import type { ResourceInteractions } from './interactions';
import { invoke } from './ledger';
import { subjectToFhir, trialToFhir } from './research-study';

const researchStudy: ResourceInteractions = {
  type: 'ResearchStudy',
  documentation: 'A clinical trial: sponsor, sites, registry id, and every anchored protocol, analysis plan, outcomes and results version with its SHA-256 (research:getTrial).',
  read: async (i, trialId) => trialToFhir((await invoke(i.ctx, i.request, RESEARCH.getTrial, { trialId })) as Trial),
};

const researchSubject: ResourceInteractions = {
  type: 'ResearchSubject',
  documentation: "A trial subject under its pseudonymous subject id, with the research consent enrolment rests on (research:getSubject). Id: <trialId>--<subjectId>.",
  read: async (i, id) => {
    const at = id.indexOf('--');
    if (at <= 0) throw new HttpProblem('NOT_FOUND', 'A ResearchSubject id is <trialId>--<subjectId>');
    const subject = (await invoke(i.ctx, i.request, RESEARCH.getSubject, { trialId: id.slice(0, at), subjectId: id.slice(at + 2) })) as Subject;
    return subjectToFhir(subject);
  },
};

/** The research resource types. */
export const RESEARCH_FHIR: readonly ResourceInteractions[] = [researchStudy, researchSubject];
