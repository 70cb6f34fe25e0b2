/**
 * One log line per request instead of Fastify's two ("incoming request", then "request
 * completed"): the completed line carries the request as well (method, URL, host, remote address;
 * the request id is on every line). Formatting and writing the two lines was a visible share of
 * the gateway thread's CPU in a profile under load (pino's LOG and the destination's writes).
 *
 * The completed line of a request that succeeded is written through a child of the app's logger
 * without redaction ({@link OneLineRequestLog.writeCompletedWith}). pino's redaction runs on every
 * key of a line (the `*.transient` and `*.content` paths match under any key): it copies the
 * request's and the response's serialized forms and parses each path again, line after line,
 * about 7 KB of the gateway thread's heap per request. This line holds nothing it could remove:
 * its keys are the request id, what Fastify's serializers take from the request (method, URL,
 * host, remote address and port) and the response (status code) and a number, never headers,
 * a body or transient data; the test proves the line is the same either way. Every other line
 * (errors included) goes through the request's own logger, redaction and all.
 */
import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import type { Logger } from 'pino';

/** Pino settings: no credentials, no bodies, no transient data in logs. */
export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers.cookie', 'req.body', 'res.body', '*.transient', '*.content'],
      censor: '[redacted]',
    },
  };
}

/** Whether a request's logger writes info lines (false for a logger that is not pino's: Fastify's silent one). */
const writesInfo = (log: FastifyBaseLogger): boolean => (log as Partial<Pick<Logger, 'isLevelEnabled'>>).isLevelEnabled?.('info') === true;

/** Fastify's request logging with the incoming line folded into the completed one. */
export class OneLineRequestLog extends LogController {
  private plain: FastifyBaseLogger | undefined;

  /** Writes the completed line of a successful request through `root` (the app's logger) without its redaction. */
  writeCompletedWith(root: FastifyBaseLogger): void {
    this.plain = root.child({}, { redact: [] });
  }

  override incomingRequest(): void {
    // Logged with the outcome, in requestCompleted.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    // The request's logger decides whether the line is written (a route may log at another level);
    // the request id goes first, where the request's logger writes it.
    else if (this.plain && writesInfo(reply.log)) this.plain.info({ [this.requestIdLogLabel]: request.id, req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
