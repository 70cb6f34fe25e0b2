/**
 * Patient records. Content travels as transient data into the custodian's implicit collection;
 * reading it is two steps — a submitted access request (which logs the disclosure) and an
 * evaluate of `readContent` on the custodian's own peer. Content is bytes plus a media type: JSON
 * and text in JSON bodies, any type as a raw upload on `/records/{id}/content` (content.ts).
 */
import { MAX_CONTENT_BYTES, RECORD_MEDIA_TYPES, RECORDS } from '@healthledger/contract-api';
import type { RouteModule } from '../context';
import { acceptUploads, CONTENT_JSON_BODY_LIMIT } from './content';
import type { Ledger } from '../../fabric/ledger';
import type { FabricUser } from '../../fabric/wallet';
import { registerOperations, parseResult, type Route } from './operation';

const tags = ['records'];

/** The record's custodian: content and salts are only on its peers, so reads and checks are evaluated there. */
async function custodianOf(request: Record<string, unknown>, user: FabricUser, ledger: Ledger): Promise<string[]> {
  const bytes = await ledger.evaluate(user, { fn: RECORDS.getRecord.qualifiedName, args: [JSON.stringify({ recordId: request['recordId'] })] });
  const record = parseResult(bytes) as { custodian?: string } | null;
  return record?.custodian ? [record.custodian] : [user.mspId];
}

/** The API's one convention for a decided access (docs/design/gateway.md, "Outcomes"). */
const DECISION_NOTES =
  'A decision is an answer, not an error: granted or denied, the request is committed to the disclosure log and answers 201 with the entry ' +
  '(`outcome`, and for a denial its `reason`, e.g. `emergency-id-missing` for ETREAT without an `emergencyId`). ' +
  'Only a request that cannot be decided is a problem+json error: an unknown record (404), an erased one (409), invalid input (400).';

const JSON_BODY_NOTES =
  '`content` is a JSON value stored as its JSON text (JSON in, JSON out), or, with `contentType: "text/plain"`, a string stored as UTF-8. ' +
  `Documents (${RECORD_MEDIA_TYPES.filter((t) => t !== 'application/json' && t !== 'text/plain').join(', ')}) are uploaded as the raw body of the \`/records/{recordId}/content\` routes; ` +
  `a document type here is 415. Content above ${MAX_CONTENT_BYTES} bytes (4 MiB) is 413 \`CONTENT_TOO_LARGE\`.`;
const UPLOAD_NOTES =
  `The body is the content itself, stored byte for byte, with \`Content-Type\` its media type (one of: ${RECORD_MEDIA_TYPES.join(', ')}; text and JSON in UTF-8). ` +
  `A type outside the list is 415; bytes that are not a document of the type (a PNG sent as application/pdf, JSON that does not parse) are 400 \`CONTENT_INVALID\`; ` +
  `more than ${MAX_CONTENT_BYTES} bytes (4 MiB) is 413 \`CONTENT_TOO_LARGE\`.`;
const READ_NOTES =
  'The answer is the stored bytes under the media type they were stored with (JSON as JSON, a PDF as application/pdf), ' +
  "with `ETag` (the version's contentHash), `Repr-Digest` (SHA-256 of the bytes) and `Cache-Control: no-store`. Records written before media types were recorded answer as application/json.";

// The content is staged by the custodian alone, then the public entry is endorsed without it.
const jsonBody = { bodyLimit: CONTENT_JSON_BODY_LIMIT, notes: JSON_BODY_NOTES };

/** Routes whose content travels in a JSON body, and the reads. */
export const RECORD_ROUTES: Route[] = [
  { method: 'POST', url: '/records', tx: RECORDS.createRecord, tags, created: '/records/:recordId', ...jsonBody },
  { method: 'POST', url: '/records/:recordId/versions', tx: RECORDS.amendRecord, tags, params: ['recordId'], created: '/records/:recordId', ...jsonBody },
  { method: 'GET', url: '/records/:recordId', tx: RECORDS.getRecord, tags, params: ['recordId'] },
  { method: 'GET', url: '/patients/:patientRef/records', tx: RECORDS.listRecords, tags, params: ['patientRef'], paged: true },
  { method: 'POST', url: '/records/:recordId/access', tx: RECORDS.requestAccess, tags, params: ['recordId'], notes: DECISION_NOTES },
  { method: 'GET', url: '/records/:recordId/content', tx: RECORDS.readContent, tags, params: ['recordId'], endorsers: custodianOf, download: true, notes: READ_NOTES },
  { method: 'POST', url: '/records/:recordId/erasure', tx: RECORDS.eraseRecord, tags, params: ['recordId'], status: 200 },
  // The custodian's peer holds each version's salt, without which a copy cannot be checked.
  { method: 'POST', url: '/records/:recordId/verification', tx: RECORDS.verifyContent, tags, params: ['recordId'], endorsers: custodianOf, ...jsonBody },
];

const upload = { upload: true, bodyLimit: MAX_CONTENT_BYTES, notes: UPLOAD_NOTES };

/** Routes whose body is the content's bytes (any media type), registered in a context that reads every media type raw. */
export const RECORD_UPLOAD_ROUTES: Route[] = [
  {
    method: 'PUT', url: '/records/:recordId/content', tx: RECORDS.createRecord, tags, params: ['recordId'], created: '/records/:recordId', status: 201, ...upload,
    operationId: 'records_uploadRecord', summary: 'Create a record from an uploaded document (the body is the content; the caller organisation becomes its custodian)',
  },
  {
    method: 'POST', url: '/records/:recordId/content', tx: RECORDS.amendRecord, tags, params: ['recordId'], created: '/records/:recordId', ...upload,
    operationId: 'records_uploadVersion', summary: 'Amend a record with an uploaded document (adds a version)',
  },
  {
    method: 'POST', url: '/records/:recordId/content/verification', tx: RECORDS.verifyContent, tags, params: ['recordId'], endorsers: custodianOf, ...upload,
    operationId: 'records_verifyUpload', summary: 'Check an uploaded copy, byte for byte, against the recorded hash (evaluated on the custodian peer)',
  },
];

export const recordRoutes: RouteModule = async (app, ctx) => {
  registerOperations(app, ctx, RECORD_ROUTES);
  // A context of their own: there every record media type, JSON included, is read as raw bytes.
  await app.register((uploads, _options, done) => {
    acceptUploads(uploads);
    registerOperations(uploads, ctx, RECORD_UPLOAD_ROUTES);
    done();
  });
};
