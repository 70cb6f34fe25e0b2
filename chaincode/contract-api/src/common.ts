import { Type, type TSchema } from '@sinclair/typebox';

/**
 * Schema pieces every contract uses. Ids are opaque, URL-safe and bounded so they can sit in
 * composite keys; they must never carry PHI. Each piece carries a generic description and
 * example; a field says more with {@link describe}.
 */
export const Id = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$',
  description: 'Opaque id chosen by the client: a letter or digit, then up to 127 of letters, digits and `._:-`; it is on the shared ledger, so never PHI',
  examples: ['id-1'],
});
export const PatientRef = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$',
  description: "A patient's pseudonymous reference (the `patient_id` of the patient's certificate), never a name or record number",
  examples: ['pt-0c5f1a9e'],
});
export const MspId = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9]*MSP$', description: "An organisation's Fabric MSP id", examples: ['Hospital1MSP'] });
export const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A calendar date, `YYYY-MM-DD`', examples: ['2026-12-05'] });
export const IsoDateTime = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$',
  description: 'A date and time, ISO 8601 with `Z` or an offset',
  examples: ['2026-12-05T10:15:00.000Z'],
});
export const Bookmark = Type.String({ maxLength: 1024, description: "The ledger's page bookmark from the previous page" });
export const PageSize = Type.Integer({ minimum: 1, maximum: 100, description: 'Page size (default 20)', examples: [20] });

/** Pagination fields for list requests. */
export const PageRequest = {
  pageSize: Type.Optional(PageSize),
  bookmark: Type.Optional(Bookmark),
};

export const DEFAULT_PAGE_SIZE = 20;

/**
 * `schema` with a field's own description (and example): the OpenAPI document shows it for that
 * field. Annotations only: validation is the schema's.
 */
export function field<T extends TSchema>(schema: T, description: string, example?: unknown): T {
  return { ...schema, description, ...(example === undefined ? {} : { examples: [example] }) };
}
