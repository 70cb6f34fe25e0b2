/**
 * Drug traceability (GS1 EPCIS 2.0, DSCSA, EU FMD): products, commissioning (incl. bulk, split
 * into transaction-sized batches), aggregation, shipping and receipt, dispensing and its undo,
 * destruction, verification, recall, quarantine, sensor readings, observations, and EPCIS 2.0
 * capture and query (epcis.ts).
 */
import { AUDIT, TRACE } from '@healthledger/contract-api';
import type { RouteModule } from '../context';
import { depthLimitedJsonParser } from '../../http/json-body';
import { epcisRoutes } from './epcis';
import { commissionBulkRoute } from './commission-bulk';
import { EXPORT, operationIdOf, registerOperations, type Route } from './operation';
import { recallKind } from './recall';

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
  {
    method: 'POST', url: '/recalls', tx: TRACE.recallLot, tags,
    async: { kind: 'recall', description: 'calls recallLot again until no pack of the lot is left unflagged (progress counts packs; each transaction is a batch)' },
  },
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
  { method: 'GET', url: '/holdings', tx: TRACE.listHoldings, tags, paged: true, async: EXPORT },
  { method: 'GET', url: '/packs/:gtin/:serial', tx: TRACE.getPack, tags, params: pack },
];

/** The bulk commissioning route, as `GET /me` lists it (registered by hand below: it runs many transactions). */
export const COMMISSION_BULK: Route = { method: 'POST', url: '/packs/commission-bulk', tx: TRACE.commission, tags, operationId: 'trace_commissionBulk' };

export const traceRoutes: RouteModule = (app, ctx) => {
  // EPCIS 2.0 documents are JSON-LD; accept their media type as JSON.
  app.addContentTypeParser('application/ld+json', { parseAs: 'string' }, depthLimitedJsonParser(app));
  ctx.operations.define('recall', recallKind(ctx.ledger));
  registerOperations(app, ctx, TRACE_ROUTES);
  epcisRoutes(app, ctx);
  commissionBulkRoute(app, ctx, operationIdOf(COMMISSION_BULK), tags);
};
