/** The operation resource's route schemas: the answer of `GET /operations/{id}` and of every 202. */
import { field, StringEnum } from '@healthledger/contract-api';
import { Type } from '@sinclair/typebox';
import { OPERATION_STATUSES, type OperationView } from './model';

const EXAMPLE: OperationView = {
  id: '3f1c9a0e5b7d4c2a8e6f0b1d2c3a4e5f',
  kind: 'commission-bulk',
  status: 'running',
  owner: 'PharmaMSP/manufacturer1',
  createdAt: '2026-12-05T10:15:00.000Z',
  updatedAt: '2026-12-05T10:15:03.412Z',
  progress: { done: 2000, total: 10000, unit: 'packs' },
  batches: [
    { txId: '9b2f0c5d4e3a6b1f8d7c2e0a4b9f6d3c1e8a7b5d2f0c9e4a6b3d1f7c8e2a0b5d', offset: 0, count: 250 },
    { txId: '4c1d7e9a0b2f3d5c8e6a1f4b7d0c9e2a5b8d3f6c1e4a7b0d9f2c5e8a3b6d1f4c', offset: 250, count: 250 },
  ],
  errors: [],
};

/** An operation: status, progress, committed transactions, failures, and the result or what is left. */
export const OperationSchema = Type.Object(
  {
    id: field(Type.String({ pattern: '^[0-9a-f]{32}$' }), 'The operation id: 32 lowercase hex characters, the last segment of the 202 `Location`', EXAMPLE.id),
    kind: Type.String({ description: 'commission-bulk, recall, epcis-capture, export or ledger-verification' }),
    status: StringEnum([...OPERATION_STATUSES], { description: 'accepted → running → succeeded | failed | cancelled' }),
    owner: Type.String({ description: 'mspId/name of the caller who started it: the only caller who may read or cancel it' }),
    createdAt: field(Type.String(), 'When the gateway accepted the request (ISO 8601, UTC)', EXAMPLE.createdAt),
    updatedAt: field(Type.String(), 'When the status, progress or batches last changed (ISO 8601, UTC)', EXAMPLE.updatedAt),
    progress: Type.Object(
      {
        done: field(Type.Integer({ minimum: 0 }), 'How many units have committed so far', EXAMPLE.progress.done),
        total: field(Type.Integer({ minimum: 0 }), 'How many units the request covers in all', EXAMPLE.progress.total),
        unit: Type.String({ description: 'packs, events or items' }),
      },
      { additionalProperties: false, description: 'How far it has gone, counted in `unit`' },
    ),
    batches: Type.Array(
      Type.Object(
        {
          txId: field(Type.String(), 'The Fabric transaction id that committed this batch (64 hex characters)', EXAMPLE.batches[0]!.txId),
          offset: field(Type.Integer({ minimum: 0 }), "Zero-based position in the request's items of the batch's first item", 0),
          count: field(Type.Integer({ minimum: 0 }), 'How many of the request\'s items the batch covered', 250),
        },
        { additionalProperties: false },
      ),
      { description: 'The transactions that committed, with the items of the request each covered' },
    ),
    errors: Type.Array(Type.Unknown({ description: 'A problem+json object' }), { description: 'One problem per failure' }),
    result: Type.Optional(Type.Unknown({ description: 'When succeeded: the answer of the synchronous form' })),
    remaining: Type.Optional(Type.Array(Type.Unknown(), { description: 'When failed or cancelled: the single-transaction requests that did not commit, to send again' })),
  },
  { additionalProperties: false, description: 'An asynchronous operation (poll `Location`; `Retry-After` says when)', examples: [EXAMPLE] },
);

/** `GET /operations`: the caller's operations, newest first. */
export const OperationListSchema = Type.Object(
  { items: Type.Array(OperationSchema, { description: "The caller's operations, newest first (only the caller's own)" }) },
  { additionalProperties: false, description: "The caller's operations, newest first", examples: [{ items: [EXAMPLE] }] },
);
