/** The research contract: trials, anchored documents, subjects, consented releases, aggregate counts. */
import { Type } from '@sinclair/typebox';
import {
  AnchorDocumentRequest,
  CountRecordsRequest,
  DepositDocumentRequest,
  DepositedDocumentSchema,
  DocumentVerificationSchema,
  EnrolSubjectRequest,
  MAX_TRIAL_DOCUMENT_BYTES,
  RecordCountsSchema,
  RegisterTrialRequest,
  ReleaseDataRequest,
  ReleaseSchema,
  SubjectRequest,
  SubjectSchema,
  TrialIdRequest,
  TrialSchema,
  VerifyDocumentRequest,
} from '../research';
import { defineContract, type TransientSpec } from './spec';

/** A trial document's exact text: anchored hashes are SHA-256 of these bytes, so anyone can check them. */
const document = (description: string): TransientSpec => ({ name: 'document', required: true, schema: Type.String({ minLength: 1, maxLength: MAX_TRIAL_DOCUMENT_BYTES }), description });

const SPONSOR = { roles: ['researcher'], orgKinds: ['provider', 'research'], rule: 'researchers of the sponsor (a provider or research organisation)' } as const;
const SITE_STAFF = { roles: ['clinician', 'researcher'], orgKinds: ['provider', 'research'], rule: 'clinicians and researchers of one of the trial\'s sites' } as const;

export const RESEARCH = defineContract('research', {
  registerTrial: {
    mode: 'submit', request: RegisterTrialRequest, callers: SPONSOR, result: TrialSchema,
    summary: "Register a trial; the caller's organisation is the sponsor, the protocol and analysis plan hashes are version 1",
  },
  anchorDocument: {
    mode: 'submit', request: AnchorDocumentRequest, callers: SPONSOR, result: TrialSchema,
    summary: 'Anchor a new version of a trial document (protocol amendment, analysis plan, outcomes before enrolment, results before unblinding)',
  },
  depositDocument: {
    mode: 'submit', request: DepositDocumentRequest, callers: SPONSOR, result: DepositedDocumentSchema,
    transient: [document("The document (kept in the sponsor's implicit collection)")],
    summary: "Keep an anchored document version in the sponsor's private data (its hash must match)",
  },
  unblindTrial: { mode: 'submit', request: TrialIdRequest, callers: SPONSOR, result: TrialSchema, summary: 'Unblind the trial (the results must be anchored first)' },
  closeTrial: { mode: 'submit', request: TrialIdRequest, callers: SPONSOR, result: TrialSchema, summary: 'Close the trial: no more enrolments or releases' },
  getTrial: { mode: 'evaluate', request: TrialIdRequest, callers: { rule: 'any identity' }, summary: 'One trial, with every anchored document version', result: TrialSchema },
  verifyDocument: {
    mode: 'evaluate', request: VerifyDocumentRequest, callers: { rule: 'any identity' }, result: DocumentVerificationSchema,
    transient: [document('The presented document, checked against the anchored hashes')],
    summary: 'Check a presented protocol, analysis plan, outcomes or results document: which version it is and when it was anchored',
  },
  enrolSubject: {
    mode: 'submit', request: EnrolSubjectRequest, callers: SITE_STAFF, result: SubjectSchema,
    summary: "Enrol a consenting patient under a pseudonymous subject id (the outcomes must be anchored first)",
  },
  withdrawSubject: {
    mode: 'submit', request: SubjectRequest, result: SubjectSchema,
    callers: { roles: ['patient', 'clinician', 'researcher'], rule: "the patient or a delegate; clinicians and researchers of the enrolling site" },
    summary: 'Withdraw a subject: the research consent is revoked and later releases are refused',
  },
  getSubject: {
    mode: 'evaluate', request: SubjectRequest, result: SubjectSchema,
    callers: { rule: "the patient or a delegate; auditors; staff (non-patient roles) of the sponsor or the enrolling site" },
    summary: 'One trial subject',
  },
  releaseData: {
    mode: 'submit', request: ReleaseDataRequest, callers: SPONSOR, result: ReleaseSchema,
    summary: "Request a subject's records of some categories: each is decided on the research consent and logged as a disclosure",
  },
  countRecords: {
    mode: 'evaluate', request: CountRecordsRequest, callers: { roles: ['researcher', 'auditor'], rule: 'researchers; auditors' }, result: RecordCountsSchema,
    summary: 'Counts of records by category and organisation whose patients consent to research use, small cells suppressed',
  },
});
