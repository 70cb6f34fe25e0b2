import { dateOf, epochMsFromIso, requireOrgKind, requireRole, type HealthContext } from '../shared';
import { type DestroyRequest, fail, type PackRequest } from '@healthledger/contract-api';
import { requireOwner, requireTrader } from './authority';
import { detachFromParent, expandTargets, writeContainer } from './containers';
import { requireGtin, targetRefs } from './identifiers';
import { packRef, type Pack } from './model';
import { requirePack, writePack } from './packs';
import { traceEvent } from './trace-event';

/** EU FMD (Delegated Regulation 2016/161, Art. 13): a decommissioning may be reverted within ten days. */
export const UNDO_WINDOW_MS = 10 * 86_400_000;

/**
 * Dispenses (decommissions) a pack: EU FMD verification and decommissioning at the point of
 * dispense. Caller: role dispenser in a provider organisation that owns the pack. Refused for a
 * recalled, quarantined, expired, non-sellable or not active pack.
 */
export async function dispense(ctx: HealthContext, request: PackRequest): Promise<Pack> {
  requireRole(ctx.caller, 'dispenser');
  requireOrgKind(ctx.caller, 'provider');
  requireGtin(request.gtin, 'request/gtin');
  const pack = await requirePack(ctx, request.gtin, request.serial);
  const ref = packRef(pack.gtin, pack.serial);
  requireOwner(ctx.caller, pack.owner, ref);
  if (pack.status !== 'active') fail('PACK_ILLEGAL_STATE', `${ref} is ${pack.status}`);
  requireSaleable(pack, ref, dateOf(ctx.now.epochMs));
  if (pack.nonSellable) fail('PACK_ILLEGAL_STATE', `${ref} is non-sellable`);
  await detachFromParent(ctx, pack);
  const { parent: _parent, ...rest } = pack;
  const dispensed: Pack = {
    ...rest,
    status: 'dispensed',
    dispensedBy: ctx.caller.mspId,
    dispensedAt: ctx.now.iso,
    event: traceEvent(ctx, request, 'dispensing', 'OBSERVE'),
    updatedBy: ctx.stamp(),
  };
  await writePack(ctx, dispensed, pack);
  ctx.changes.add({ type: 'pack', id: ref, action: 'dispensed', org: ctx.caller.mspId });
  return dispensed;
}

function requireSaleable(pack: Pack, ref: string, today: string): void {
  if (pack.recalled) fail('PACK_RECALLED', ref);
  if (pack.quarantine) fail('PACK_QUARANTINED', ref);
  if (pack.expiry < today) fail('PACK_EXPIRED', ref);
}

/**
 * Reverts a dispense (EU FMD undo). Caller: role dispenser of the organisation that dispensed
 * it, within ten days of the dispense (transaction time); never for a recalled, quarantined or
 * expired pack, nor one a claim has billed.
 */
export async function undoDispense(ctx: HealthContext, request: PackRequest): Promise<Pack> {
  requireRole(ctx.caller, 'dispenser');
  requireGtin(request.gtin, 'request/gtin');
  const pack = await requirePack(ctx, request.gtin, request.serial);
  const ref = packRef(pack.gtin, pack.serial);
  if (pack.status !== 'dispensed') fail('PACK_ILLEGAL_STATE', `${ref} is ${pack.status}`);
  if (pack.dispensedBy !== ctx.caller.mspId) fail('ORG_FORBIDDEN', `${ctx.caller.mspId} did not dispense ${ref}`);
  const dispensedAt = epochMsFromIso(pack.dispensedAt ?? '') ?? 0;
  if (ctx.now.epochMs - dispensedAt > UNDO_WINDOW_MS) fail('UNDO_WINDOW_EXPIRED', ref);
  requireSaleable(pack, ref, dateOf(ctx.now.epochMs));
  if (pack.billedClaimId) fail('PACK_ILLEGAL_STATE', `${ref} is billed by claim ${pack.billedClaimId}`);
  const { dispensedBy: _by, dispensedAt: _at, ...rest } = pack;
  const restored: Pack = { ...rest, status: 'active', event: traceEvent(ctx, request, 'dispensing', 'OBSERVE', { reason: 'undo' }), updatedBy: ctx.stamp() };
  await writePack(ctx, restored, pack);
  ctx.changes.add({ type: 'pack', id: ref, action: 'dispense_undone', org: ctx.caller.mspId });
  return restored;
}

/**
 * Destroys packs (containers: all their contents) with a reason code. Caller: a trading role of
 * the owning organisation. Refused for dispensed, destroyed, in-transit or quarantined packs
 * (a quarantine must be cleared or confirmed illegitimate first).
 */
export async function destroy(ctx: HealthContext, request: DestroyRequest): Promise<{ destroyed: number }> {
  requireTrader(ctx.caller);
  const refs = targetRefs(request.packs, request.containers);
  const reached = await expandTargets(ctx, refs.packs, refs.containers);
  for (const [ref, pack] of reached.packs) {
    requireOwner(ctx.caller, pack.owner, ref);
    if (pack.status !== 'active' && pack.status !== 'illegitimate') fail('PACK_ILLEGAL_STATE', `${ref} is ${pack.status}`);
    if (pack.quarantine) fail('PACK_QUARANTINED', ref);
  }
  for (const container of reached.containers.values()) requireOwner(ctx.caller, container.owner, container.sscc);
  const event = traceEvent(ctx, request, 'destroying', 'DELETE', { reason: request.reason });
  const updatedBy = ctx.stamp();
  for (const [ref, pack] of reached.packs) {
    if (refs.packs.includes(ref)) await detachFromParent(ctx, pack);
    const { parent: _parent, ...rest } = pack;
    await writePack(ctx, { ...rest, status: 'destroyed', destroyReason: request.reason, event, updatedBy }, pack);
  }
  for (const container of reached.containers.values()) {
    await writeContainer(ctx, { ...container, packs: [], containers: [], event, updatedBy }, container);
  }
  ctx.changes.add({ type: 'packs', id: ctx.txId, action: 'destroyed', count: reached.packs.size, reason: request.reason });
  return { destroyed: reached.packs.size };
}
