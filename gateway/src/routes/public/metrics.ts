/** `GET /metrics`: the Prometheus exposition of the gateway's {@link GatewayMetrics}, without credentials. */
import type { FastifyInstance } from 'fastify';
import type { GatewayMetrics } from '../../ops/metrics';

/** A plugin of the public context; the route is left out of the OpenAPI description. */
export function metricsRoutes(app: FastifyInstance, { metrics }: { metrics: GatewayMetrics }): void {
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
