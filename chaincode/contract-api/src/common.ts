import { Type } from '@sinclair/typebox';

/**
 * Schema pieces every contract uses. Ids are opaque, URL-safe and bounded so they can sit in
 * composite keys; they must never carry PHI.
 */
export const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' });
export const PatientRef = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$' });
export const MspId = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]*MSP$' });
export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
export const IsoDateTime = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$',
});
export const Bookmark = Type.String({ maxLength: 1024 });
export const PageSize = Type.Integer({ minimum: 1, maximum: 100 });

/** Pagination fields for list requests. */
export const PageRequest = {
  pageSize: Type.Optional(PageSize),
  bookmark: Type.Optional(Bookmark),
};

export const DEFAULT_PAGE_SIZE = 20;
