/**
 * Drug traceability (GS1 EPCIS 2.0, DSCSA, EU FMD): products, commissioning (incl. bulk, split
 * into transaction-sized batches), aggregation, shipping and receipt, dispensing and its undo,
 * destruction, verification, recall, quarantine, sensor readings, and raw EPCIS 2.0 capture.
 */
import { Type } from '@sinclair/typebox';
import { planCommissionBatches } from '@healthledger/chaincode/trace/batches';
import { CaptureRequest } from '@healthledger/chaincode/trace/epcis/schemas';
import * as S from '@healthledger/chaincode/trace/schemas';
import type { RouteModule } from '../app';
import { signingUserOf } from '../auth/principal';
import { depthLimitedJsonParser } from '../http/json-body';
import { registerOperations, parseResult, type Operation } from './operation';

const tags = ['traceability'];
const pack = ['gtin', 'serial'];

export const TRACE_OPERATIONS: Operation[] = [
  { method: 'POST', url: '/products', fn: 'trace:registerProduct', mode: 'submit', request: S.RegisterProductRequest, tags, summary: 'Register a product (GTIN)' },
  { method: 'GET', url: '/products/:gtin', fn: 'trace:getProduct', mode: 'evaluate', request: S.ProductQuery, tags, params: ['gtin'], summary: 'One product' },
  { method: 'POST', url: '/packs/commission', fn: 'trace:commission', mode: 'submit', request: S.CommissionRequest, tags, summary: 'Commission packs (one transaction)' },
  { method: 'POST', url: '/containers', fn: 'trace:aggregate', mode: 'submit', request: S.AggregateRequest, tags, summary: 'Aggregate packs into a container (SSCC)' },
  {
    method: 'POST', url: '/containers/:sscc/disaggregation', fn: 'trace:disaggregate', mode: 'submit', request: S.DisaggregateRequest, tags,
    params: ['sscc'], status: 200, summary: 'Disaggregate a container',
  },
  { method: 'POST', url: '/shipments', fn: 'trace:ship', mode: 'submit', request: S.ShipRequest, tags, summary: 'Ship packs or containers' },
  {
    method: 'POST', url: '/shipments/:shipmentId/receipt', fn: 'trace:receive', mode: 'submit', request: S.ReceiveRequest, tags,
    params: ['shipmentId'], status: 200, summary: 'Receive a shipment',
  },
  { method: 'GET', url: '/shipments/:shipmentId', fn: 'trace:getShipment', mode: 'evaluate', request: S.ShipmentQuery, tags, params: ['shipmentId'], summary: 'One shipment' },
  { method: 'POST', url: '/packs/:gtin/:serial/dispense', fn: 'trace:dispense', mode: 'submit', request: S.PackRequest, tags, params: pack, status: 200, summary: 'Dispense (decommission) a pack' },
  { method: 'POST', url: '/packs/:gtin/:serial/dispense-undo', fn: 'trace:undoDispense', mode: 'submit', request: S.PackRequest, tags, params: pack, status: 200, summary: 'Undo a dispense within the window' },
  { method: 'POST', url: '/destructions', fn: 'trace:destroy', mode: 'submit', request: S.DestroyRequest, tags, summary: 'Destroy packs or containers' },
  { method: 'POST', url: '/verifications', fn: 'trace:verify', mode: 'evaluate', request: S.VerifyRequest, tags, status: 200, summary: 'Verify a pack (SGTIN or scanned barcode)' },
  { method: 'POST', url: '/recalls', fn: 'trace:recallLot', mode: 'submit', request: S.RecallRequest, tags, summary: 'Recall a lot (call again until remaining is 0)' },
  {
    method: 'GET', url: '/products/:gtin/lots/:lot/holders', fn: 'trace:recallHolders', mode: 'evaluate', request: S.LotRequest, tags,
    params: ['gtin', 'lot'], summary: 'Who holds packs of a lot',
  },
  { method: 'POST', url: '/quarantines', fn: 'trace:quarantine', mode: 'submit', request: S.QuarantineRequest, tags, summary: 'Quarantine suspect packs' },
  {
    method: 'POST', url: '/packs/:gtin/:serial/quarantine-clearance', fn: 'trace:clearQuarantine', mode: 'submit', request: S.ResolveQuarantineRequest,
    tags, params: pack, status: 200, summary: 'Clear a quarantine (pack is legitimate)',
  },
  {
    method: 'POST', url: '/packs/:gtin/:serial/illegitimate', fn: 'trace:confirmIllegitimate', mode: 'submit', request: S.ResolveQuarantineRequest,
    tags, params: pack, status: 200, summary: 'Confirm a quarantined pack illegitimate',
  },
  { method: 'POST', url: '/sensor-reports', fn: 'trace:recordSensorReport', mode: 'submit', request: S.SensorReportRequest, tags, summary: 'Record sensor (temperature) readings' },
  { method: 'POST', url: '/epcis/events', fn: 'trace:captureEpcis', mode: 'submit', request: CaptureRequest, tags, summary: 'Capture one EPCIS 2.0 JSON event or one-event EPCISDocument' },
  { method: 'GET', url: '/packs/:gtin/:serial/history', fn: 'trace:packHistory', mode: 'evaluate', request: S.PackQuery, tags, params: pack, summary: 'Pack history as an EPCISDocument' },
  {
    method: 'GET', url: '/holdings', fn: 'trace:listHoldings', mode: 'evaluate', request: S.HoldingsRequest, tags,
    paged: true, summary: "Packs the caller's organisation owns (a regulator: any owner's)",
  },
  { method: 'GET', url: '/packs/:gtin/:serial', fn: 'trace:getPack', mode: 'evaluate', request: S.PackQuery, tags, params: pack, summary: 'One pack' },
];

const BulkResult = Type.Object(
  {
    total: Type.Integer(),
    done: Type.Integer(),
    batches: Type.Array(Type.Object({ txId: Type.String(), count: Type.Integer(), result: Type.Unknown() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

/** Serials per commissioning transaction of a bulk request, and transactions in flight at once. */
const BULK_BATCH_SIZE = 250;
const BULK_IN_FLIGHT = 8;

export const traceRoutes: RouteModule = (app, ctx) => {
  // EPCIS 2.0 documents are JSON-LD; accept their media type as JSON.
  app.addContentTypeParser('application/ld+json', { parseAs: 'string' }, depthLimitedJsonParser(app));
  registerOperations(app, ctx, TRACE_OPERATIONS);
  app.post(
    '/packs/commission-bulk',
    {
      schema: {
        tags,
        summary: 'Commission up to 10,000 packs: submitted as transactions of 250 serials, up to 8 at a time; all or, on failure, the error of the first failed batch',
        body: S.CommissionBulkRequest,
        response: { 201: BulkResult },
      },
    },
    async (request, reply) => {
      const user = signingUserOf(request);
      const batches = planCommissionBatches(request.body as S.CommissionBulkRequest, BULK_BATCH_SIZE);
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
            const outcome = await ctx.ledger.submit(user, { fn: 'trace:commission', args: [JSON.stringify(batch.request)] });
            done[i] = { txId: outcome.txId, count: batch.count, result: parseResult(outcome.result) };
          } catch (err) {
            failures.push(err);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(BULK_IN_FLIGHT, batches.length) }, worker));
      if (failures.length > 0) throw failures[0];
      const total = batches[batches.length - 1]?.total ?? 0;
      return reply.code(201).send({ total, done: total, batches: done.filter((b) => b !== undefined) });
    },
  );
};
