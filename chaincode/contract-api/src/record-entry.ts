/**
 * What the records contract answers: a record's public index entry (metadata and hashes, never
 * content), a version's content after a granted access, and the check of a presented copy.
 */
import { Type, type Static } from '@sinclair/typebox';
import { RecordCategorySchema } from './categories';
import { RecordMediaTypeSchema, recordMediaTypeSchema } from './media-types';
import { STAMP_EXAMPLE, StampSchema } from './stamp';

const hash = (description: string) => Type.String({ pattern: '^[0-9a-f]{64}$', description, examples: ['4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce'] });
/** A hash or null (OpenAPI 3.0's `nullable`, which ajv also reads; a union with `null` has no 3.0 form). */
const hashOrNull = (description: string) =>
  Type.Unsafe<string | null>({ type: 'string', pattern: '^[0-9a-f]{64}$', nullable: true, description, examples: [null] });
const HASH_1 = '4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce';

export const RecordVersionSchema = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'Version number, from 1', examples: [1] }),
    contentHash: hash("SHA-256 of the version's salted content"),
    previousHash: hashOrNull("The previous version's contentHash; null for version 1 (the versions form a hash chain)"),
    contentType: Type.Optional(recordMediaTypeSchema("The version's media type; absent on versions written before media types were recorded, which hold application/json")),
    at: Type.String({ description: 'When the version was written (ISO 8601 UTC)', examples: ['2026-12-05T10:15:00.000Z'] }),
    author: StampSchema,
  },
  { description: 'One version of a record' },
);

export const RecordEntrySchema = Type.Object(
  {
    recordId: Type.String({ description: 'The record id', examples: ['rec-1'] }),
    patientRef: Type.String({ description: "The patient's pseudonymous reference", examples: ['pt-0c5f1a9e'] }),
    custodian: Type.String({ description: 'MSP id of the custodian organisation, which holds the content', examples: ['Hospital1MSP'] }),
    category: RecordCategorySchema,
    version: Type.Integer({ minimum: 1, description: 'The current version', examples: [1] }),
    contentHash: hash("SHA-256 of the current version's salted content"),
    previousHash: hashOrNull('Hash of the previous version; null at version 1'),
    contentType: Type.Optional(recordMediaTypeSchema("The current version's media type; absent on records written before media types were recorded (application/json)")),
    versions: Type.Array(RecordVersionSchema, { description: 'Every version, oldest first' }),
    created: Type.String({ description: 'When the record was created (ISO 8601 UTC)', examples: ['2026-12-05T10:15:00.000Z'] }),
    updated: Type.String({ description: 'When it last changed (ISO 8601 UTC)', examples: ['2026-12-05T10:15:00.000Z'] }),
    erased: Type.Boolean({ description: 'The content was erased (purged); hashes remain', examples: [false] }),
    erasedAt: Type.Optional(Type.String({ description: 'When the content was erased', examples: ['2026-12-06T09:00:00.000Z'] })),
    erasureReason: Type.Optional(Type.String({ description: 'Why it was erased', examples: ['patient-request'] })),
    updatedBy: StampSchema,
  },
  {
    description: "A record's public index entry: metadata and hashes, never content",
    examples: [
      {
        recordId: 'rec-1',
        patientRef: 'pt-0c5f1a9e',
        custodian: 'Hospital1MSP',
        category: 'lab-result',
        version: 1,
        contentHash: HASH_1,
        previousHash: null,
        contentType: 'application/json',
        versions: [{ version: 1, contentHash: HASH_1, previousHash: null, contentType: 'application/json', at: STAMP_EXAMPLE.at, author: STAMP_EXAMPLE }],
        created: STAMP_EXAMPLE.at,
        updated: STAMP_EXAMPLE.at,
        erased: false,
        updatedBy: STAMP_EXAMPLE,
      },
    ],
  },
);

export const RecordContentSchema = Type.Object(
  {
    recordId: Type.String({ description: 'The record id', examples: ['rec-1'] }),
    version: Type.Integer({ minimum: 1, description: 'The version read', examples: [1] }),
    contentHash: hash("SHA-256 of the version's salted content"),
    disclosureId: Type.String({ description: 'The granted disclosure this read relies on', examples: ['3f1e5d7c9b2a4e6f8d0c1b3a5e7f9d2c4b6a8e0f1d3c5b7a9e2f4d6c8b0a1e3f'] }),
    contentType: RecordMediaTypeSchema,
    data: Type.String({ description: 'The stored bytes, base64 (the REST gateway answers them as they are, under contentType)', examples: ['eyJyZXNvdXJjZVR5cGUiOiJPYnNlcnZhdGlvbiJ9'] }),
  },
  { description: "One version's content as the chaincode answers it, read on the custodian's peer after a granted access" },
);

export const RecordVerificationSchema = Type.Object(
  {
    recordId: Type.String({ description: 'The record id', examples: ['rec-1'] }),
    version: Type.Integer({ minimum: 1, description: 'The version checked', examples: [1] }),
    erased: Type.Boolean({ description: 'The content was erased (the recorded hash still checks a copy)', examples: [false] }),
    matches: Type.Boolean({ description: 'The presented copy is the recorded version (its bytes, and its media type when one was given)', examples: [true] }),
    presentedHash: hash('SHA-256 of the salted presented copy'),
    recordedHash: hash("The version's recorded contentHash"),
  },
  { description: 'Whether a presented copy is the recorded version' },
);

/** A record's public index entry as the ledger stores and returns it. */
export type RecordEntry = Static<typeof RecordEntrySchema>;
/** One version of a record's public entry. */
export type RecordVersion = Static<typeof RecordVersionSchema>;
