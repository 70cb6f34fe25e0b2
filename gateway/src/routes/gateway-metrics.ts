/**
 * `GET /ops/metrics`: the gateway's own metrics as JSON, for operators and auditors (the console's
 * charts). The same registry as the Prometheus exposition at `/metrics`; labels are route
 * templates, transaction names and problem codes, never ids or PHI.
 */
import { Type } from '@sinclair/typebox';
import type { RouteModule } from './context';
import { requireRole } from '../auth/principal';
import type { GatewayMetrics } from '../ops/metrics';

const Sample = Type.Object(
  {
    name: Type.String({ description: 'Series name (a histogram has `_bucket`, `_sum` and `_count`)', examples: ['healthledger_http_request_duration_seconds_count'] }),
    labels: Type.Record(Type.String(), Type.String(), { description: 'The series\' labels: route template, method, status, transaction name or problem code (never ids)', examples: [{ method: 'GET', route: '/ledger', status: '200' }] }),
    value: Type.Number({ description: 'The current value (seconds for durations, a count for counters)', examples: [12] }),
  },
  { additionalProperties: false },
);
const Metric = Type.Object(
  {
    name: Type.String({ description: 'Metric name, as in the Prometheus exposition at `/metrics`', examples: ['healthledger_http_request_duration_seconds'] }),
    help: Type.String({ description: 'What the metric measures', examples: ['HTTP request latency by route template, method and status'] }),
    type: Type.String({ description: 'counter, gauge, histogram or summary', examples: ['histogram'] }),
    samples: Type.Array(Sample, { description: 'Its series: one per label combination (a histogram: per bucket, plus sum and count)' }),
  },
  { additionalProperties: false },
);
const Metrics = Type.Object({ metrics: Type.Array(Metric, { description: 'Every metric of the registry' }) }, { additionalProperties: false, description: "The gateway's metrics when asked" });

/** prom-client's JSON, with label values as strings. */
async function metricsJson(metrics: GatewayMetrics) {
  const all = await metrics.registry.getMetricsAsJSON();
  return {
    metrics: all.map((metric) => ({
      name: metric.name,
      help: metric.help,
      type: String(metric.type),
      samples: metric.values.map((v) => ({
        name: (v as { metricName?: string }).metricName ?? metric.name,
        labels: Object.fromEntries(Object.entries(v.labels).map(([k, l]) => [k, String(l)])),
        value: Number.isFinite(v.value) ? v.value : 0,
      })),
    })),
  };
}

export const gatewayMetricsRoutes: RouteModule = (app, { metrics }) => {
  app.get(
    '/ops/metrics',
    { schema: { tags: ['operations'], summary: "The gateway's own metrics (requests, ledger calls, errors, process) as JSON", response: { 200: Metrics } } },
    async (request) => {
      requireRole(request, ['admin', 'auditor']);
      return metricsJson(metrics);
    },
  );
};
