/** The audit contract: the history of any asset, and a patient's accounting of disclosures. */
import { AUDIT } from '@healthledger/contract-api';
import type { RouteModule } from '../context';
import { registerOperations, type Route } from './operation';

const tags = ['audit'];

export const AUDIT_ROUTES: Route[] = [
  { method: 'GET', url: '/audit/history/:assetType/:id', tx: AUDIT.history, tags, params: ['assetType', 'id'], paged: true },
  { method: 'GET', url: '/patients/:patientRef/disclosures', tx: AUDIT.accountingOfDisclosures, tags, params: ['patientRef'], paged: true },
];

export const auditRoutes: RouteModule = (app, ctx) => registerOperations(app, ctx, AUDIT_ROUTES);
