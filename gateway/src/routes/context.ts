/**
 * What a group of authenticated routes receives. A group is a plain Fastify plugin whose options
 * are the {@link RouteContext}; routes/index.ts registers each group with `app.register`, so
 * whatever a group adds (a content-type parser, a hook) stays in that group's context.
 */
import type { FastifyInstance } from 'fastify';
import type { GatewayConfig } from '../config';
import type { Ledger } from '../fabric/ledger';
import type { Wallet } from '../fabric/wallet';
import type { IdentityService } from '../identity/service';
import type { Operations } from '../operations/runner';
import type { GatewayMetrics } from '../ops/metrics';

/** Everything a route group may use. */
export interface RouteContext {
  ledger: Ledger;
  wallet: Wallet;
  config: GatewayConfig;
  /** Identity lifecycle, where this gateway reaches an organisation's CA. */
  identities?: IdentityService;
  /** Asynchronous operations: route groups define their kinds and start them (operations/). */
  operations: Operations;
  /** The gateway's own metrics (served as JSON by routes/gateway-metrics.ts). */
  metrics: GatewayMetrics;
}

/** A group of authenticated routes: a Fastify plugin (sync or async) with the context as its options. */
export type RouteModule = (app: FastifyInstance, ctx: RouteContext) => void | Promise<void>;
