import { Type, type Static } from '@sinclair/typebox';
import { StringEnum } from './enums';
import { Id, IsoDate, IsoDateTime, PageSize, PatientRef } from './common';

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
export const CountBookmark = Type.String({ pattern: '^[0-9]{0,9}$' });

/** `audit:history`. `serial` is required for `pack` (id = GTIN-14) and refused otherwise. */
export const HistoryRequest = Type.Object(
  {
    assetType: StringEnum(ASSET_TYPES),
    id: Id,
    serial: Type.Optional(Type.String({ pattern: '^[!-~]{1,20}$' })),
    pageSize: Type.Optional(PageSize),
    bookmark: Type.Optional(CountBookmark),
  },
  { additionalProperties: false },
);
export type HistoryRequest = Static<typeof HistoryRequest>;

const DateOrDateTime = Type.Union([IsoDate, IsoDateTime]);

/**
 * `audit:accountingOfDisclosures`: a patient's disclosures with `recorded` in [from, to], both
 * inclusive; a date-only `to` covers its whole day (UTC).
 */
export const AccountingRequest = Type.Object(
  {
    patientRef: PatientRef,
    from: DateOrDateTime,
    to: DateOrDateTime,
    pageSize: Type.Optional(PageSize),
    bookmark: Type.Optional(CountBookmark),
  },
  { additionalProperties: false },
);
export type AccountingRequest = Static<typeof AccountingRequest>;

/** `audit:getDisclosure`: one disclosure entry by its id (the transaction id of the access request). */
export const GetDisclosureRequest = Type.Object({ disclosureId: Id }, { additionalProperties: false });
export type GetDisclosureRequest = Static<typeof GetDisclosureRequest>;
