/**
 * Every route of the gateway, in one tree of encapsulated Fastify plugins:
 *
 *   public/          no credentials: health, metrics, docs, console files, dev token (devnet only)
 *   (authenticated)  the authentication hook, the `principal` request decoration and
 *                    `Idempotency-Key` handling (keys are scoped per caller), then:
 *     contracts/     one plugin per contract (records, consent, claims, trace, audit)
 *     fhir/          the FHIR R4 interface under /fhir (its own media type and OperationOutcome errors)
 *     ledger.ts      qscc views and hash-chain verification (ledger-browse.ts: block pages and
 *                    search; audit-package.ts: the offline-verifiable export)
 *     gateway-metrics.ts  the gateway's metrics as JSON; network-status.ts: each organisation's peer height
 *     identities.ts  identity lifecycle (organisation admins; the organisation's CA)
 *     offline.ts     offline signing
 *     operations.ts  asynchronous operations (202 Accepted → GET /operations/{id})
 *     events.ts      SSE stream and webhooks (when the gateway has an event feed)
 *
 * The two contexts are siblings under the root, so nothing one adds (a hook, a decoration, a
 * content-type parser) reaches the other. What every route shares — problem+json errors, the
 * JSON parser, security headers, rate limit, request timing, the OpenAPI generator —
 * is registered on the root by app.ts before this.
 */
import type { FastifyInstance } from 'fastify';
import { registerAuth, type AuthDeps } from '../auth/principal';
import { registerIdempotency } from '../idempotency/hook';
import type { IdempotencyStore } from '../idempotency/store';
import type { EventFeed } from '../events/feed';
import { fhirRoutes } from '../fhir/routes';
import { contractRoutes } from './contracts';
import type { RouteContext, RouteModule } from './context';
import { eventRoutes } from './events';
import { auditPackageRoutes } from './audit-package';
import { ledgerRoutes } from './ledger';
import { identityRoutes } from './identities';
import { ledgerBrowseRoutes } from './ledger-browse';
import { networkStatusRoutes } from './network-status';
import { gatewayMetricsRoutes } from './gateway-metrics';
import { meRoutes } from './me';
import { documentProblems } from '../openapi/responses';
import { offlineRoutes } from './offline';
import { operationRoutes } from './operations';
import { publicRoutes, type PublicRoutesOptions } from './public';
import { refuseUndeclaredQuery } from '../http/strict-query';

export type { RouteContext, RouteModule } from './context';

/** The authenticated route groups the gateway serves; the event routes need the event feed. */
export function apiRoutes(feed: EventFeed | undefined): RouteModule[] {
  return [meRoutes, identityRoutes, contractRoutes, fhirRoutes, ledgerRoutes, ledgerBrowseRoutes, auditPackageRoutes, gatewayMetricsRoutes, networkStatusRoutes, offlineRoutes, operationRoutes, ...(feed ? [eventRoutes(feed)] : [])];
}

export interface RoutesOptions {
  public: PublicRoutesOptions;
  auth: AuthDeps;
  /** Keys are scoped per authenticated caller, so only the authenticated context honours them. */
  idempotency: IdempotencyStore;
  ctx: RouteContext;
  /** The authenticated route groups, e.g. {@link apiRoutes}; each becomes a plugin of its own. */
  groups: readonly RouteModule[];
}

interface AuthenticatedOptions {
  auth: AuthDeps;
  idempotency: IdempotencyStore;
  ctx: RouteContext;
  groups: readonly RouteModule[];
}

/** The authenticated context: every request to a route in it is authenticated before anything else runs. */
async function authenticatedRoutes(app: FastifyInstance, { auth, idempotency, ctx, groups }: AuthenticatedOptions): Promise<void> {
  registerAuth(app, auth);
  documentProblems(app);
  refuseUndeclaredQuery(app);
  registerIdempotency(app, idempotency);
  for (const group of groups) await app.register(group, ctx);
}

/** Registers the public and the authenticated context. */
export async function registerRoutes(app: FastifyInstance, options: RoutesOptions): Promise<void> {
  await app.register(publicRoutes, options.public);
  await app.register(authenticatedRoutes, { auth: options.auth, idempotency: options.idempotency, ctx: options.ctx, groups: options.groups });
}
