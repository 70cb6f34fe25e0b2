import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './enums';
import { PurposeSchema } from './consent';
import { Id, PageRequest, PatientRef } from './common';
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
export const Sha256Hex = Type.String({ pattern: '^[0-9a-f]{64}$' });

/** Bytes of a private value's salt (transient `salt`, as 64 hex digits). */
export const SALT_BYTES = 32;

/**
 * Transient `salt`: 32 random bytes as hex, new for every private value written. The stored
 * private value is `salt ‖ text`, so the hashes the public ledger keeps of it (Fabric's private
 * data hash, and `contentHash`/`justificationHash`) cannot confirm a guessed text.
 */
export const SaltHex = Type.String({ pattern: `^[0-9a-f]{${SALT_BYTES * 2}}$`, description: 'Random salt of the private value (hex)' });
const Version = Type.Integer({ minimum: 1 });

/**
 * `records:stageContent` (transient `content` carries the record itself) and `records:createRecord`
 * (no transient data; `contentHash` required there).
 */
export const CreateRecordRequest = Type.Object(
  {
    recordId: Id,
    patientRef: PatientRef,
    category: RecordCategorySchema,
    /** SHA-256 of `salt ‖ content` (the stored private value): optional when staging (checked if given), required when creating. */
    contentHash: Type.Optional(Sha256Hex),
    /** The content's media type; default application/json. */
    contentType: Type.Optional(RecordMediaTypeSchema),
  },
  { additionalProperties: false },
);
export type CreateRecordRequest = Static<typeof CreateRecordRequest>;

/** `records:amendRecord` — transient `content` carries the new version. */
export const AmendRecordRequest = Type.Object(
  {
    recordId: Id,
    /** Optimistic check: the version the author amended; RECORD_VERSION_CONFLICT if it moved on. */
    expectedVersion: Type.Optional(Version),
    contentHash: Type.Optional(Sha256Hex),
    /** The new version's media type; default application/json. */
    contentType: Type.Optional(RecordMediaTypeSchema),
  },
  { additionalProperties: false },
);
export type AmendRecordRequest = Static<typeof AmendRecordRequest>;

/** `records:getRecord`. */
export const GetRecordRequest = Type.Object({ recordId: Id }, { additionalProperties: false });
export type GetRecordRequest = Static<typeof GetRecordRequest>;

/** `records:listRecords`. */
export const ListRecordsRequest = Type.Object({ patientRef: PatientRef, ...PageRequest }, { additionalProperties: false });
export type ListRecordsRequest = Static<typeof ListRecordsRequest>;

/** `records:requestAccess`. `emergencyId` names an open break-the-glass access (purpose ETREAT). */
export const RequestAccessRequest = Type.Object(
  { recordId: Id, purpose: PurposeSchema, emergencyId: Type.Optional(Id) },
  { additionalProperties: false },
);
export type RequestAccessRequest = Static<typeof RequestAccessRequest>;

/** `records:readContent`; `version` defaults to the latest. */
export const RecordVersionRequest = Type.Object({ recordId: Id, version: Type.Optional(Version) }, { additionalProperties: false });
export type RecordVersionRequest = Static<typeof RecordVersionRequest>;

/**
 * `records:verifyContent` (transient `content`: the presented copy); `version` defaults to the
 * latest. With `contentType`, a copy of another media type than the version's does not match.
 */
export const VerifyContentRequest = Type.Object(
  { recordId: Id, version: Type.Optional(Version), contentType: Type.Optional(RecordMediaTypeSchema) },
  { additionalProperties: false },
);
export type VerifyContentRequest = Static<typeof VerifyContentRequest>;

/** Why a record's content was erased (a code: free text could carry PHI). */
export const ERASURE_REASONS = ['patient-request', 'entered-in-error', 'retention-expired', 'legal-order'] as const;

/** `records:eraseRecord`. */
export const EraseRecordRequest = Type.Object(
  { recordId: Id, reason: StringEnum(ERASURE_REASONS) },
  { additionalProperties: false },
);
export type EraseRecordRequest = Static<typeof EraseRecordRequest>;
