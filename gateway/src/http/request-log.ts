/**
 * One log line per request instead of Fastify's two ("incoming request", then "request
 * completed"): the completed line carries the request as well (method, URL, host, remote address;
 * the request id is on every line). Formatting and writing the two lines was a visible share of
 * the gateway thread's CPU in a profile under load (pino's LOG and the destination's writes).
 */
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/** Fastify's request logging with the incoming line folded into the completed one. */
export class OneLineRequestLog extends LogController {
  override incomingRequest(): void {
    // Logged with the outcome, in requestCompleted.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
