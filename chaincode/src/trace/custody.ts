import { dateOf, type HealthContext } from '../shared';
import { fail, ORGANIZATION_KINDS, type OrgKind, type ReceiveRequest, type ShipRequest } from '@healthledger/contract-api';
import { requireOwner, requireTrader } from './authority';
import { expandTargets, writeContainer, type Expansion } from './containers';
import { targetRefs } from './identifiers';
import type { Pack, Product, Shipment, TransactionInformationLine } from './model';
import { writePack } from './packs';
import { requireProduct } from './products';
import { traceEvent } from './trace-event';

/** The DSCSA transaction statement (FD&C Act §581(27)) recorded when a request gives no wording. */
export const DSCSA_STATEMENT =
  'Seller has complied with each applicable subsection of FDCA Sec. 582; has not knowingly shipped a suspect or illegitimate product; ' +
  'has systems and processes in place to comply with verification requirements; did not knowingly provide false transaction information; ' +
  'and did not knowingly alter the transaction history.';

/** Organisation kinds that take custody of drugs (DSCSA trading partners and dispensers). */
const TRADING_KINDS: OrgKind[] = ['manufacturer', 'distributor', 'provider'];

/** The world-state key of a shipment: `shipment` / shipmentId. */
export function shipmentKey(ctx: HealthContext, shipmentId: string): string {
  return ctx.state.key('shipment', shipmentId);
}

/** The shipment, or `SHIPMENT_NOT_FOUND`. */
export async function requireShipment(ctx: HealthContext, shipmentId: string): Promise<Shipment> {
  return (await ctx.state.get<Shipment>(shipmentKey(ctx, shipmentId))) ?? fail('SHIPMENT_NOT_FOUND', shipmentId);
}

/**
 * Ships packs and containers (with their contents) from the caller's organisation, which must own
 * them all, to trading partner `to`, recording DSCSA transaction information and the seller's
 * transaction statement. Recalled, expired or non-sellable packs may only go back to their
 * manufacturer; quarantined or aggregated-elsewhere packs cannot move.
 */
export async function ship(ctx: HealthContext, request: ShipRequest): Promise<Shipment> {
  requireTrader(ctx.caller);
  const refs = targetRefs(request.packs, request.containers);
  if (request.to === ctx.caller.mspId) fail('VALIDATION_FAILED', 'request/to: is the sender');
  const toKind = ORGANIZATION_KINDS[request.to];
  if (!toKind) fail('VALIDATION_FAILED', `request/to: ${request.to} is not a consortium organisation`);
  if (!TRADING_KINDS.includes(toKind)) fail('VALIDATION_FAILED', `request/to: ${request.to} is a ${toKind}, not a trading partner`);
  const key = shipmentKey(ctx, request.shipmentId);
  if (await ctx.state.exists(key)) fail('SHIPMENT_EXISTS', request.shipmentId);
  const reached = await expandTargets(ctx, refs.packs, refs.containers);
  for (const sscc of refs.containers) {
    const container = reached.containers.get(sscc);
    if (container?.parent) fail('PACK_ILLEGAL_STATE', `${sscc} is inside ${container.parent}`);
  }
  for (const container of reached.containers.values()) {
    requireOwner(ctx.caller, container.owner, container.sscc);
    if (container.status !== 'active') fail('PACK_ILLEGAL_STATE', `${container.sscc} is ${container.status}`);
  }
  const today = dateOf(ctx.now.epochMs);
  for (const [ref, pack] of reached.packs) {
    if (refs.packs.includes(ref) && pack.parent) fail('PACK_ILLEGAL_STATE', `${ref} is inside ${pack.parent}`);
    requireShippable(ctx, pack, ref, request.to, today);
  }
  const event = traceEvent(ctx, request, 'shipping', 'OBSERVE', { shipmentId: request.shipmentId, partner: request.to });
  await moveAll(ctx, reached, { status: 'in_transit', shipmentId: request.shipmentId, event });
  const updatedBy = ctx.stamp();
  const shipment: Shipment = {
    id: request.shipmentId,
    from: ctx.caller.mspId,
    to: request.to,
    status: 'shipped',
    packs: refs.packs,
    containers: refs.containers,
    transactionInformation: {
      transactionDate: request.transactionDate,
      shipmentDate: request.shipmentDate ?? today,
      lines: await transactionLines(ctx, [...reached.packs.values()]),
    },
    transactionStatement: { attested: true, text: request.transactionStatement.text ?? DSCSA_STATEMENT, by: updatedBy },
    updatedBy,
  };
  await ctx.state.put(key, shipment);
  await ctx.state.setEndorsers(key, [shipment.from, shipment.to]);
  ctx.changes.add({ type: 'shipment', id: shipment.id, action: 'shipped', from: shipment.from, to: shipment.to, packs: reached.packs.size });
  return shipment;
}

function requireShippable(ctx: HealthContext, pack: Pack, ref: string, to: string, today: string): void {
  requireOwner(ctx.caller, pack.owner, ref);
  if (pack.status !== 'active') fail('PACK_ILLEGAL_STATE', `${ref} is ${pack.status}`);
  if (pack.quarantine) fail('PACK_QUARANTINED', ref);
  if (to === pack.manufacturer) return; // returns to the manufacturer are how recalled/expired stock leaves the chain
  if (pack.recalled) fail('PACK_RECALLED', ref);
  if (pack.expiry < today) fail('PACK_EXPIRED', ref);
  if (pack.nonSellable) fail('PACK_ILLEGAL_STATE', `${ref} is non-sellable`);
}

/** DSCSA transaction information: one line per product and lot, with the product's master data. */
async function transactionLines(ctx: HealthContext, packs: Pack[]): Promise<TransactionInformationLine[]> {
  const lines = new Map<string, TransactionInformationLine>();
  const products = new Map<string, Product>();
  for (const pack of packs) {
    const id = `${pack.gtin}\u0000${pack.lot}`;
    const line = lines.get(id);
    if (line) {
      line.quantity += 1;
      continue;
    }
    const product = products.get(pack.gtin) ?? (await requireProduct(ctx, pack.gtin));
    products.set(pack.gtin, product);
    const { gtin, name, strength, dosageForm, packSize, ndc } = product;
    lines.set(id, { gtin, name, strength, dosageForm, packSize, lot: pack.lot, expiry: pack.expiry, quantity: 1, ...(ndc ? { ndc } : {}) });
  }
  return [...lines.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, line]) => line);
}

/** Writes every reached pack and container with the given custody fields. */
async function moveAll(ctx: HealthContext, reached: Expansion, change: { status: 'active' | 'in_transit'; shipmentId?: string; owner?: string; event: Pack['event'] }): Promise<void> {
  const updatedBy = ctx.stamp();
  for (const pack of reached.packs.values()) {
    const { shipmentId: _old, ...rest } = pack;
    const next: Pack = { ...rest, status: change.status, owner: change.owner ?? pack.owner, event: change.event, updatedBy };
    if (change.shipmentId) next.shipmentId = change.shipmentId;
    await writePack(ctx, next, pack);
  }
  for (const container of reached.containers.values()) {
    const { shipmentId: _old, ...rest } = container;
    const next = { ...rest, status: change.status, owner: change.owner ?? container.owner, event: change.event, updatedBy };
    await writeContainer(ctx, change.shipmentId ? { ...next, shipmentId: change.shipmentId } : next, container);
  }
}

/**
 * Receives a shipment. Caller: a trading role of the consignee organisation only. The objects
 * received must be exactly the objects shipped (`SHIPMENT_MISMATCH` names the missing and the
 * unexpected ones). Ownership, and with it the packs' endorsement policy, passes to the
 * consignee: the sender's peer endorses this transaction too (the old policy still applies).
 */
export async function receive(ctx: HealthContext, request: ReceiveRequest): Promise<Shipment> {
  requireTrader(ctx.caller);
  const shipment = await requireShipment(ctx, request.shipmentId);
  if (ctx.caller.mspId !== shipment.to) fail('ORG_FORBIDDEN', `${ctx.caller.mspId} is not the consignee of ${shipment.id}`);
  if (shipment.status !== 'shipped') fail('SHIPMENT_MISMATCH', `${shipment.id} was already received`);
  const refs = targetRefs(request.packs, request.containers);
  const shipped = [...shipment.packs, ...shipment.containers];
  const received = [...refs.packs, ...refs.containers];
  const missing = shipped.filter((r) => !received.includes(r));
  const unexpected = received.filter((r) => !shipped.includes(r));
  if (missing.length + unexpected.length > 0) {
    fail('SHIPMENT_MISMATCH', [missing.length ? `missing ${missing.slice(0, 20).join(', ')}` : '', unexpected.length ? `unexpected ${unexpected.slice(0, 20).join(', ')}` : ''].filter(Boolean).join('; '));
  }
  const reached = await expandTargets(ctx, shipment.packs, shipment.containers);
  for (const [ref, pack] of reached.packs) {
    if (pack.status !== 'in_transit' || pack.shipmentId !== shipment.id) fail('PACK_ILLEGAL_STATE', `${ref} is not in transit in ${shipment.id}`);
    if (pack.quarantine) fail('PACK_QUARANTINED', ref);
  }
  const event = traceEvent(ctx, request, 'receiving', 'OBSERVE', { shipmentId: shipment.id, partner: shipment.from });
  await moveAll(ctx, reached, { status: 'active', owner: shipment.to, event });
  const done: Shipment = { ...shipment, status: 'received', receivedBy: ctx.stamp(), updatedBy: ctx.stamp() };
  await ctx.state.put(shipmentKey(ctx, shipment.id), done);
  ctx.changes.add({ type: 'shipment', id: shipment.id, action: 'received', from: shipment.from, to: shipment.to, packs: reached.packs.size });
  return done;
}
