/**
 * Turns every error and every unmatched route into problem+json through the one mapper, logs
 * server errors with the request id (never bodies), and counts errors by code — including what
 * Node's HTTP parser rejects before Fastify sees a request (oversized headers, malformed HTTP).
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { mapError } from '../errors/mapper';
import { PROBLEM_CONTENT_TYPE, problem } from '../errors/problem';
import type { GatewayMetrics } from '../ops/metrics';
import { drainRequest } from './drain';

/**
 * Fastify's `frameworkErrors` option: errors raised while routing, before any hook runs (a bad
 * URL, a path parameter over the length limit) — answered with the same problem+json.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const { problem: body, headers } = mapError(error);
  void reply.code(body.status).headers(headers).type(PROBLEM_CONTENT_TYPE).send({ ...body, instance: request.url.split('?')[0] });
}

/** The problem for each error Node's HTTP parser reports on a connection (Fastify's `clientErrorHandler` cases). */
function clientProblem(code: string | undefined) {
  if (code === 'HPE_HEADER_OVERFLOW') return problem('HEADERS_TOO_LARGE');
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return problem('REQUEST_TIMEOUT');
  return problem('BAD_REQUEST', 'The request is not valid HTTP');
}

/**
 * Fastify's `clientErrorHandler` option: Node's HTTP parser rejected the connection's request
 * before any route or hook ran. Fastify's default answers these with its own application/json
 * shape; this answers the same statuses as problem+json, then closes the connection as Node does
 * (the parser cannot continue on it).
 */
export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset connection has nobody left to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const answer = clientProblem(err.code);
  const body = JSON.stringify(answer);
  this.log.info({ code: answer.code, status: answer.status }, 'client error');
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? ''}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
}

export function registerProblemHandler(app: FastifyInstance, metrics: GatewayMetrics): void {
  app.setErrorHandler(async (err: FastifyError, request, reply) => {
    const { problem: body, headers } = mapError(err);
    body.instance = request.url.split('?')[0];
    if (body.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: body.code, status: body.status }, 'request rejected');
    metrics.countError(body.code, body.status);
    // Rejected before its body was read (413 on the declared length, 401, 415): read the rest
    // first, so that a client still sending gets to read this answer (see drain.ts).
    if (!request.raw.complete) await drainRequest(request.raw);
    return reply.code(body.status).headers(headers).type(PROBLEM_CONTENT_TYPE).serializer(JSON.stringify).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body = { ...problem('NOT_FOUND'), instance: request.url.split('?')[0] };
    metrics.countError(body.code, 404);
    return reply.code(404).type(PROBLEM_CONTENT_TYPE).send(body);
  });
}
