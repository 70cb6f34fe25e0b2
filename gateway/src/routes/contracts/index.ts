/**
 * Every contract's REST resources, one encapsulated plugin per contract (so trace's JSON-LD
 * parser, for one, serves the traceability routes only).
 */
import type { RouteModule } from '../context';
import { auditRoutes } from './audit';
import { claimRoutes } from './claims';
import { consentRoutes } from './consent';
import { recordRoutes } from './records';
import { traceRoutes } from './trace';

/** The contracts' route groups, each a plugin of its own. */
export const CONTRACT_ROUTES: readonly RouteModule[] = [recordRoutes, consentRoutes, claimRoutes, traceRoutes, auditRoutes];

/** Registers every contract's group in a context of its own. */
export const contractRoutes: RouteModule = async (app, ctx) => {
  for (const group of CONTRACT_ROUTES) await app.register(group, ctx);
};
