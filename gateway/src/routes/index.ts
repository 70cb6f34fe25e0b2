/** Every contract's REST resources. */
import type { RouteModule } from '../app';
import { auditRoutes } from './audit';
import { claimRoutes } from './claims';
import { consentRoutes } from './consent';
import { recordRoutes } from './records';
import { traceRoutes } from './trace';

export const CONTRACT_ROUTES: RouteModule[] = [recordRoutes, consentRoutes, claimRoutes, traceRoutes, auditRoutes];
