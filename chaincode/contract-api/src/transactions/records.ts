/** The records contract: patient records, content in the custodian's implicit collection. */
import { Type } from '@sinclair/typebox';
import {
  AmendRecordRequest,
  CreateRecordRequest,
  EraseRecordRequest,
  GetRecordRequest,
  ListRecordsRequest,
  MAX_CONTENT_BYTES,
  RecordVersionRequest,
  RequestAccessRequest,
  SaltHex,
  VerifyContentRequest,
} from '../records';
import { DisclosureSchema } from '../disclosures';
import { RecordContentSchema, RecordEntrySchema, RecordVerificationSchema } from '../record-entry';
import { defineContract, type TransientSpec } from './spec';

/**
 * Record content, typed by the request's `contentType` (default application/json). In a JSON
 * body it is a JSON value (stored as its JSON text: JSON in, JSON out) or, for text/plain, a
 * string (stored as UTF-8); any type, binary documents included, can also be sent as the raw body
 * of an upload route. At most {@link MAX_CONTENT_BYTES} bytes as stored.
 */
const content = (description: string): TransientSpec => ({
  name: 'content',
  required: true,
  description: `${description}. A JSON value for application/json (the default \`contentType\`), a string for text/plain; documents (PDF, images, DICOM) are uploaded as the raw body of the \`/content\` routes. At most ${MAX_CONTENT_BYTES} bytes`,
  schema: Type.Unknown(),
  typedBy: 'contentType',
});

/** The salt of a private value written by the transaction (see {@link SaltHex}). */
export const SALT: TransientSpec = {
  name: 'salt',
  required: true,
  supplier: 'random-salt',
  schema: SaltHex,
  description: 'Random salt of the private value, new per write; the gateway draws it',
};

const PROVIDER_AUTHORS = { roles: ['clinician', 'records-admin'], orgKinds: ['provider'], rule: 'clinician or records-admin of a provider organisation' } as const;
const RECORD_READERS = {
  roles: ['auditor', 'clinician', 'records-admin', 'patient'],
  rule: 'auditors; clinicians and records-admins of provider organisations; the patient or a delegate',
} as const;

export const RECORDS = defineContract('records', {
  stageContent: {
    mode: 'submit', request: CreateRecordRequest, callers: PROVIDER_AUTHORS,
    transient: [content('The record (private: stored only in the custodian organisation)'), SALT],
    summary: "Step one of creating a record: stores the content in the caller organisation's implicit collection, nothing public",
  },
  discardStaged: {
    mode: 'submit', request: CreateRecordRequest, callers: PROVIDER_AUTHORS,
    summary: 'Purges content staged for a record that was never created',
  },
  createRecord: {
    mode: 'submit', request: CreateRecordRequest, callers: PROVIDER_AUTHORS,
    stagedBy: { stage: 'stageContent', hashField: 'contentHash', discard: 'discardStaged' },
    summary: 'Create a record; the caller organisation becomes its custodian',
    result: RecordEntrySchema,
  },
  amendRecord: {
    mode: 'submit', request: AmendRecordRequest,
    callers: { roles: ['clinician', 'records-admin'], rule: 'clinician or records-admin of the custodian' },
    transient: [content('The new version (private)'), SALT],
    summary: 'Amend a record (adds a version)',
    result: RecordEntrySchema,
  },
  getRecord: {
    mode: 'evaluate', request: GetRecordRequest,
    callers: { rule: `${RECORD_READERS.rule}; whoever holds a granted access to the record in its read window` },
    summary: 'Record metadata (no content)',
    result: RecordEntrySchema,
  },
  listRecords: { mode: 'evaluate', request: ListRecordsRequest, callers: RECORD_READERS, summary: "A patient's records (metadata)", items: RecordEntrySchema },
  requestAccess: {
    mode: 'submit', request: RequestAccessRequest, callers: { rule: 'any identity; the decision (granted or denied) is logged as a disclosure' },
    summary: 'Request access to the content (logs a disclosure, granted or denied)',
    result: DisclosureSchema,
  },
  readContent: {
    mode: 'evaluate', request: RecordVersionRequest,
    callers: { rule: 'whoever holds a granted access to the record in its read window; evaluated on the custodian peer' },
    summary: 'Read content after a granted access (evaluated on the custodian peer)',
    result: RecordContentSchema,
  },
  eraseRecord: {
    mode: 'submit', request: EraseRecordRequest, callers: { roles: ['records-admin'], rule: 'records-admin of the custodian' },
    summary: "Erase the record's content (Fabric purge); hashes remain",
    result: RecordEntrySchema,
  },
  verifyContent: {
    mode: 'evaluate', request: VerifyContentRequest, callers: RECORD_READERS,
    transient: [content('The copy to check (private)')],
    summary: "Check a presented copy against the recorded hash (evaluated on the custodian peer, which holds the version's salt)",
    result: RecordVerificationSchema,
  },
});
