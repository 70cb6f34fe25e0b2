/**
 * Record content at the REST edge: bytes plus a media type. The chaincode stores the bytes it is
 * given (the hash covers them as stored); this module decides which bytes those are.
 *
 * - In a JSON body, `content` is a JSON value stored as its JSON text (`JSON.stringify`, so a
 *   string is a JSON string: JSON in, JSON out), or, with `contentType: "text/plain"`, a string
 *   stored as UTF-8. Documents are not accepted in JSON bodies (base64 in JSON helps nobody).
 * - An upload route takes the raw body as the bytes, exactly, and `Content-Type` as their media
 *   type: JSON kept byte for byte (whitespace, key order, decimal precision), text, PDF, images,
 *   DICOM.
 * - `GET /records/{id}/content` answers the stored bytes under their media type, with the
 *   version's hash as `ETag` and the bytes' SHA-256 as `Repr-Digest`.
 */
import { createHash } from 'node:crypto';
import { isRecordMediaType, MAX_CONTENT_BYTES, RECORD_MEDIA_TYPES, type RecordMediaType } from '@healthledger/contract-api';
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { HttpProblem } from '../../errors/problem';

/** Media types whose content a JSON body may carry; documents are uploaded raw. */
const IN_JSON_BODY: readonly RecordMediaType[] = ['application/json', 'text/plain'];

/** The body limit of a route that carries content in a JSON body: the content, escaped, plus the envelope. */
export const CONTENT_JSON_BODY_LIMIT = 2 * MAX_CONTENT_BYTES + 64 * 1024;

const tooLarge = (bytes: number) => new HttpProblem('CONTENT_TOO_LARGE', `Record content is at most ${MAX_CONTENT_BYTES} bytes (${MAX_CONTENT_BYTES / (1024 * 1024)} MiB); this is ${bytes}`);

/** Refuses content above the documented maximum (413) before anything reaches the ledger. */
export function checkContentSize(bytes: Uint8Array): void {
  if (bytes.length > MAX_CONTENT_BYTES) throw tooLarge(bytes.length);
}

/**
 * The bytes of a JSON body's typed field (`content`, typed by `contentType`): a JSON value as its
 * JSON text; for text/plain, a string as UTF-8. A document type is refused with 415: it is
 * uploaded as a raw body.
 */
export function encodeTypedValue(field: string, value: unknown, type: unknown): Buffer {
  const mediaType = type ?? 'application/json';
  if (typeof mediaType !== 'string' || !isRecordMediaType(mediaType)) throw new HttpProblem('BAD_REQUEST', `Unknown media type`);
  if (!IN_JSON_BODY.includes(mediaType)) {
    throw new HttpProblem('UNSUPPORTED_MEDIA_TYPE', `${mediaType} content is uploaded as the raw body of PUT or POST /records/{recordId}/content, not in a JSON body`);
  }
  if (mediaType === 'text/plain') {
    if (typeof value !== 'string') throw new HttpProblem('BAD_REQUEST', `${field} must be a string for text/plain`, {}, [{ pointer: `/body/${field}`, detail: 'must be a string for text/plain' }]);
    return Buffer.from(value, 'utf8');
  }
  return Buffer.from(JSON.stringify(value), 'utf8');
}

/** The media type named by a `Content-Type` header, parameters dropped; text must be UTF-8. */
export function uploadedMediaType(header: string | undefined): RecordMediaType {
  const [essence = '', ...params] = (header ?? '').split(';').map((p) => p.trim().toLowerCase());
  if (!isRecordMediaType(essence)) throw unsupported();
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') throw new HttpProblem('UNSUPPORTED_MEDIA_TYPE', 'Text and JSON content must be UTF-8');
  return essence;
}

const unsupported = () => new HttpProblem('UNSUPPORTED_MEDIA_TYPE', `Record content is one of: ${RECORD_MEDIA_TYPES.join(', ')}`);

/** The raw body of an upload as bytes (an empty body is zero bytes). */
export function uploadedBytes(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(body)) return body;
  throw unsupported();
}

/** What an upload route documents as its body: any of the media types, as bytes. */
export function uploadBodySchema(): TSchema {
  return Type.Unsafe({ description: `The content's bytes, exactly as they are to be stored, under its media type as Content-Type (one of: ${RECORD_MEDIA_TYPES.join(', ')}); at most ${MAX_CONTENT_BYTES} bytes` });
}

/**
 * The upload routes' context: every record media type is read as raw bytes (JSON too, so it is
 * kept byte for byte), at most the content limit; a body over it is 413 CONTENT_TOO_LARGE and an
 * unknown type 415 naming the accepted ones. Other errors go on to the problem handler.
 */
export function acceptUploads(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser([...RECORD_MEDIA_TYPES], { parseAs: 'buffer', bodyLimit: MAX_CONTENT_BYTES }, (_request, body, done) => done(null, body));
  app.setErrorHandler((err: FastifyError) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw new HttpProblem('CONTENT_TOO_LARGE', `Record content is at most ${MAX_CONTENT_BYTES} bytes`);
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') throw unsupported();
    throw err;
  });
}

/** A `records:readContent` answer: the version's metadata and its bytes (base64). */
interface ContentAnswer {
  version: number;
  contentHash: string;
  disclosureId: string;
  contentType: RecordMediaType;
  data: string;
}

/** Headers the content answer carries besides its type (documented in the OpenAPI response). */
export const CONTENT_HEADERS = {
  etag: 'The version\'s contentHash, quoted: the salted hash the ledger records',
  'repr-digest': 'SHA-256 of the bytes sent (RFC 9530: sha-256=:<base64>:), for a transfer check',
  'x-record-version': 'The version read',
  'x-disclosure-id': 'The granted disclosure this read relies on',
  'cache-control': 'no-store: record content is not to be kept by caches',
} as const;

/** Sends the stored bytes under their media type, with the version's hash and the bytes' digest. */
export function sendContent(reply: FastifyReply, answer: unknown): FastifyReply {
  const { version, contentHash, disclosureId, contentType, data } = answer as ContentAnswer;
  const bytes = Buffer.from(data, 'base64');
  const type = contentType === 'text/plain' ? 'text/plain; charset=utf-8' : contentType;
  return reply
    .code(200)
    .headers({
      'content-type': type,
      etag: `"${contentHash}"`,
      'repr-digest': `sha-256=:${createHash('sha256').update(bytes).digest('base64')}:`,
      'x-record-version': String(version),
      'x-disclosure-id': disclosureId,
      'cache-control': 'no-store',
    })
    .send(bytes);
}

/**
 * One example of content per media type, as the OpenAPI document shows it: JSON as the value, text
 * as the string, and a binary type as the text form of its first bytes (its signature) with what
 * follows elided — the document cannot carry the bytes themselves.
 */
export const CONTENT_EXAMPLES: Readonly<Record<RecordMediaType, unknown>> = {
  'application/json': { resourceType: 'Observation', code: { text: 'HbA1c' }, valueQuantity: { value: 7.1, unit: '%' } },
  'text/plain': 'Patient seen; BP 120/80.',
  'application/pdf': '%PDF-1.7\n%âãÏÓ\n1 0 obj … %%EOF',
  'image/png': '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR …',
  'image/jpeg': '\u00ff\u00d8\u00ff\u00e0\u0000\u0010JFIF\u0000 …',
  'application/dicom': '(128-byte preamble)DICM\u0002\u0000\u0000\u0000UL …',
};

/** The OpenAPI answer of the content read: one entry per media type, each with its example, the headers described. */
export function contentResponseSchema(): Record<string, unknown> {
  const content = Object.fromEntries(
    RECORD_MEDIA_TYPES.map((type) => [
      type,
      { schema: { description: type === 'application/json' ? 'The stored JSON document, as it was stored' : `The stored ${type} bytes`, example: CONTENT_EXAMPLES[type] } },
    ]),
  );
  const headers = Object.fromEntries(Object.entries(CONTENT_HEADERS).map(([name, description]) => [name, { type: 'string', description }]));
  return { description: 'The version\'s content: exactly the stored bytes, under the media type they were stored with', headers, content };
}
