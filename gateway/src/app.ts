/**
 * The Fastify application. On the root, what every route shares: security headers, rate limits,
 * body limits, request ids, schema validation in and out, the OpenAPI generator, problem+json
 * errors, request timing. Then the route tree (routes/index.ts): a public context (health,
 * metrics, Swagger UI, dev token) and an authenticated one (with `Idempotency-Key` handling),
 * each group a plugin of its own.
 */
import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import pino from 'pino';
import { ApiKeys } from './auth/api-keys';
import type { TokenVerifier } from './auth/tokens';
import type { GatewayConfig } from './config';
import { HttpProblem } from './errors/problem';
import type { Ledger } from './fabric/ledger';
import type { Wallet } from './fabric/wallet';
import type { IdentityService } from './identity/service';
import { registerBodyBudget } from './http/body-budget';
import { registerJsonParser } from './http/json-body';
import { clientErrorHandler, frameworkErrors, registerProblemHandler } from './http/problem-handler';
import { loggerOptions, OneLineRequestLog } from './http/request-log';
import { lazyRequestValidation } from './http/request-validation';
import { responseValidator } from './http/response-validation';
import { registerSecurityHeaders } from './http/security-headers';
import { IdempotencyStore } from './idempotency/store';
import { mapError } from './errors/mapper';
import { exportKind } from './operations/export';
import { Operations } from './operations/runner';
import { OperationStore } from './operations/store';
import { pristineExamples } from './openapi/examples';
import { operationIds } from './openapi/operation-ids';
import { ProblemSchema } from './openapi/responses';
import { GatewayMetrics } from './ops/metrics';
import { registerRoutes, type RouteModule } from './routes';

export interface AppOptions {
  config: GatewayConfig;
  ledger: Ledger;
  wallet: Wallet;
  /** Identity lifecycle (routes/identities.ts); absent: those routes answer IDENTITY_LIFECYCLE_UNAVAILABLE. */
  identities?: IdentityService;
  tokens: TokenVerifier | undefined;
  apiKeys?: ApiKeys;
  metrics?: GatewayMetrics;
  /** HS256 secret of the dev token endpoint; set only when running on the devnet. */
  devTokenSecret?: string;
  /** The authenticated route groups (routes/index.ts `apiRoutes`; tests pass their own). */
  routes?: readonly RouteModule[];
  /** Pino options, or false to silence logs (tests). */
  logger?: FastifyServerOptions['logger'];
  /**
   * Compile every route's request and response schemas at start-up instead of on first use.
   * The OpenAPI test builds every route group this way, so a schema that cannot compile fails a
   * test rather than a route's first request.
   */
  eagerSchemas?: boolean;
}

/** Fastify's type for a serializer builder (fast-json-stringify's; ours returns responseValidator's compiler). */
type SerializerFactory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildSerializer']>;

export { loggerOptions } from './http/request-log';

/**
 * Standard output for the logs, written without blocking the event loop: lines collect up to
 * 4 KiB (or a quarter of a second) and go out in one asynchronous write. Written line by line
 * and synchronously, the two lines per request were a tenth of the gateway's CPU in a profile.
 * pino flushes what is left synchronously when the process exits, crash included.
 */
export function logDestination(): pino.DestinationStream & { flush(cb?: (err?: Error) => void): void } {
  return pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 });
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const metrics = options.metrics ?? new GatewayMetrics();
  const destination = options.logger === undefined ? logDestination() : undefined;
  const serializer = responseValidator(options.eagerSchemas);
  const requestLog = new OneLineRequestLog();
  const app = Fastify({
    logger: options.logger ?? { ...(loggerOptions(config.logLevel) as object), stream: destination },
    bodyLimit: config.bodyLimitBytes,
    requestIdHeader: false,
    logController: requestLog,
    frameworkErrors,
    clientErrorHandler,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    // Unknown fields are errors, not silently dropped: a typo in a consent provision must not vanish.
    ajv: { customOptions: { removeAdditional: false, allErrors: true, coerceTypes: 'array', useDefaults: true } },
    // Both compilers given here, not set on the app once built: Fastify then never loads its
    // defaults (fast-json-stringify and a second Ajv) on the way to listening.
    schemaController: { compilersFactory: { buildValidator: lazyRequestValidation(options.eagerSchemas), buildSerializer: (() => serializer) as SerializerFactory } },
  });
  requestLog.writeCompletedWith(app.log);
  // While shutting down, responses to in-flight requests close their connection: otherwise an
  // idle keep-alive socket (a load balancer's, say) holds `close()` until its 72 s timeout.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  if (destination) app.addHook('onClose', (_app, done) => destination.flush(() => done()));
  // Hooks that run on every request take Fastify's callback form where they never wait: an async
  // hook costs a promise and a microtask turn per request for nothing.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
  registerProblemHandler(app, metrics);
  registerJsonParser(app);
  // Bodies wait for room before they are read: large ones in flight are what bounds the process's memory.
  metrics.observeBodyBudget(registerBodyBudget(app, config.bodyBudget));

  // No upgrade-insecure-requests: the devnet serves plain HTTP on loopback, and Swagger UI's assets must load from it.
  registerSecurityHeaders(app, { contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } });
  await app.register(rateLimit, {
    max: config.rateLimit.max,
    timeWindow: config.rateLimit.windowMs,
    errorResponseBuilder: (_request, context) =>
      new HttpProblem('RATE_LIMITED', 'Too many requests', { 'retry-after': String(Math.ceil(context.ttl / 1000)) }),
  });
  operationIds(app);
  const restoreExamples = pristineExamples(app);
  await app.register(swagger, {
    transformObject: restoreExamples,
    // Shared schemas keep their `$id` as their component name (`#/components/schemas/Problem`).
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json['$id'] === 'string' ? json['$id'] : `def-${i}`) },
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'healthledger API',
        version: '1.0.0',
        description: 'REST gateway to the healthledger Hyperledger Fabric network. Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
  });

  // Shared by every operation's error responses; @fastify/swagger lists it under components.
  app.addSchema(ProblemSchema);

  const idempotency = new IdempotencyStore(`${config.dataDir}/idempotency`);
  idempotency.prune();
  metrics.register(app);

  const { ledger, wallet } = options;
  // Operations resume once every route group has defined its kinds, and stop (to resume at the
  // next start) after their transactions in flight when the gateway closes.
  const operations = new Operations(new OperationStore(`${config.dataDir}/operations`), wallet, (err) => mapError(err).problem);
  operations.define('export', exportKind(ledger));
  app.addHook('onReady', (done) => {
    operations.resumeInterrupted(app.log);
    done();
  });
  app.addHook('preClose', async () => operations.stop());
  await registerRoutes(app, {
    public: { ledger, wallet, metrics, probeUser: wallet.list()[0], readyMs: config.deadlines.readyMs, devTokenSecret: options.devTokenSecret },
    auth: {
      wallet,
      tokens: options.tokens,
      apiKeys: options.apiKeys ?? new ApiKeys(`${config.dataDir}/api-keys.json`),
      revoked: (mspId, name) => options.identities?.isRevoked(mspId, name) ?? false,
    },
    idempotency,
    ctx: { ledger, wallet, config, identities: options.identities, operations, metrics },
    groups: options.routes ?? [],
  });
  return app;
}
