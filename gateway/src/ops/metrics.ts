/**
 * Prometheus metrics: HTTP request latency, Fabric call latency and errors by problem code. A
 * registry per app instance, so tests and multiple gateways in one process do not collide.
 */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CallObserver } from '../fabric/connection';

/** Event-loop lag sampling interval (ms) of the default Node.js metrics. */
export const EVENT_LOOP_SAMPLE_MS = 100;

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests = new Histogram({
    name: 'healthledger_http_request_duration_seconds',
    help: 'HTTP request latency by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly fabricCalls = new Histogram({
    name: 'healthledger_fabric_call_duration_seconds',
    help: 'Ledger call latency (including retries) by operation, transaction and outcome',
    labelNames: ['operation', 'fn', 'outcome'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'healthledger_http_errors_total',
    help: 'Error responses by problem code and status',
    labelNames: ['code', 'status'] as const,
    registers: [this.registry],
  });

  constructor() {
    // prom-client samples event-loop lag with a 10 ms timer by default: about 1% of a core on an
    // idle gateway (9.4 ms of CPU per second, measured). 100 ms still gives a scrape hundreds of samples.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  }

  /** Feeds the Fabric call histogram; pass to the connection. */
  readonly observeCall: CallObserver = (operation, fn, seconds, ok) => {
    this.fabricCalls.observe({ operation, fn, outcome: ok ? 'ok' : 'error' }, seconds);
  };

  countError(code: string, status: number): void {
    this.errors.inc({ code, status: String(status) });
  }

  /** Exposes the body budget (http/body-budget.ts): bytes charged now and requests waiting for room. */
  observeBodyBudget(budget: { readonly inUse: number; readonly waiting: number }): void {
    new Gauge({
      name: 'healthledger_body_budget_bytes_in_use',
      help: 'Bytes of request bodies being processed now (charged to the body budget)',
      registers: [this.registry],
      collect() {
        this.set(budget.inUse);
      },
    });
    new Gauge({
      name: 'healthledger_body_budget_waiting_requests',
      help: 'Requests waiting, their body unread, for room in the body budget',
      registers: [this.registry],
      collect() {
        this.set(budget.waiting);
      },
    });
  }

  /** Times every request (register on the root, so that every context's routes are timed); routes/public/metrics.ts serves them. */
  register(app: FastifyInstance): void {
    // The callback form: nothing here waits, and an async hook costs a promise per request.
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.requests.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
      done();
    });
  }
}
