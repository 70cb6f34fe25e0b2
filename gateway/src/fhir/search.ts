/**
 * Search parameters: their route schemas (strict — an unknown parameter is a 400, FHIR's
 * "strict" handling) and their reading. `patient` takes `Patient/<ref>` or the bare ref; `_count`
 * is the page size (1–100, default 20); `_cursor` is the opaque cursor of a `next` link.
 */
import { StringEnum, DEFAULT_PAGE_SIZE } from '@healthledger/contract-api';
import { Type, type TProperties, type TSchema } from '@sinclair/typebox';
import { HttpProblem } from '../errors/problem';
import { decodeCursor, encodeCursor } from '../http/cursor';

/** A patient search value: `Patient/<pseudonymous ref>` or the ref alone. */
export const PatientParam = Type.String({ pattern: '^(Patient/)?[A-Za-z0-9][A-Za-z0-9._-]{2,63}$', description: 'Patient/<pseudonymous ref>' });

/** FHIR date search values with a prefix: `ge2024-01-01`, `le2024-12-31T23:59:59Z`, or an exact date. */
export const DateParam = Type.String({
  pattern: '^(eq|ge|le|gt|lt)?\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
});

/** `_format`, which FHIR clients send on any interaction: JSON is all this interface speaks. */
export const FORMAT = { _format: Type.Optional(StringEnum(['json', 'application/json', 'application/fhir+json'], { description: 'FHIR _format: JSON only (the answer is application/fhir+json either way)' })) };

/** Paging parameters every search takes. */
export const PAGING = {
  ...FORMAT,
  _count: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Page size' })),
  _cursor: Type.Optional(Type.String({ maxLength: 2048, description: 'From the next link of the previous page' })),
};

/** A strict querystring schema: the parameters given plus paging. */
export function searchQuery(params: TProperties): TSchema {
  return Type.Object({ ...params, ...PAGING }, { additionalProperties: false });
}

/** The patient ref of a validated `patient` parameter. */
export function patientParam(value: string): string {
  return value.startsWith('Patient/') ? value.slice('Patient/'.length) : value;
}

export interface Paging {
  _count?: number;
  _cursor?: string;
}

/** The chaincode's page request from `_count` and `_cursor`. */
export function pageRequest(q: Paging): { pageSize: number; bookmark?: string } {
  const bookmark = decodeCursor(q._cursor);
  return { pageSize: q._count ?? DEFAULT_PAGE_SIZE, ...(bookmark === undefined ? {} : { bookmark }) };
}

/** The `_cursor` of the next page, from the chaincode's bookmark. */
export function nextCursor(bookmark: string | undefined): string | undefined {
  return encodeCursor(bookmark);
}

/**
 * A search over several ledger lists in turn (a claim search over every claim status): the
 * cursor carries the list's index with its bookmark, so each page reads one ledger page.
 */
export function multiListPosition(q: Paging, lists: number): { list: number; bookmark?: string } {
  const decoded = decodeCursor(q._cursor);
  if (decoded === undefined) return { list: 0 };
  const m = /^([0-9]{1,2})\|(.*)$/s.exec(decoded);
  const list = m ? Number(m[1]) : NaN;
  if (!m || list >= lists) throw new HttpProblem('INVALID_CURSOR', 'The cursor is not one this search issued');
  return { list, ...(m[2] ? { bookmark: m[2] } : {}) };
}

/** The cursor after reading list `list`, which answered `bookmark`. */
export function multiListNext(list: number, bookmark: string | undefined, lists: number): string | undefined {
  if (bookmark) return encodeCursor(`${list}|${bookmark}`);
  return list + 1 < lists ? encodeCursor(`${list + 1}|`) : undefined;
}

/** The window of an AuditEvent `date` search: `ge`/`gt` bound the start, `le`/`lt` the end, a bare or `eq` date both. */
export function dateWindow(values: string[] | undefined): { from: string; to: string } {
  let from = '1970-01-01';
  let to = '9999-12-31';
  for (const value of values ?? []) {
    const prefix = /^(eq|ge|le|gt|lt)/.exec(value)?.[1] ?? 'eq';
    const date = value.replace(/^(eq|ge|le|gt|lt)/, '');
    if (prefix === 'ge' || prefix === 'gt' || prefix === 'eq') from = date;
    if (prefix === 'le' || prefix === 'lt' || prefix === 'eq') to = date;
  }
  return { from, to };
}
