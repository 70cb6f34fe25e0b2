/** The audit contract: the history of any asset, and a patient's accounting of disclosures. */
import { AccountingRequest, HistoryRequest } from '@healthledger/chaincode/audit/schemas';
import type { RouteModule } from '../app';
import { registerOperations, type Operation } from './operation';

const tags = ['audit'];

export const AUDIT_OPERATIONS: Operation[] = [
  {
    method: 'GET', url: '/audit/history/:assetType/:id', fn: 'audit:history', mode: 'evaluate', request: HistoryRequest, tags,
    params: ['assetType', 'id'], paged: true, summary: 'History of an asset, newest first (pack: id = GTIN, serial in the query)',
  },
  {
    method: 'GET', url: '/patients/:patientRef/disclosures', fn: 'audit:accountingOfDisclosures', mode: 'evaluate', request: AccountingRequest,
    tags, params: ['patientRef'], paged: true, summary: 'Accounting of disclosures of a patient\'s records in [from, to]',
  },
];

export const auditRoutes: RouteModule = (app, ctx) => registerOperations(app, ctx, AUDIT_OPERATIONS);
