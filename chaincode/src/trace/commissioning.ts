import { epochMsFromIso, requireRole, type HealthContext } from '../shared';
import { type CommissionRequest, fail, MAX_COMMISSION_PER_TX, serialsOf } from '@healthledger/contract-api';
import { requireGtin } from './identifiers';
import type { Pack } from './model';
import { packKey, writePack } from './packs';
import { requireProduct } from './products';
import { readRecall } from './recall-record';
import { traceEvent } from './trace-event';

/**
 * Commissions serialized packs of one product lot, owned (and endorsed) by the caller's
 * organisation. All or nothing: an existing serial fails the whole transaction (`PACK_EXISTS`).
 */
export async function commission(ctx: HealthContext, request: CommissionRequest): Promise<{ gtin: string; lot: string; count: number }> {
  requireRole(ctx.caller, 'manufacturer');
  requireGtin(request.gtin, 'request/gtin');
  if (epochMsFromIso(request.expiry) === undefined) fail('VALIDATION_FAILED', 'request/expiry: not a calendar date');
  const product = await requireProduct(ctx, request.gtin);
  if (product.manufacturer !== ctx.caller.mspId) fail('ORG_FORBIDDEN', `${ctx.caller.mspId} is not the manufacturer of ${request.gtin}`);
  if (await readRecall(ctx, request.gtin, request.lot)) fail('PACK_RECALLED', `lot ${request.lot}`);
  const serials = serialsOf(request);
  if (serials.length > MAX_COMMISSION_PER_TX) fail('VALIDATION_FAILED', `request: more than ${MAX_COMMISSION_PER_TX} serials`);
  for (const serial of serials) {
    if (await ctx.state.exists(packKey(ctx, request.gtin, serial))) fail('PACK_EXISTS', `${request.gtin}/${serial}`);
  }
  const event = traceEvent(ctx, request, 'commissioning', 'ADD');
  const updatedBy = ctx.stamp();
  for (const serial of serials) {
    const pack: Pack = { gtin: request.gtin, serial, lot: request.lot, expiry: request.expiry, manufacturer: product.manufacturer, owner: ctx.caller.mspId, status: 'active', event, updatedBy };
    await writePack(ctx, pack, undefined);
  }
  ctx.changes.add({ type: 'lot', id: `${request.gtin}/${request.lot}`, action: 'commissioned', count: serials.length });
  return { gtin: request.gtin, lot: request.lot, count: serials.length };
}
