import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './enums';
import { field, Id, IsoDate, IsoDateTime, PageSize, PatientRef } from './common';
import { STAMP_EXAMPLE, StampSchema } from './stamp';

/**
 * Asset types whose history the audit contract serves, with their state keys:
 * `key(type, id)`, except `pack`: `key('pack', gtin14, serial)`.
 */
export const ASSET_TYPES = ['record', 'consent', 'coverage', 'claim', 'product', 'pack', 'container', 'shipment', 'emergency', 'trial'] as const;
export type AssetType = (typeof ASSET_TYPES)[number];

/**
 * Bookmark of the audit contract's own pagination: the number of items already returned, as a
 * decimal string ('' = from the start). Key history and time windows cannot use Fabric's
 * key-based bookmarks, so pages are counted.
 */
export const CountBookmark = Type.String({ pattern: '^[0-9]{0,9}$', description: 'Items already returned, as a decimal string' });

/** `audit:history`. `serial` is required for `pack` (id = GTIN-14) and refused otherwise. */
export const HistoryRequest = Type.Object(
  {
    assetType: StringEnum(ASSET_TYPES, { description: 'The kind of asset' }),
    id: field(Id, "The asset's id (a pack: its GTIN-14)", 'rec-1'),
    serial: Type.Optional(Type.String({ pattern: '^[!-~]{1,20}$', description: "A pack's serial (only for assetType pack)", examples: ['P0001'] })),
    pageSize: Type.Optional(PageSize),
    bookmark: Type.Optional(CountBookmark),
  },
  { additionalProperties: false },
);
export type HistoryRequest = Static<typeof HistoryRequest>;

const DateOrDateTime = (description: string, example: string) => Type.Union([IsoDate, IsoDateTime], { description, examples: [example] });

/**
 * `audit:accountingOfDisclosures`: a patient's disclosures with `recorded` in [from, to], both
 * inclusive; a date-only `to` covers its whole day (UTC).
 */
export const AccountingRequest = Type.Object(
  {
    patientRef: field(PatientRef, 'The patient'),
    from: DateOrDateTime('Earliest `recorded` time, inclusive: a date (from 00:00 UTC) or an instant', '2026-01-01'),
    to: DateOrDateTime('Latest `recorded` time, inclusive: a date (to the end of that day, UTC) or an instant', '2026-12-31'),
    pageSize: Type.Optional(PageSize),
    bookmark: Type.Optional(CountBookmark),
  },
  { additionalProperties: false },
);
export type AccountingRequest = Static<typeof AccountingRequest>;

/** `audit:getDisclosure`: one disclosure entry by its id (the transaction id of the access request). */
export const GetDisclosureRequest = Type.Object({ disclosureId: field(Id, 'The disclosure id: the transaction id of the access request', '3f1e5d7c9b2a4e6f8d0c1b3a5e7f9d2c4b6a8e0f1d3c5b7a9e2f4d6c8b0a1e3f') }, { additionalProperties: false });
export type GetDisclosureRequest = Static<typeof GetDisclosureRequest>;

/** One committed change of an asset, as `audit:history` answers it (newest first). */
export const HistoryEntrySchema = Type.Object(
  {
    txId: Type.String({ description: 'The transaction that wrote it', examples: [STAMP_EXAMPLE.txId] }),
    time: Type.String({ description: 'Transaction time (ISO 8601 UTC)', examples: [STAMP_EXAMPLE.at] }),
    isDelete: Type.Boolean({ description: 'The change deleted the key', examples: [false] }),
    value: Type.Unknown({ description: 'The value written (the asset as its contract answers it); null for a delete', examples: [{ recordId: 'rec-1', version: 1 }] }),
    actor: Type.Unsafe<Static<typeof StampSchema> | null>({ ...StampSchema, nullable: true, description: "Who wrote it: the value's `updatedBy` stamp; null if none", examples: [STAMP_EXAMPLE] }),
  },
  { description: 'One committed change of the asset' },
);
