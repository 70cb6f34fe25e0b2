import { type HealthContext } from '../shared';
import { fail, type QuarantineRequest, type ResolveQuarantineRequest } from '@healthledger/contract-api';
import { requireOwner, requireQuarantineAuthority, requireTrader } from './authority';
import { expandTargets } from './containers';
import { requireGtin, targetRefs } from './identifiers';
import { packRef, type Pack } from './model';
import { requirePack, writePack } from './packs';
import { traceEvent } from './trace-event';

/**
 * Quarantines suspect packs (containers: all their contents) so they cannot move. Caller: a
 * trading role of the organisation holding them; active or in-transit packs only.
 */
export async function quarantine(ctx: HealthContext, request: QuarantineRequest): Promise<{ quarantined: number }> {
  requireTrader(ctx.caller);
  const refs = targetRefs(request.packs, request.containers);
  const reached = await expandTargets(ctx, refs.packs, refs.containers);
  for (const [ref, pack] of reached.packs) {
    requireOwner(ctx.caller, pack.owner, ref);
    if (pack.status !== 'active' && pack.status !== 'in_transit') fail('PACK_ILLEGAL_STATE', `${ref} is ${pack.status}`);
    if (pack.quarantine) fail('PACK_QUARANTINED', ref);
  }
  const event = traceEvent(ctx, request, 'holding', 'OBSERVE', { reason: request.reason });
  const updatedBy = ctx.stamp();
  const hold = { reason: request.reason, by: ctx.caller.mspId, at: ctx.now.iso };
  for (const pack of reached.packs.values()) await writePack(ctx, { ...pack, quarantine: hold, event, updatedBy }, pack);
  for (const ref of refs.packs) ctx.changes.add({ type: 'pack', id: ref, action: 'quarantined', reason: request.reason });
  for (const sscc of refs.containers) ctx.changes.add({ type: 'container', id: sscc, action: 'quarantined', reason: request.reason });
  return { quarantined: reached.packs.size };
}

async function quarantinedPack(ctx: HealthContext, request: ResolveQuarantineRequest): Promise<{ pack: Pack; ref: string }> {
  requireGtin(request.gtin, 'request/gtin');
  const pack = await requirePack(ctx, request.gtin, request.serial);
  requireQuarantineAuthority(ctx.caller, pack.manufacturer);
  const ref = packRef(pack.gtin, pack.serial);
  if (!pack.quarantine) fail('PACK_ILLEGAL_STATE', `${ref} is not quarantined`);
  return { pack, ref };
}

/**
 * Clears a quarantine: the pack is legitimate and may move again. Caller: role manufacturer of
 * the product's manufacturer organisation, or an auditor of a regulator organisation. The pack
 * is endorsed by its owner's peer as well.
 */
export async function clearQuarantine(ctx: HealthContext, request: ResolveQuarantineRequest): Promise<Pack> {
  const { pack, ref } = await quarantinedPack(ctx, request);
  const { quarantine: _hold, ...rest } = pack;
  const cleared: Pack = { ...rest, event: traceEvent(ctx, request, 'inspecting', 'OBSERVE', { reason: request.reason ?? 'cleared' }), updatedBy: ctx.stamp() };
  await writePack(ctx, cleared, pack);
  ctx.changes.add({ type: 'pack', id: ref, action: 'quarantine_cleared' });
  return cleared;
}

/**
 * Confirms a quarantined pack illegitimate (counterfeit, diverted, tampered): it may then only be
 * destroyed. Same callers as {@link clearQuarantine}. The change event carries what an
 * FDA-style illegitimate-product notification (Form 3911) needs: product, lot, holder.
 */
export async function confirmIllegitimate(ctx: HealthContext, request: ResolveQuarantineRequest): Promise<Pack> {
  const { pack, ref } = await quarantinedPack(ctx, request);
  const { quarantine: _hold, ...rest } = pack;
  const reason = request.reason ?? pack.quarantine?.reason ?? 'illegitimate';
  const confirmed: Pack = { ...rest, status: 'illegitimate', event: traceEvent(ctx, request, 'inspecting', 'OBSERVE', { reason }), updatedBy: ctx.stamp() };
  await writePack(ctx, confirmed, pack);
  ctx.changes.add({ type: 'pack', id: ref, action: 'illegitimate_confirmed', gtin: pack.gtin, lot: pack.lot, holder: pack.owner, manufacturer: pack.manufacturer, reason, notify: 'illegitimate_product' });
  return confirmed;
}
