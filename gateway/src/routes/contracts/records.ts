/**
 * Patient records. Content travels as transient data into the custodian's implicit collection;
 * reading it is two steps — a submitted access request (which logs the disclosure) and an
 * evaluate of `readContent` on the custodian's own peer.
 */
import { RECORDS } from '@healthledger/contract-api';
import type { RouteModule } from '../context';
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

export const RECORD_ROUTES: Route[] = [
  // The content is staged by the custodian alone, then the public entry is endorsed without it.
  { method: 'POST', url: '/records', tx: RECORDS.createRecord, tags, created: '/records/:recordId' },
  { method: 'POST', url: '/records/:recordId/versions', tx: RECORDS.amendRecord, tags, params: ['recordId'], created: '/records/:recordId' },
  { method: 'GET', url: '/records/:recordId', tx: RECORDS.getRecord, tags, params: ['recordId'] },
  { method: 'GET', url: '/patients/:patientRef/records', tx: RECORDS.listRecords, tags, params: ['patientRef'], paged: true },
  { method: 'POST', url: '/records/:recordId/access', tx: RECORDS.requestAccess, tags, params: ['recordId'], notes: DECISION_NOTES },
  { method: 'GET', url: '/records/:recordId/content', tx: RECORDS.readContent, tags, params: ['recordId'], endorsers: custodianOf },
  { method: 'POST', url: '/records/:recordId/erasure', tx: RECORDS.eraseRecord, tags, params: ['recordId'], status: 200 },
  // The custodian's peer holds each version's salt, without which a copy cannot be checked.
  { method: 'POST', url: '/records/:recordId/verification', tx: RECORDS.verifyContent, tags, params: ['recordId'], endorsers: custodianOf },
];

export const recordRoutes: RouteModule = (app, ctx) => registerOperations(app, ctx, RECORD_ROUTES);
