/**
 * The media types a record's content may have, and the check that bytes are a document of the
 * type they claim. The chaincode runs the check before it stores a version, and the REST gateway
 * runs the same one before it sends anything, so a mislabelled upload is refused with one answer
 * wherever it is caught. Deterministic (no I/O), as everything in the contract API.
 */
import { StringEnum } from './enums';

/**
 * What a record version may hold: structured JSON, UTF-8 text, and the documents hospitals
 * exchange (PDF reports, PNG and JPEG images, a DICOM Part 10 file). A closed list, because the
 * type sits on the public index entry, like the category: a coarse class, never free text.
 */
export const RECORD_MEDIA_TYPES = ['application/json', 'text/plain', 'application/pdf', 'image/png', 'image/jpeg', 'application/dicom'] as const;
export type RecordMediaType = (typeof RECORD_MEDIA_TYPES)[number];
/** The media type enumeration, described for where it appears. */
export function recordMediaTypeSchema(description: string) {
  return StringEnum(RECORD_MEDIA_TYPES, { description, examples: ['application/json'] });
}
export const RecordMediaTypeSchema = recordMediaTypeSchema('Media type of the content (JSON and text are UTF-8)');

/** Versions written before media types were recorded hold JSON: the only content accepted then. */
export const LEGACY_MEDIA_TYPE: RecordMediaType = 'application/json';

/** The media type of a version (or entry) as stored; absent on versions written before media types. */
export function mediaTypeOf(entry: { contentType?: RecordMediaType | undefined }): RecordMediaType {
  return entry.contentType ?? LEGACY_MEDIA_TYPE;
}

/** True for a media type this ledger stores. */
export function isRecordMediaType(value: string): value is RecordMediaType {
  return (RECORD_MEDIA_TYPES as readonly string[]).includes(value);
}

/** The file signatures that open each binary type ("magic numbers"), at an offset. */
const SIGNATURES: Partial<Record<RecordMediaType, { offset: number; bytes: readonly number[] }>> = {
  'application/pdf': { offset: 0, bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  'image/png': { offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  'image/jpeg': { offset: 0, bytes: [0xff, 0xd8, 0xff] },
  'application/dicom': { offset: 128, bytes: [0x44, 0x49, 0x43, 0x4d] }, // 128-byte preamble, then DICM
};

/**
 * Why `bytes` are not a document of `type`, or undefined when they are: JSON must be UTF-8 JSON,
 * text UTF-8, and a binary document must open with its format's signature (a PDF sent as a PNG is
 * refused, not stored under the wrong type). Says nothing of the content itself.
 */
export function contentProblem(type: RecordMediaType, bytes: Uint8Array): string | undefined {
  if (type === 'application/json' || type === 'text/plain') {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return `${type} content must be UTF-8`;
    }
    if (type === 'text/plain') return undefined;
    try {
      JSON.parse(text);
      return undefined;
    } catch {
      return 'application/json content must be one JSON value';
    }
  }
  const signature = SIGNATURES[type];
  if (!signature) return `no check for ${type}`;
  const { offset, bytes: magic } = signature;
  const matches = bytes.length >= offset + magic.length && magic.every((b, i) => bytes[offset + i] === b);
  return matches ? undefined : `the content is not ${type} (its file signature is missing)`;
}
