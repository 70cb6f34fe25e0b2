/**
 * Every contract's REST resources, one encapsulated plugin per contract (so trace's JSON-LD
 * parser, for one, serves the traceability routes only).
 */
import type { RouteModule } from '../context';
import { AUDIT_ROUTES, auditRoutes } from './audit';
import { CLAIM_ROUTES, claimRoutes } from './claims';
import { CONSENT_ROUTES, consentRoutes } from './consent';
import type { Route } from './operation';
import { RECORD_ROUTES, RECORD_UPLOAD_ROUTES, recordRoutes } from './records';
import { RESEARCH_ROUTES, researchRoutes } from './research';
import { COMMISSION_BULK, TRACE_ROUTES, traceRoutes } from './trace';

/** Every route that names a catalogue transaction (what `GET /me` chooses from). */
export const CONTRACT_ROUTE_TABLE: readonly Route[] = [...RECORD_ROUTES, ...RECORD_UPLOAD_ROUTES, ...CONSENT_ROUTES, ...CLAIM_ROUTES, ...TRACE_ROUTES, COMMISSION_BULK, ...AUDIT_ROUTES, ...RESEARCH_ROUTES];

/** The contracts' route groups, each a plugin of its own. */
export const CONTRACT_ROUTES: readonly RouteModule[] = [recordRoutes, consentRoutes, claimRoutes, traceRoutes, auditRoutes, researchRoutes];

/** Registers every contract's group in a context of its own. */
export const contractRoutes: RouteModule = async (app, ctx) => {
  for (const group of CONTRACT_ROUTES) await app.register(group, ctx);
};
