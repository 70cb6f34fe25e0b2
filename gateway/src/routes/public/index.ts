/**
 * The public context: routes reachable without credentials — health, metrics, the API
 * description, the console's static files and (on the devnet) the dev token. Registered as a sibling of the authenticated
 * context, so the authentication hook and the `principal` decoration never run or exist here;
 * and every route here is described in OpenAPI with no security requirement (`security: []`
 * overrides the document's global bearer/API-key lock).
 */
import type { FastifyInstance } from 'fastify';
import type { Ledger } from '../../fabric/ledger';
import type { FabricUser, Wallet } from '../../fabric/wallet';
import type { GatewayMetrics } from '../../ops/metrics';
import { consoleRoutes } from './console';
import { devTokenRoutes } from './dev-token';
import { docsRoutes } from './docs';
import { healthRoutes } from './health';
import { metricsRoutes } from './metrics';

export interface PublicRoutesOptions {
  ledger: Ledger;
  wallet: Wallet;
  metrics: GatewayMetrics;
  /** The identity that probes the ledger for readiness; without one there are no health routes. */
  probeUser: FabricUser | undefined;
  readyMs: number;
  /** HS256 secret of the dev token endpoint; set only when running on the devnet. */
  devTokenSecret: string | undefined;
}

/** Registers every public route, each group a plugin of its own inside this context. */
export async function publicRoutes(app: FastifyInstance, options: PublicRoutesOptions): Promise<void> {
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, security: [] };
  });
  if (options.probeUser) await app.register(healthRoutes, { ledger: options.ledger, probeUser: options.probeUser, readyMs: options.readyMs });
  await app.register(metricsRoutes, { metrics: options.metrics });
  if (options.devTokenSecret !== undefined) await app.register(devTokenRoutes, { wallet: options.wallet, secret: options.devTokenSecret });
  await app.register(docsRoutes);
  await app.register(consoleRoutes);
}
