import { requireOrgKind, requireRole, type HealthContext } from '../shared';
import { fail, type LotRequest, MAX_COMMISSION_PER_TX, type RecallRequest } from '@healthledger/contract-api';
import { requireGtin } from './identifiers';
import type { PackStatus, Recall } from './model';
import { packsOfLot } from './indexed-packs';
import { writePack } from './packs';
import { requireProduct } from './products';
import { readRecall, recallKey } from './recall-record';
import { traceEvent } from './trace-event';

/**
 * Recalls a lot and flags its packs. Caller: role manufacturer of the product's manufacturer
 * organisation. The recall record makes every pack of the lot read as recalled at once
 * (`verify`); the packs themselves are flagged up to `maxPacks` per transaction — call again
 * until `remaining` is 0. Flagging writes packs owned by other organisations, so each holder's
 * peer endorses (Fabric's gateway plans this from the keys' endorsement policies).
 */
export async function recallLot(ctx: HealthContext, request: RecallRequest): Promise<{ gtin: string; lot: string; flagged: number; remaining: number }> {
  requireRole(ctx.caller, 'manufacturer');
  requireGtin(request.gtin, 'request/gtin');
  const product = await requireProduct(ctx, request.gtin);
  if (product.manufacturer !== ctx.caller.mspId) fail('ORG_FORBIDDEN', `${ctx.caller.mspId} is not the manufacturer of ${request.gtin}`);
  if (!(await readRecall(ctx, request.gtin, request.lot))) {
    const recall: Recall = { gtin: request.gtin, lot: request.lot, reason: request.reason, updatedBy: ctx.stamp() };
    await ctx.state.put(recallKey(ctx, request.gtin, request.lot), recall);
  }
  const max = request.maxPacks ?? MAX_COMMISSION_PER_TX;
  const event = traceEvent(ctx, {}, 'recalling', 'OBSERVE', { reason: request.reason });
  let flagged = 0;
  let remaining = 0;
  for await (const { pack } of packsOfLot(ctx, request.gtin, request.lot)) {
    if (pack.recalled || pack.status === 'destroyed') continue;
    if (flagged >= max) {
      remaining += 1;
      continue;
    }
    await writePack(ctx, { ...pack, recalled: true, event, updatedBy: ctx.stamp() }, pack);
    flagged += 1;
  }
  ctx.changes.add({ type: 'lot', id: `${request.gtin}/${request.lot}`, action: 'recalled', flagged, remaining, reason: request.reason });
  return { gtin: request.gtin, lot: request.lot, flagged, remaining };
}

/** One current holder of a lot. */
export interface LotHolder {
  owner: string;
  packs: number;
  byStatus: Partial<Record<PackStatus, number>>;
}

/**
 * Every current holder of a lot with counts, from the `pack~lot` index (by lot, then owner).
 * Destroyed packs are counted apart. Evaluate; caller: any identity of a consortium organisation.
 */
export async function recallHolders(ctx: HealthContext, request: LotRequest): Promise<{ gtin: string; lot: string; recalled: boolean; holders: LotHolder[]; destroyed: number }> {
  if (!ctx.caller.orgKind) requireOrgKind(ctx.caller, 'provider', 'payer', 'manufacturer', 'distributor', 'regulator');
  requireGtin(request.gtin, 'request/gtin');
  const holders = new Map<string, LotHolder>();
  let destroyed = 0;
  for await (const { owner, pack } of packsOfLot(ctx, request.gtin, request.lot)) {
    if (pack.status === 'destroyed') {
      destroyed += 1;
      continue;
    }
    const holder = holders.get(owner) ?? { owner, packs: 0, byStatus: {} };
    holder.packs += 1;
    holder.byStatus[pack.status] = (holder.byStatus[pack.status] ?? 0) + 1;
    holders.set(owner, holder);
  }
  const recalled = (await readRecall(ctx, request.gtin, request.lot)) !== undefined;
  return { gtin: request.gtin, lot: request.lot, recalled, holders: [...holders.values()], destroyed };
}
