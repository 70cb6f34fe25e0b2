/**
 * Drug traceability (GS1 EPCIS 2.0, DSCSA, EU FMD): products, commissioning (incl. bulk, split
 * into transaction-sized batches), aggregation, shipping and receipt, dispensing and its undo,
 * destruction, verification, recall, quarantine, sensor readings, observations, and EPCIS 2.0
 * capture and query (epcis.ts).
 */
import { Type } from '@sinclair/typebox';
import { AUDIT, CommissionBulkRequest, CommissionedSchema, planCommissionBatches, TRACE, type CommissionBatch } from '@healthledger/contract-api';
import type { RouteModule } from '../context';
import { signingUserOf } from '../../auth/principal';
import { depthLimitedJsonParser } from '../../http/json-body';
import { journalOf } from '../../idempotency/hook';
import { PartialCommit, type CommitProgress } from '../../errors/problem';
import { epcisRoutes } from './epcis';
import { registerOperations, parseResult, type Route } from './operation';
import { problemResponses } from '../../openapi/responses';

const tags = ['traceability'];
const pack = ['gtin', 'serial'];

export const TRACE_ROUTES: Route[] = [
  { method: 'POST', url: '/products', tx: TRACE.registerProduct, tags, created: '/products/:gtin' },
  { method: 'GET', url: '/products/:gtin', tx: TRACE.getProduct, tags, params: ['gtin'] },
  { method: 'POST', url: '/packs/commission', tx: TRACE.commission, tags },
  { method: 'POST', url: '/containers', tx: TRACE.aggregate, tags },
  { method: 'POST', url: '/containers/:sscc/disaggregation', tx: TRACE.disaggregate, tags, params: ['sscc'], status: 200 },
  { method: 'POST', url: '/shipments', tx: TRACE.ship, tags, created: '/shipments/:shipmentId' },
  { method: 'POST', url: '/shipments/:shipmentId/receipt', tx: TRACE.receive, tags, params: ['shipmentId'], status: 200 },
  { method: 'GET', url: '/shipments/:shipmentId', tx: TRACE.getShipment, tags, params: ['shipmentId'] },
  { method: 'POST', url: '/packs/:gtin/:serial/dispense', tx: TRACE.dispense, tags, params: pack, status: 200 },
  { method: 'POST', url: '/packs/:gtin/:serial/dispense-undo', tx: TRACE.undoDispense, tags, params: pack, status: 200 },
  { method: 'POST', url: '/destructions', tx: TRACE.destroy, tags },
  { method: 'POST', url: '/verifications', tx: TRACE.verify, tags, status: 200 },
  { method: 'POST', url: '/recalls', tx: TRACE.recallLot, tags },
  { method: 'GET', url: '/products/:gtin/lots/:lot/holders', tx: TRACE.recallHolders, tags, params: ['gtin', 'lot'] },
  { method: 'POST', url: '/quarantines', tx: TRACE.quarantine, tags },
  { method: 'POST', url: '/packs/:gtin/:serial/quarantine-clearance', tx: TRACE.clearQuarantine, tags, params: pack, status: 200 },
  { method: 'POST', url: '/packs/:gtin/:serial/illegitimate', tx: TRACE.confirmIllegitimate, tags, params: pack, status: 200 },
  { method: 'POST', url: '/sensor-reports', tx: TRACE.recordSensorReport, tags },
  { method: 'POST', url: '/observations', tx: TRACE.recordObservation, tags },
  {
    method: 'POST', url: '/epcis/events', tx: TRACE.captureEpcis, tags,
    summary: 'Capture one EPCIS 2.0 event, or an EPCISDocument of one event, synchronously (answers the operation it became; POST /epcis/capture takes whole documents)',
  },
  { method: 'GET', url: '/packs/:gtin/:serial/history', tx: TRACE.packHistory, tags, params: pack },
  // The pack's ledger history under the pack's own path; `/audit/history/pack/{gtin}?serial=` stays, the form every asset shares.
  {
    method: 'GET', url: '/packs/:gtin/:serial/ledger-history', tx: AUDIT.history, tags, params: pack, rename: { gtin: 'id' }, fixed: { assetType: 'pack' }, paged: true,
    operationId: 'audit_packLedgerHistory', summary: "The pack's ledger history, newest first (the same as GET /audit/history/pack/{gtin}?serial={serial})",
  },
  { method: 'GET', url: '/holdings', tx: TRACE.listHoldings, tags, paged: true },
  { method: 'GET', url: '/packs/:gtin/:serial', tx: TRACE.getPack, tags, params: pack },
];

/** The bulk commissioning route, as `GET /me` lists it (registered by hand below: it runs many transactions). */
export const COMMISSION_BULK: Route = { method: 'POST', url: '/packs/commission-bulk', tx: TRACE.commission, tags, operationId: 'trace_commissionBulk' };

const BulkResult = Type.Object(
  {
    total: Type.Integer({ description: 'Serials requested', examples: [500] }),
    done: Type.Integer({ description: 'Serials commissioned: all of them (a failure answers a problem with `progress` instead)', examples: [500] }),
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
  { additionalProperties: false, description: 'Every batch committed' },
);

/** Serials per commissioning transaction of a bulk request, and transactions in flight at once. */
const BULK_BATCH_SIZE = 250;
const BULK_IN_FLIGHT = 8;

export const traceRoutes: RouteModule = (app, ctx) => {
  // EPCIS 2.0 documents are JSON-LD; accept their media type as JSON.
  app.addContentTypeParser('application/ld+json', { parseAs: 'string' }, depthLimitedJsonParser(app));
  registerOperations(app, ctx, TRACE_ROUTES);
  epcisRoutes(app, ctx);
  app.post(
    '/packs/commission-bulk',
    {
      schema: {
        tags,
        operationId: COMMISSION_BULK.operationId,
        summary:
          'Commission up to 10,000 packs: submitted as transactions of 250 serials, up to 8 at a time; on a failure, the first failed batch\'s problem with `progress`: what committed (transactions, count) and the batch requests that did not, each a body for POST /packs/commission',
        body: CommissionBulkRequest,
        response: { 201: BulkResult, ...problemResponses() },
      },
    },
    async (request, reply) => {
      const user = signingUserOf(request);
      const journal = journalOf(request);
      const batches = planCommissionBatches(request.body as CommissionBulkRequest, BULK_BATCH_SIZE);
      const done = new Array<{ txId: string; count: number; result: unknown } | undefined>(batches.length);
      const failures: unknown[] = [];
      // Batches write disjoint keys, so they cannot conflict: keep a few in flight (measured:
      // 10,000 serials as 250-serial batches in parallel commit about twice as fast as 2,000-serial
      // batches one after another). All settle before answering, so nothing is left in flight.
      let next = 0;
      const worker = async (): Promise<void> => {
        for (let i = next++; i < batches.length && failures.length === 0; i = next++) {
          const batch = batches[i]!;
          try {
            const outcome = await ctx.ledger.submit(user, { fn: TRACE.commission.qualifiedName, args: [JSON.stringify(batch.request)], journal });
            done[i] = { txId: outcome.txId, count: batch.count, result: parseResult(outcome.result) };
          } catch (err) {
            failures.push(err);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(BULK_IN_FLIGHT, batches.length) }, worker));
      const total = batches[batches.length - 1]?.total ?? 0;
      if (failures.length > 0) throw new PartialCommit(failures[0], progressOf(batches, done, total));
      return reply.code(201).send({ total, done: total, batches: done.filter((b) => b !== undefined) });
    },
  );
};

/** What committed of a bulk request: the batches done, and the requests of the rest, in order. */
function progressOf(batches: readonly CommissionBatch[], done: readonly ({ txId: string; count: number } | undefined)[], total: number): CommitProgress {
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
