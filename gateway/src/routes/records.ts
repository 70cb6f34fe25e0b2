/**
 * Patient records. Content travels as transient data into the custodian's implicit collection;
 * reading it is two steps — a submitted access request (which logs the disclosure) and an
 * evaluate of `readContent` on the custodian's own peer.
 */
import { Type } from '@sinclair/typebox';
import {
  AmendRecordRequest,
  CreateRecordRequest,
  EraseRecordRequest,
  GetRecordRequest,
  ListRecordsRequest,
  MAX_CONTENT_BYTES,
  RecordVersionRequest,
  RequestAccessRequest,
} from '@healthledger/chaincode/records/schemas';
import type { RouteModule } from '../app';
import type { Ledger } from '../fabric/ledger';
import type { FabricUser } from '../fabric/wallet';
import { registerOperations, parseResult, type Operation, type TransientField } from './operation';

const tags = ['records'];

/** Record content: a JSON document, or its exact JSON text (kept byte for byte, e.g. when the client hashed it). */
const content = (required: boolean, description: string): TransientField => ({
  name: 'content',
  required,
  description,
  schema: Type.Union([Type.String({ maxLength: MAX_CONTENT_BYTES }), Type.Object({}, { additionalProperties: true })]),
});

/** The record's custodian: content is only on its peers, so content reads are evaluated there. */
async function custodianOf(request: Record<string, unknown>, user: FabricUser, ledger: Ledger): Promise<string[]> {
  const bytes = await ledger.evaluate(user, { fn: 'records:getRecord', args: [JSON.stringify({ recordId: request['recordId'] })] });
  const record = parseResult(bytes) as { custodian?: string } | null;
  return record?.custodian ? [record.custodian] : [user.mspId];
}

export const RECORD_OPERATIONS: Operation[] = [
  {
    method: 'POST', url: '/records', fn: 'records:createRecord', mode: 'submit', request: CreateRecordRequest, tags,
    summary: 'Create a record; the caller organisation becomes its custodian',
    transient: [content(true, 'The record (private: stored only in the custodian organisation)')],
    // The content is staged by the custodian alone, then the public entry is endorsed without it.
    stage: { fn: 'records:stageContent', hashField: 'contentHash', discardFn: 'records:discardStaged' },
  },
  {
    method: 'POST', url: '/records/:recordId/versions', fn: 'records:amendRecord', mode: 'submit', request: AmendRecordRequest, tags,
    params: ['recordId'], summary: 'Amend a record (adds a version)',
    transient: [content(true, 'The new version (private)')],
  },
  {
    method: 'GET', url: '/records/:recordId', fn: 'records:getRecord', mode: 'evaluate', request: GetRecordRequest, tags,
    params: ['recordId'], summary: 'Record metadata (no content)',
  },
  {
    method: 'GET', url: '/patients/:patientRef/records', fn: 'records:listRecords', mode: 'evaluate', request: ListRecordsRequest, tags,
    params: ['patientRef'], paged: true, summary: "A patient's records (metadata)",
  },
  {
    method: 'POST', url: '/records/:recordId/access', fn: 'records:requestAccess', mode: 'submit', request: RequestAccessRequest, tags,
    params: ['recordId'], summary: 'Request access to the content (logs a disclosure, granted or denied)',
  },
  {
    method: 'GET', url: '/records/:recordId/content', fn: 'records:readContent', mode: 'evaluate', request: RecordVersionRequest, tags,
    params: ['recordId'], summary: 'Read content after a granted access (evaluated on the custodian peer)', endorsers: custodianOf,
  },
  {
    method: 'POST', url: '/records/:recordId/erasure', fn: 'records:eraseRecord', mode: 'submit', request: EraseRecordRequest, tags,
    params: ['recordId'], status: 200, summary: "Erase the record's content (Fabric purge); hashes remain",
  },
  {
    method: 'POST', url: '/records/:recordId/verification', fn: 'records:verifyContent', mode: 'evaluate', request: RecordVersionRequest, tags,
    params: ['recordId'], summary: 'Check a presented copy against the recorded hash',
    transient: [content(true, 'The copy to check (private)')],
  },
];

export const recordRoutes: RouteModule = (app, ctx) => registerOperations(app, ctx, RECORD_OPERATIONS);
