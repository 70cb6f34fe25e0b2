/**
 * Bulk commissioning (`POST /packs/commission-bulk`): up to 10,000 serials, split into
 * transactions of {@link BULK_BATCH_SIZE} serials, {@link BULK_IN_FLIGHT} in flight at a time.
 *
 * Two forms. Up to {@link ASYNC_ABOVE} serials the request is answered when every batch has
 * committed (201), unless the client sends `Prefer: respond-async`; above it — or when asked —
 * the gateway answers 202 with an operation (`commission-bulk`) and commits the batches after
 * answering. Either way a failure stops new batches and reports what committed and what did not.
 * The operation is durable and resumes after a restart: its journal resolves the batches in
 * flight at the crash from the ledger, so none commits twice.
 */
import { Type } from '@sinclair/typebox';
import { CommissionBulkRequest, CommissionedSchema, planCommissionBatches, TRACE, type CommissionBatch } from '@healthledger/contract-api';
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../context';
import { signingUserOf } from '../../auth/principal';
import { journalOf } from '../../idempotency/hook';
import { LEDGER_PROBLEMS } from '../../errors/catalogue';
import { mapError } from '../../errors/mapper';
import { sleep } from '../../fabric/retry';
import { PartialCommit, type CommitProgress } from '../../errors/problem';
import type { Ledger, TxJournal } from '../../fabric/ledger';
import type { FabricUser } from '../../fabric/wallet';
import { prefersAsync, requireGate, sendAccepted } from '../../operations/accepted';
import { viewOf } from '../../operations/model';
import type { OperationKind } from '../../operations/runner';
import { OperationSchema } from '../../operations/schema';
import { problemResponses } from '../../openapi/responses';
import { parseResult } from './operation';

/** Serials per commissioning transaction of a bulk request, and transactions in flight at once. */
export const BULK_BATCH_SIZE = 250;
const BULK_IN_FLIGHT = 8;
/**
 * Above this many serials the gateway answers 202 on its own: one round of in-flight batches
 * (8 × 250), a few seconds on a loaded network. Smaller requests stay synchronous unless asked.
 */
export const ASYNC_ABOVE = BULK_IN_FLIGHT * BULK_BATCH_SIZE;
/** First pause before a batch of an operation is sent again (doubling: 2, 4, 8, 16 s). */
const RETRY_PAUSE_MS = 2000;

const BulkResult = Type.Object(
  {
    total: Type.Integer({ description: 'Serials requested', examples: [300] }),
    done: Type.Integer({ description: 'Serials commissioned: all of them (a failure answers a problem with `progress` instead)', examples: [300] }),
    batches: Type.Array(
      Type.Object(
        {
          txId: Type.String({ description: "The batch's transaction", examples: ['9b2e61f0c4d84a3f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4938271'] }),
          count: Type.Integer({ description: 'Serials in the batch', examples: [250] }),
          result: { ...CommissionedSchema, description: "The batch's answer (as POST /packs/commission)", examples: [{ gtin: '09506000134352', lot: 'L2026A', count: 250 }] },
        },
        { additionalProperties: false, description: 'One committed batch' },
      ),
      { description: 'The committed batches, in order' },
    ),
  },
  {
    additionalProperties: false,
    description: 'Every batch committed: its transaction, its serials and the chaincode result',
    examples: [{ total: 300, done: 300, batches: [{ txId: '9b2f0c5d4e3a6b1f8d7c2e0a4b9f6d3c1e8a7b5d2f0c9e4a6b3d1f7c8e2a0b5d', count: 250, result: { gtin: '09506000134352', lot: 'L2026-11', count: 250 } }, { txId: '4c1d7e9a0b2f3d5c8e6a1f4b7d0c9e2a5b8d3f6c1e4a7b0d9f2c5e8a3b6d1f4c', count: 50, result: { gtin: '09506000134352', lot: 'L2026-11', count: 50 } }] }],
  },
);

/** A committed batch. */
interface Committed {
  txId: string;
  count: number;
  result: unknown;
}

/** How the batches of one run are committed. */
interface BatchRun {
  /** The journal of each submit (and of its retries). */
  journal?: () => TxJournal | undefined;
  /** Times a journaled batch that failed in the ledger (not by the chaincode's rules) is resolved and sent again under its transaction id. */
  retries?: number;
  /** Offsets of batches an earlier run committed: skipped. */
  skip?: ReadonlySet<number>;
  /** Start no new batch once this is true (cancelled, or the gateway is stopping). */
  stopped?: () => boolean;
  onCommit?: (batch: CommissionBatch, committed: Committed) => void;
}

/** Commits the batches, a few in flight; stops starting new ones at the first failure. All settle before it returns. */
async function commitBatches(ledger: Ledger, user: FabricUser, batches: readonly CommissionBatch[], run: BatchRun): Promise<{ done: (Committed | undefined)[]; failures: unknown[] }> {
  const done = new Array<Committed | undefined>(batches.length);
  const failures: unknown[] = [];
  const todo = batches.map((_b, i) => i).filter((i) => !run.skip?.has(batches[i]!.offset));
  // Batches write disjoint keys, so they cannot conflict: keep a few in flight (measured:
  // 10,000 serials as 250-serial batches in parallel commit about twice as fast as 2,000-serial
  // batches one after another).
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let k = next++; k < todo.length && failures.length === 0 && !run.stopped?.(); k = next++) {
      const i = todo[k]!;
      const batch = batches[i]!;
      try {
        done[i] = await submitBatch(ledger, user, batch, run);
        run.onCommit?.(batch, done[i]);
      } catch (err) {
        failures.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(BULK_IN_FLIGHT, todo.length) }, worker));
  return { done, failures };
}

/**
 * Submits one batch. A journaled batch that failed in the ledger — a deadline passed, a peer was
 * unavailable, the transaction was still being simulated from an earlier attempt — is retried
 * after a pause with the same journal slot: the ledger is asked what became of the recorded
 * transaction and, if nothing, it is sent again under the same id, so it commits once at most.
 * A refusal by the chaincode's rules (PACK_EXISTS, …) is final.
 */
async function submitBatch(ledger: Ledger, user: FabricUser, batch: CommissionBatch, run: BatchRun): Promise<Committed> {
  for (let attempt = 0; ; attempt++) {
    const journal = run.journal?.();
    try {
      const outcome = await ledger.submit(user, { fn: TRACE.commission.qualifiedName, args: [JSON.stringify(batch.request)], journal });
      return { txId: outcome.txId, count: batch.count, result: parseResult(outcome.result) };
    } catch (err) {
      if (!journal || attempt >= (run.retries ?? 0) || !Object.hasOwn(LEDGER_PROBLEMS, mapError(err).problem.code) || run.stopped?.()) throw err;
    }
    // Long enough for a simulation still running from the attempt before to end (a loaded peer takes seconds).
    await sleep(RETRY_PAUSE_MS * 2 ** attempt);
  }
}

/** The `commission-bulk` operation: the same batches, after the 202, resumable. */
function commissionBulkKind(ledger: Ledger): OperationKind<CommissionBulkRequest> {
  return {
    unit: 'packs',
    durable: true,
    run: async (op) => {
      const batches = planCommissionBatches(op.input, BULK_BATCH_SIZE);
      const skip = new Set(op.record.batches.map((b) => b.offset));
      let committed = op.record.batches.reduce((sum, b) => sum + b.count, 0);
      const { done, failures } = await commitBatches(ledger, op.user, batches, {
        journal: () => op.journal(),
        retries: 4,
        skip,
        stopped: () => op.stopped(),
        onCommit: (batch, tx) => {
          committed += batch.count;
          op.batch({ txId: tx.txId, offset: batch.offset, count: batch.count });
          op.progress(committed);
        },
      });
      for (const err of failures) op.fail(err);
      const remaining = batches.filter((b, i) => done[i] === undefined && !skip.has(b.offset)).map((b) => b.request);
      const total = batches.at(-1)?.total ?? 0;
      return remaining.length === 0 ? { complete: true, result: { total, done: total } } : { complete: false, remaining };
    },
  };
}

/** Registers the route and its operation kind. */
export function commissionBulkRoute(app: FastifyInstance, ctx: RouteContext, operationId: string, tags: string[]): void {
  ctx.operations.define('commission-bulk', commissionBulkKind(ctx.ledger));
  app.post(
    '/packs/commission-bulk',
    {
      schema: {
        tags,
        operationId,
        summary: `Commission up to 10,000 packs, as transactions of ${BULK_BATCH_SIZE} serials, up to ${BULK_IN_FLIGHT} at a time`,
        description:
          `Callers: ${TRACE.commission.callers.rule}.\n\n` +
          `Up to ${ASYNC_ABOVE} serials: answered 201 once every batch has committed; on a failure, the first failed batch's problem with ` +
          '`progress`: what committed (transactions, count) and the batch requests that did not, each a body for POST /packs/commission.\n\n' +
          `Above ${ASYNC_ABOVE} serials, or with \`Prefer: respond-async\`: answered 202 with an operation (\`Location: /operations/{id}\`, ` +
          '`Retry-After`; `Preference-Applied` when asked) whose progress counts packs and whose `batches` list the committed transactions; ' +
          'on a failure it ends `failed` with the problem in `errors` and the batch requests that did not commit in `remaining`.',
        body: CommissionBulkRequest,
        response: { 201: BulkResult, 202: OperationSchema, ...problemResponses() },
      },
    },
    async (request, reply) => {
      const user = signingUserOf(request);
      const bulk = request.body as CommissionBulkRequest;
      const batches = planCommissionBatches(bulk, BULK_BATCH_SIZE);
      const total = batches.at(-1)?.total ?? 0;
      if (prefersAsync(request) || total > ASYNC_ABOVE) {
        requireGate(TRACE.commission.callers, user);
        return sendAccepted(request, reply, viewOf(ctx.operations.start(user, 'commission-bulk', bulk, total)));
      }
      const journal = journalOf(request);
      const { done, failures } = await commitBatches(ctx.ledger, user, batches, { journal: () => journal });
      if (failures.length > 0) throw new PartialCommit(failures[0], progressOf(batches, done, total));
      return reply.code(201).send({ total, done: total, batches: done.filter((b) => b !== undefined) });
    },
  );
}

/** What committed of a bulk request: the batches done, and the requests of the rest, in order. */
function progressOf(batches: readonly CommissionBatch[], done: readonly (Committed | undefined)[], total: number): CommitProgress {
  const transactions = batches.flatMap((batch, i) => {
    const tx = done[i];
    return tx ? [{ txId: tx.txId, offset: batch.offset, count: batch.count }] : [];
  });
  return {
    committed: transactions.reduce((sum, tx) => sum + tx.count, 0),
    total,
    transactions,
    remaining: batches.filter((_batch, i) => done[i] === undefined).map((batch) => batch.request),
  };
}
