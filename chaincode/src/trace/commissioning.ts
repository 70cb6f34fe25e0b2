import { epochMsFromIso, requireRole, type HealthContext } from '../shared';
import { type CommissionRequest, fail, MAX_COMMISSION_PER_TX, serialsOf } from '@healthledger/contract-api';
import { requireGtin } from './identifiers';
import type { Pack } from './model';
import { putBatchEntries } from './pack-index';
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
  await refuseExisting(ctx, request, serials);
  const event = traceEvent(ctx, request, 'commissioning', 'ADD');
  const updatedBy = ctx.stamp();
  for (const serial of serials) {
    const pack: Pack = { gtin: request.gtin, serial, lot: request.lot, expiry: request.expiry, manufacturer: product.manufacturer, owner: ctx.caller.mspId, status: 'active', event, updatedBy };
    await writePack(ctx, pack, undefined);
  }
  await putBatchEntries(ctx, request, ctx.caller.mspId, serials);
  ctx.changes.add({ type: 'lot', id: `${request.gtin}/${request.lot}`, action: 'commissioned', count: serials.length });
  return { gtin: request.gtin, lot: request.lot, count: serials.length };
}

/**
 * `PACK_EXISTS` for the first serial already commissioned. A range request (what the bulk route
 * and the EPCIS range form send) is checked with one range read over its keys: its serials are
 * one block of keys, so a read per serial (a round trip each) would be wasted. A list of serials
 * may be scattered among other packs of the product, whose keys a range read would also read —
 * and conflict with, were one of them changed meanwhile — so a list is read key by key.
 */
async function refuseExisting(ctx: HealthContext, request: CommissionRequest, serials: readonly string[]): Promise<void> {
  const duplicate = request.range ? await firstInRange(ctx, request.gtin, serials) : await firstExisting(ctx, request.gtin, serials);
  if (duplicate !== undefined) fail('PACK_EXISTS', `${request.gtin}/${duplicate}`);
}

async function firstExisting(ctx: HealthContext, gtin: string, serials: readonly string[]): Promise<string | undefined> {
  for (const serial of serials) {
    if (await ctx.state.exists(packKey(ctx, gtin, serial))) return serial;
  }
  return undefined;
}

/**
 * The first of `serials` whose pack exists, from one read of every pack key between the lowest
 * and the highest serial (in key order, so every serial of the request lies in it, whatever their
 * widths); other packs in that span are ignored.
 */
async function firstInRange(ctx: HealthContext, gtin: string, serials: readonly string[]): Promise<string | undefined> {
  const sorted = [...serials].sort();
  const [low, high] = [sorted[0], sorted.at(-1)];
  if (low === undefined || high === undefined) return undefined;
  const wanted = new Map(serials.map((serial) => [packKey(ctx, gtin, serial), serial]));
  // A composite key ends with U+0000, so `key + U+0000` is the first key after it: the end bound is exclusive.
  const existing = await ctx.state.keysInRange(packKey(ctx, gtin, low), `${packKey(ctx, gtin, high)}\u0000`);
  const found = new Set(existing.map((key) => wanted.get(key)));
  return serials.find((serial) => found.has(serial));
}
