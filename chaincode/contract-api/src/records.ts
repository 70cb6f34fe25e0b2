import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './enums';
import { PurposeSchema } from './consent';
import { field, Id, PageRequest, PatientRef } from './common';
import { RecordCategorySchema } from './categories';
import { RecordMediaTypeSchema } from './media-types';

export { RECORD_CATEGORIES, RecordCategorySchema, type RecordCategory } from './categories';

/**
 * Largest record content (the bytes of one version, transient key `content`): 4 MiB. It travels
 * in the proposal to the custodian's peers and back in a read's answer, far below gRPC's 100 MiB
 * message limit on every hop, and keeps one version's private write and read quick. A document
 * bigger than this (a whole imaging study) belongs in the hospital's archive, referenced by a record.
 */
export const MAX_CONTENT_BYTES = 4 * 1024 * 1024;

/** SHA-256 as 64 lowercase hex digits. */
export const Sha256Hex = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256, 64 lowercase hex digits', examples: ['4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce'] });

/** Bytes of a private value's salt (transient `salt`, as 64 hex digits). */
export const SALT_BYTES = 32;

/**
 * Transient `salt`: 32 random bytes as hex, new for every private value written. The stored
 * private value is `salt ‖ text`, so the hashes the public ledger keeps of it (Fabric's private
 * data hash, and `contentHash`/`justificationHash`) cannot confirm a guessed text.
 */
export const SaltHex = Type.String({ pattern: `^[0-9a-f]{${SALT_BYTES * 2}}$`, description: 'Random salt of the private value (hex)' });
const Version = Type.Integer({ minimum: 1, description: 'A version number, from 1', examples: [1] });
const RecordId = field(Id, 'The record id, chosen by the author (never PHI)', 'rec-1');
const ContentHash = field(Sha256Hex, 'SHA-256 of `salt ‖ content` as staged. A REST client leaves it out: the gateway stages the content under a salt it draws and fills this in');

/**
 * `records:stageContent` (transient `content` carries the record itself) and `records:createRecord`
 * (no transient data; `contentHash` required there).
 */
export const CreateRecordRequest = Type.Object(
  {
    recordId: RecordId,
    patientRef: field(PatientRef, 'The patient the record is about'),
    category: RecordCategorySchema,
    /** SHA-256 of `salt ‖ content` (the stored private value): optional when staging (checked if given), required when creating. */
    contentHash: Type.Optional(ContentHash),
    contentType: Type.Optional(field(RecordMediaTypeSchema, "The content's media type; default application/json", 'application/json')),
  },
  { additionalProperties: false },
);
export type CreateRecordRequest = Static<typeof CreateRecordRequest>;

/** `records:amendRecord` — transient `content` carries the new version. */
export const AmendRecordRequest = Type.Object(
  {
    recordId: RecordId,
    /** Optimistic check: the version the author amended; RECORD_VERSION_CONFLICT if it moved on. */
    expectedVersion: Type.Optional(field(Version, 'The version the author amended; if the record moved on since, 409 RECORD_VERSION_CONFLICT', 1)),
    contentHash: Type.Optional(ContentHash),
    contentType: Type.Optional(field(RecordMediaTypeSchema, "The new version's media type; default application/json", 'application/json')),
  },
  { additionalProperties: false },
);
export type AmendRecordRequest = Static<typeof AmendRecordRequest>;

/** `records:getRecord`. */
export const GetRecordRequest = Type.Object({ recordId: RecordId }, { additionalProperties: false });
export type GetRecordRequest = Static<typeof GetRecordRequest>;

/** `records:listRecords`. */
export const ListRecordsRequest = Type.Object({ patientRef: field(PatientRef, 'The patient whose records to list'), ...PageRequest }, { additionalProperties: false });
export type ListRecordsRequest = Static<typeof ListRecordsRequest>;

/** `records:requestAccess`. `emergencyId` names an open break-the-glass access (purpose ETREAT). */
export const RequestAccessRequest = Type.Object(
  {
    recordId: RecordId,
    purpose: PurposeSchema,
    emergencyId: Type.Optional(field(Id, 'For ETREAT: the break-the-glass access opened first (POST /emergencies)', 'em-1')),
  },
  { additionalProperties: false },
);
export type RequestAccessRequest = Static<typeof RequestAccessRequest>;

/** `records:readContent`; `version` defaults to the latest. */
export const RecordVersionRequest = Type.Object({ recordId: RecordId, version: Type.Optional(field(Version, 'The version; default the latest', 1)) }, { additionalProperties: false });
export type RecordVersionRequest = Static<typeof RecordVersionRequest>;

/**
 * `records:verifyContent` (transient `content`: the presented copy); `version` defaults to the
 * latest. With `contentType`, a copy of another media type than the version's does not match.
 */
export const VerifyContentRequest = Type.Object(
  {
    recordId: RecordId,
    version: Type.Optional(field(Version, 'The version; default the latest', 1)),
    contentType: Type.Optional(field(RecordMediaTypeSchema, "The presented copy's media type; another type than the version's does not match", 'application/pdf')),
  },
  { additionalProperties: false },
);
export type VerifyContentRequest = Static<typeof VerifyContentRequest>;

/** Why a record's content was erased (a code: free text could carry PHI). */
export const ERASURE_REASONS = ['patient-request', 'entered-in-error', 'retention-expired', 'legal-order'] as const;

/** `records:eraseRecord`. */
export const EraseRecordRequest = Type.Object(
  { recordId: RecordId, reason: StringEnum(ERASURE_REASONS, { description: 'Why the content is erased (a code: free text could carry PHI)' }) },
  { additionalProperties: false },
);
export type EraseRecordRequest = Static<typeof EraseRecordRequest>;
