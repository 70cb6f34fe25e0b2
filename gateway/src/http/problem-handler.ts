/**
 * Turns every error and every unmatched route into problem+json through the one mapper, logs
 * server errors with the request id (never bodies), and counts errors by code.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mapError } from '../errors/mapper';
import { PROBLEM_CONTENT_TYPE, problem } from '../errors/problem';
import type { GatewayMetrics } from '../ops/metrics';

/**
 * Fastify's `frameworkErrors` option: errors raised while routing, before any hook runs (a bad
 * URL, a path parameter over the length limit) — answered with the same problem+json.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { problem: body, headers } = mapError(error);
  void reply.code(body.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send({ ...body, instance: request.url.split('?')[0] });
}

export function registerProblemHandler(app: FastifyInstance, metrics: GatewayMetrics): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const { problem: body, headers } = mapError(err);
    body.instance = request.url.split('?')[0];
    if (body.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: body.code, status: body.status }, 'request rejected');
    metrics.countError(body.code, body.status);
    return reply.code(body.status).headers(headers).type(PROBLEM_CONTENT_TYPE).serializer(JSON.stringify).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body = { ...problem(404, 'NOT_FOUND', 'No such resource'), instance: request.url.split('?')[0] };
    metrics.countError(body.code, 404);
    return reply.code(404).type(PROBLEM_CONTENT_TYPE).send(body);
  });
}
