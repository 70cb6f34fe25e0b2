/**
 * The operation resource (operations/): `GET /operations/{id}` to poll one, `GET /operations` for
 * the caller's own, `DELETE /operations/{id}` to cancel one. Only the caller who started an
 * operation may see or cancel it; anyone else gets 404, as if it did not exist.
 */
import { StringEnum } from '@healthledger/contract-api';
import { Type } from '@sinclair/typebox';
import type { RouteModule } from './context';
import { principalOf } from '../auth/principal';
import { HttpProblem } from '../errors/problem';
import { OPERATION_STATUSES, type OperationStatus } from '../operations/model';
import { ownerOf } from '../operations/runner';
import { OperationListSchema, OperationSchema } from '../operations/schema';
import { POLL_AFTER_SECONDS } from '../operations/accepted';

const tags = ['operations'];
const Id = Type.Object(
  { id: Type.String({ pattern: '^[0-9a-f]{32}$', description: 'The operation id: the last segment of the 202 `Location`' }) },
  { additionalProperties: false },
);
const CALLERS = 'Callers: the caller who started the operation (anyone else: 404 OPERATION_NOT_FOUND).';

export const operationRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/operations/:id',
    {
      schema: {
        tags,
        operationId: 'operations_get',
        summary: 'An asynchronous operation: status, progress, committed transactions, errors, and the result once done',
        description: `${CALLERS} While it runs the answer carries \`Retry-After\`.`,
        params: Id,
        response: { 200: OperationSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const operation = ctx.operations.get(id, ownerOf(principalOf(request).user));
      if (!operation) throw new HttpProblem('OPERATION_NOT_FOUND');
      if (operation.status === 'accepted' || operation.status === 'running') void reply.header('retry-after', String(POLL_AFTER_SECONDS));
      return operation;
    },
  );

  app.get(
    '/operations',
    {
      schema: {
        tags,
        operationId: 'operations_list',
        summary: "The caller's operations, newest first (finished ones are kept a week)",
        description: CALLERS,
        querystring: Type.Object(
          { status: Type.Optional(StringEnum([...OPERATION_STATUSES], { description: 'Only the operations in this status (accepted, running, succeeded, failed, cancelled)' })) },
          { additionalProperties: false },
        ),
        response: { 200: OperationListSchema },
      },
    },
    (request, reply) => {
      const { status } = request.query as { status?: OperationStatus };
      return reply.send({ items: ctx.operations.list(ownerOf(principalOf(request).user), status) });
    },
  );

  app.delete(
    '/operations/:id',
    {
      schema: {
        tags,
        operationId: 'operations_cancel',
        summary: 'Cancel a running operation: nothing new is started, transactions in flight finish; it ends `cancelled` with `batches` and `remaining`',
        description: `${CALLERS} A finished operation cannot be cancelled (409 OPERATION_FINISHED).`,
        params: Id,
        response: { 202: OperationSchema },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const operation = ctx.operations.cancel(id, ownerOf(principalOf(request).user));
      return reply.code(202).header('location', `/operations/${id}`).header('retry-after', String(POLL_AFTER_SECONDS)).send(operation);
    },
  );
};
