/**
 * The asynchronous form of a request (RFC 7240 `Prefer: respond-async`, RFC 9110 202 Accepted):
 * whether the client asked for it, the caller gate checked before anything is accepted, and the
 * 202 answer pointing at the operation.
 */
import { gateRefusal, ORGANIZATION_KINDS, type CallerSpec } from '@healthledger/contract-api';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem } from '../errors/problem';
import type { FabricUser } from '../fabric/wallet';
import type { OperationView } from './model';

/** Seconds a client should wait before its first poll. */
export const POLL_AFTER_SECONDS = 1;

/** Whether the request's `Prefer` header asks for `respond-async` (RFC 7240: tokens are case-insensitive). */
export function prefersAsync(request: FastifyRequest): boolean {
  const header = request.headers.prefer;
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  return values.some((value) => value.split(',').some((pref) => pref.split(';')[0]?.trim().toLowerCase() === 'respond-async'));
}

/**
 * Refuses a caller the transaction's gate would refuse, before an operation is accepted: an
 * operation whose every transaction fails the gate would be a 202 for nothing.
 */
export function requireGate(callers: CallerSpec, user: FabricUser): void {
  const orgKind = Object.hasOwn(ORGANIZATION_KINDS, user.mspId) ? ORGANIZATION_KINDS[user.mspId] : undefined;
  const refusal = gateRefusal(callers, { role: user.role, orgKind });
  if (refusal) throw new HttpProblem(refusal, `${user.role} of ${user.mspId} may not: ${callers.rule}`);
}

/**
 * Answers 202 with the operation, `Location: /operations/{id}` and `Retry-After`; with
 * `Preference-Applied: respond-async` when the client asked for it (not when the server chose to).
 */
export function sendAccepted(request: FastifyRequest, reply: FastifyReply, operation: OperationView, location = `/operations/${operation.id}`): FastifyReply {
  if (prefersAsync(request)) void reply.header('preference-applied', 'respond-async');
  return reply.code(202).header('location', location).header('retry-after', String(POLL_AFTER_SECONDS)).send(operation);
}
