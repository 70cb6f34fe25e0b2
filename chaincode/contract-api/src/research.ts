/**
 * Clinical research: trials, their anchored documents, enrolled subjects, consented data releases
 * and suppressed aggregate counts. See docs/design/research.md.
 */
import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './enums';
import { RecordCategorySchema, RECORD_CATEGORIES } from './categories';
import { STAMP_EXAMPLE, StampSchema } from './stamp';
import { DisclosureSchema } from './disclosures';
import { field, Id, IsoDateTime, MspId, PatientRef } from './common';

/**
 * What a trial anchors: the protocol, the statistical analysis plan, the pre-specified outcomes
 * (before the first enrolment) and the results (before unblinding).
 */
export const TRIAL_DOCUMENT_KINDS = ['protocol', 'analysis-plan', 'outcomes', 'results'] as const;
export type TrialDocumentKind = (typeof TRIAL_DOCUMENT_KINDS)[number];
export const TrialDocumentKindSchema = StringEnum(TRIAL_DOCUMENT_KINDS, {
  description: 'Which trial document: protocol, analysis-plan (statistical analysis plan), outcomes (pre-specified outcomes) or results',
  examples: ['protocol'],
});

/** A trial's lifecycle: `active` (recruiting, blinded), `unblinded` (results anchored, then unblinded), `closed`. */
export const TRIAL_STATUSES = ['active', 'unblinded', 'closed'] as const;
export type TrialStatus = (typeof TRIAL_STATUSES)[number];

/**
 * Aggregate counts below this are suppressed (reported as `suppressed`, without the figure):
 * cells of 1 to 10 can identify individuals, the usual small-cell rule for published health
 * statistics.
 */
export const SMALL_CELL_THRESHOLD = 11;

/** Largest document anchored or verified (transient `document`). */
export const MAX_TRIAL_DOCUMENT_BYTES = 1024 * 1024;

/** SHA-256, lower-case hex, of a document's exact bytes. */
const DocumentHash = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256 (hex) of the document bytes' });

/** An external trial registry id (ClinicalTrials.gov NCT number, EudraCT, ISRCTN …). */
export const RegistryId = field(
  Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9-]{2,39}$' }),
  'The trial\'s id in an external registry (ClinicalTrials.gov NCT number, EudraCT, ISRCTN)',
  'NCT01234567',
);

/** `research:registerTrial`: the first versions of the protocol and the analysis plan are anchored with it. */
export const RegisterTrialRequest = Type.Object(
  {
    trialId: Id,
    registryId: RegistryId,
    sites: Type.Array(MspId, { minItems: 1, maxItems: 32, uniqueItems: true, description: 'Organisations whose staff may enrol subjects' }),
    protocolHash: DocumentHash,
    analysisPlanHash: DocumentHash,
  },
  { additionalProperties: false },
);
export type RegisterTrialRequest = Static<typeof RegisterTrialRequest>;

/**
 * `research:anchorDocument`: a new version of one of the trial's documents. `effectiveFrom`
 * (default: the anchoring time) may not precede the anchoring transaction.
 */
export const AnchorDocumentRequest = Type.Object(
  { trialId: Id, kind: TrialDocumentKindSchema, hash: DocumentHash, effectiveFrom: Type.Optional(IsoDateTime) },
  { additionalProperties: false },
);
export type AnchorDocumentRequest = Static<typeof AnchorDocumentRequest>;

/** `research:depositDocument`: the document itself (transient `document`), for the sponsor's collection. */
export const DepositDocumentRequest = Type.Object({ trialId: Id, kind: TrialDocumentKindSchema, version: field(Type.Integer({ minimum: 1 }), 'The anchored version of that kind the document is (from 1)', 1) }, { additionalProperties: false });
export type DepositDocumentRequest = Static<typeof DepositDocumentRequest>;

/** `research:verifyDocument` (transient `document`): which anchored version, if any, it is. */
export const VerifyDocumentRequest = Type.Object({ trialId: Id, kind: Type.Optional(TrialDocumentKindSchema) }, { additionalProperties: false });
export type VerifyDocumentRequest = Static<typeof VerifyDocumentRequest>;

/** `research:getTrial`, `research:unblindTrial`, `research:closeTrial`. */
export const TrialIdRequest = Type.Object({ trialId: Id }, { additionalProperties: false });
export type TrialIdRequest = Static<typeof TrialIdRequest>;

/** `research:enrolSubject`: `subjectId` is the trial's pseudonymous subject reference. */
export const EnrolSubjectRequest = Type.Object({ trialId: Id, subjectId: Id, patientRef: PatientRef, consentId: Id }, { additionalProperties: false });
export type EnrolSubjectRequest = Static<typeof EnrolSubjectRequest>;

/** `research:withdrawSubject` and `research:getSubject`. */
export const SubjectRequest = Type.Object({ trialId: Id, subjectId: Id }, { additionalProperties: false });
export type SubjectRequest = Static<typeof SubjectRequest>;

/** `research:releaseData`: one subject's records of the given categories. */
export const ReleaseDataRequest = Type.Object(
  { trialId: Id, subjectId: Id, categories: Type.Array(RecordCategorySchema, {
      minItems: 1,
      maxItems: RECORD_CATEGORIES.length,
      uniqueItems: true,
      description: "The record categories to release: every record of the subject's in these categories is decided and logged",
      examples: [['lab-result']],
    }),
  },
  { additionalProperties: false },
);
export type ReleaseDataRequest = Static<typeof ReleaseDataRequest>;

/** `research:countRecords`: no parameters. */
export const CountRecordsRequest = Type.Object({}, { additionalProperties: false });
export type CountRecordsRequest = Static<typeof CountRecordsRequest>;

const HASH_EXAMPLE = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

/** One anchored version of a trial document. */
export const TrialDocumentSchema = Type.Object(
  {
    kind: TrialDocumentKindSchema,
    version: Type.Integer({ description: 'Version of this kind, from 1', examples: [1] }),
    hash: Type.String({ description: 'SHA-256 of the document', examples: [HASH_EXAMPLE] }),
    anchoredAt: Type.String({ description: 'When it was anchored: the transaction time', examples: [STAMP_EXAMPLE.at] }),
    effectiveFrom: Type.String({ description: 'When it takes effect (never before it was anchored)', examples: [STAMP_EXAMPLE.at] }),
    anchoredBy: StampSchema,
  },
  { description: 'An anchored document version' },
);
export type TrialDocument = Static<typeof TrialDocumentSchema>;

/** A registered trial, as the research contract answers it. */
export const TrialSchema = Type.Object(
  {
    trialId: Type.String({ description: 'The trial id', examples: ['trial-1'] }),
    registryId: Type.String({ description: 'External registry id', examples: ['NCT01234567'] }),
    sponsor: Type.String({ description: "The sponsor's MSP id", examples: ['Hospital1MSP'] }),
    sites: Type.Array(Type.String(), { description: 'Enrolling organisations', examples: [['Hospital1MSP', 'Hospital2MSP']] }),
    status: StringEnum(TRIAL_STATUSES, { description: 'active (recruiting, blinded) → unblinded (results anchored, then unblinded) → closed', examples: ['active'] }),
    registered: Type.String({ description: 'Registration time: the transaction time', examples: [STAMP_EXAMPLE.at] }),
    documents: Type.Array(TrialDocumentSchema, { description: 'Every anchored version, in anchoring order' }),
    unblindedAt: Type.Optional(Type.String({ description: 'When it was unblinded (ISO 8601 UTC, the transaction time); set once unblinded', examples: ['2027-06-01T09:00:00.000Z'] })),
    closedAt: Type.Optional(Type.String({ description: 'When it was closed (ISO 8601 UTC, the transaction time); set once closed', examples: ['2027-09-01T09:00:00.000Z'] })),
    updatedBy: StampSchema,
  },
  {
    description: 'A clinical trial (FHIR ResearchStudy, compact)',
    examples: [
      {
        trialId: 'trial-1',
        registryId: 'NCT01234567',
        sponsor: 'Hospital1MSP',
        sites: ['Hospital1MSP', 'Hospital2MSP'],
        status: 'active',
        registered: STAMP_EXAMPLE.at,
        documents: [{ kind: 'protocol', version: 1, hash: HASH_EXAMPLE, anchoredAt: STAMP_EXAMPLE.at, effectiveFrom: STAMP_EXAMPLE.at, anchoredBy: { ...STAMP_EXAMPLE, role: 'researcher' } }],
        updatedBy: { ...STAMP_EXAMPLE, role: 'researcher' },
      },
    ],
  },
);
export type Trial = Static<typeof TrialSchema>;

/** An enrolled (or withdrawn) subject. */
export const SubjectSchema = Type.Object(
  {
    trialId: Type.String({ description: 'The trial id', examples: ['trial-1'] }),
    subjectId: Type.String({ description: "The trial's pseudonymous subject reference", examples: ['subj-001'] }),
    patientRef: Type.String({ description: "The patient's pseudonymous reference", examples: ['pt-0c5f1a9e'] }),
    site: Type.String({ description: 'The enrolling organisation', examples: ['Hospital1MSP'] }),
    consentId: Type.String({ description: 'The research consent enrolment rests on', examples: ['cns-trial-1'] }),
    status: StringEnum(['enrolled', 'withdrawn'], { description: 'enrolled, or withdrawn (no further releases)', examples: ['enrolled'] }),
    enrolledAt: Type.String({ description: 'When the subject was enrolled (ISO 8601 UTC, the transaction time)', examples: [STAMP_EXAMPLE.at] }),
    withdrawnAt: Type.Optional(Type.String({ description: 'When the subject withdrew (ISO 8601 UTC, the transaction time); set once withdrawn', examples: ['2027-01-10T09:00:00.000Z'] })),
    updatedBy: StampSchema,
  },
  {
    description: 'A trial subject (FHIR ResearchSubject, compact)',
    examples: [
      { trialId: 'trial-1', subjectId: 'subj-001', patientRef: 'pt-0c5f1a9e', site: 'Hospital1MSP', consentId: 'cns-trial-1', status: 'enrolled', enrolledAt: STAMP_EXAMPLE.at, updatedBy: { ...STAMP_EXAMPLE, role: 'clinician' } },
    ],
  },
);
export type Subject = Static<typeof SubjectSchema>;

/** What `research:depositDocument` answers. */
export const DepositedDocumentSchema = Type.Object(
  {
    trialId: Type.String({ description: 'The trial id', examples: ['trial-1'] }),
    kind: TrialDocumentKindSchema,
    version: Type.Integer({ description: 'The anchored version of that kind it matched (from 1)', examples: [1] }),
    hash: Type.String({ description: 'The anchored hash the document matched', examples: [HASH_EXAMPLE] }),
  },
  { description: "An anchored document version now kept in the sponsor's private data", examples: [{ trialId: 'trial-1', kind: 'protocol', version: 1, hash: HASH_EXAMPLE }] },
);

/** What `research:verifyDocument` answers. */
export const DocumentVerificationSchema = Type.Object(
  {
    trialId: Type.String({ description: 'The trial id', examples: ['trial-1'] }),
    presentedHash: Type.String({ description: 'SHA-256 of the presented document', examples: [HASH_EXAMPLE] }),
    matches: Type.Boolean({ description: 'Whether it is an anchored version', examples: [true] }),
    kind: Type.Optional(TrialDocumentKindSchema),
    version: Type.Optional(Type.Integer({ description: 'When it matches: the anchored version it is (from 1)', examples: [1] })),
    anchoredAt: Type.Optional(Type.String({ description: 'When it matches: when that version was anchored (ISO 8601 UTC, the transaction time)', examples: [STAMP_EXAMPLE.at] })),
    effectiveFrom: Type.Optional(Type.String({ description: 'When it matches: when that version took effect (ISO 8601 UTC)', examples: [STAMP_EXAMPLE.at] })),
    latest: Type.Optional(Type.Boolean({ description: 'Whether it is the latest version of its kind (false: superseded)', examples: [true] })),
  },
  {
    description: 'A presented trial document checked against the anchored hashes',
    examples: [{ trialId: 'trial-1', presentedHash: HASH_EXAMPLE, matches: true, kind: 'results', version: 1, anchoredAt: STAMP_EXAMPLE.at, effectiveFrom: STAMP_EXAMPLE.at, latest: true }],
  },
);
export type DocumentVerification = Static<typeof DocumentVerificationSchema>;

/** What `research:releaseData` answers: one disclosure entry per record of the categories, granted or denied. */
export const ReleaseSchema = Type.Object(
  {
    trialId: Type.String({ description: 'The trial id', examples: ['trial-1'] }),
    subjectId: Type.String({ description: "The trial's pseudonymous subject reference", examples: ['subj-001'] }),
    disclosures: Type.Array(DisclosureSchema, { description: 'One per record of the requested categories; a granted one opens the read window on the custodian\'s peer' }),
  },
  { description: "A consented data release: the subject's records, each decided and logged", examples: [{ trialId: 'trial-1', subjectId: 'subj-001', disclosures: [] }] },
);
export type Release = Static<typeof ReleaseSchema>;

/** One cell of the aggregate counts. */
export const CountCellSchema = Type.Object(
  {
    category: RecordCategorySchema,
    custodian: Type.String({ description: 'The MSP id of the organisation holding the records', examples: ['Hospital1MSP'] }),
    suppressed: Type.Boolean({ description: `true for a count below ${SMALL_CELL_THRESHOLD}, which is then left out`, examples: [false] }),
    count: Type.Optional(Type.Integer({ description: 'The count, when not suppressed', examples: [42] })),
  },
  { description: 'Records of one category held by one organisation' },
);

/** What `research:countRecords` answers. */
export const RecordCountsSchema = Type.Object(
  {
    threshold: Type.Integer({ description: 'Counts below this are suppressed', examples: [SMALL_CELL_THRESHOLD] }),
    asOf: Type.String({ description: 'The evaluation time', examples: [STAMP_EXAMPLE.at] }),
    cells: Type.Array(CountCellSchema, { description: 'Non-empty cells, by category then custodian' }),
  },
  {
    description: "Counts of records whose patients' consent permits research use, small cells suppressed",
    examples: [{ threshold: SMALL_CELL_THRESHOLD, asOf: STAMP_EXAMPLE.at, cells: [{ category: 'lab-result', custodian: 'Hospital1MSP', suppressed: false, count: 42 }, { category: 'imaging', custodian: 'Hospital2MSP', suppressed: true }] }],
  },
);
export type RecordCounts = Static<typeof RecordCountsSchema>;
