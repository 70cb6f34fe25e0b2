/** The audit contract: the history of any asset, a patient's accounting of disclosures, and one disclosure. */
import { AUDIT } from '@healthledger/contract-api';
import type { RouteModule } from '../context';
import { EXPORT, registerOperations, type Route } from './operation';

const tags = ['audit'];

export const AUDIT_ROUTES: Route[] = [
  { method: 'GET', url: '/audit/history/:assetType/:id', tx: AUDIT.history, tags, params: ['assetType', 'id'], paged: true, async: EXPORT },
  { method: 'GET', url: '/patients/:patientRef/disclosures', tx: AUDIT.accountingOfDisclosures, tags, params: ['patientRef'], paged: true, async: EXPORT },
  { method: 'GET', url: '/disclosures/:disclosureId', tx: AUDIT.getDisclosure, tags, params: ['disclosureId'] },
];

export const auditRoutes: RouteModule = (app, ctx) => registerOperations(app, ctx, AUDIT_ROUTES);
