import { type HealthContext } from '../shared';
import { type AggregateRequest, type DisaggregateRequest, fail, MAX_PACKS_PER_TX } from '@healthledger/contract-api';
import { requireOwner, requireTrader } from './authority';
import { requireSscc, targetRefs } from './identifiers';
import { packRef, splitPackRef, type Container, type Pack } from './model';
import { requirePack, writePack } from './packs';
import { traceEvent } from './trace-event';

/** Aggregation (cases, pallets) and the expansion of an action on containers to their contents. */

/** The world-state key of a container: `container` / sscc18. */
export function containerKey(ctx: HealthContext, sscc: string): string {
  return ctx.state.key('container', sscc);
}

/** The container, or undefined. */
export async function readContainer(ctx: HealthContext, sscc: string): Promise<Container | undefined> {
  return ctx.state.get<Container>(containerKey(ctx, sscc));
}

/** The container, or `CONTAINER_NOT_FOUND`. */
export async function requireContainer(ctx: HealthContext, sscc: string): Promise<Container> {
  return (await readContainer(ctx, sscc)) ?? fail('CONTAINER_NOT_FOUND', sscc);
}

/** Writes a container version; its endorsement policy follows the owner. */
export async function writeContainer(ctx: HealthContext, container: Container, previous: Container | undefined): Promise<void> {
  const key = containerKey(ctx, container.sscc);
  await ctx.state.put(key, container);
  if (previous?.owner !== container.owner) await ctx.state.setEndorsers(key, [container.owner]);
}

/** Packs and containers an action reaches, keyed by ref / SSCC, each with the version read. */
export interface Expansion {
  packs: Map<string, Pack>;
  containers: Map<string, Container>;
}

/**
 * Resolves an action's targets: named packs, named containers and, recursively, everything
 * inside those containers ("an action on a container applies to its contents").
 */
export async function expandTargets(ctx: HealthContext, packs: string[], containers: string[]): Promise<Expansion> {
  const out: Expansion = { packs: new Map(), containers: new Map() };
  for (const ref of packs) {
    const { gtin, serial } = splitPackRef(ref);
    out.packs.set(ref, await requirePack(ctx, gtin, serial));
  }
  const queue = [...containers];
  for (let sscc = queue.shift(); sscc !== undefined; sscc = queue.shift()) {
    if (out.containers.has(sscc)) continue;
    const container = await requireContainer(ctx, sscc);
    out.containers.set(sscc, container);
    queue.push(...container.containers);
    for (const ref of container.packs) {
      if (out.packs.has(ref)) continue;
      const { gtin, serial } = splitPackRef(ref);
      out.packs.set(ref, await requirePack(ctx, gtin, serial));
    }
    if (out.packs.size > MAX_PACKS_PER_TX) fail('VALIDATION_FAILED', `request: reaches more than ${MAX_PACKS_PER_TX} packs`);
  }
  return out;
}

/**
 * Packs packs and/or containers into container `sscc` (created on first use, owned by the
 * caller). Caller: a trading role of the organisation owning the container and every child.
 */
export async function aggregate(ctx: HealthContext, request: AggregateRequest): Promise<Container> {
  requireTrader(ctx.caller);
  requireSscc(request.sscc, 'request/sscc');
  const refs = targetRefs(request.packs, request.containers);
  if (refs.containers.includes(request.sscc)) fail('VALIDATION_FAILED', 'request/containers: a container cannot contain itself');
  const previous = await readContainer(ctx, request.sscc);
  if (previous) {
    requireOwner(ctx.caller, previous.owner, request.sscc);
    if (previous.status !== 'active') fail('PACK_ILLEGAL_STATE', `${request.sscc} is ${previous.status}`);
    await requireNotInside(ctx, previous, refs.containers);
  }
  const event = traceEvent(ctx, request, 'packing', 'ADD', { parent: request.sscc });
  const updatedBy = ctx.stamp();
  for (const ref of refs.packs) {
    const { gtin, serial } = splitPackRef(ref);
    const pack = await requirePack(ctx, gtin, serial);
    requireMovable(ctx, pack.owner, pack.status, pack.parent, ref);
    if (pack.quarantine) fail('PACK_QUARANTINED', ref);
    await writePack(ctx, { ...pack, parent: request.sscc, event, updatedBy }, pack);
  }
  for (const sscc of refs.containers) {
    const child = await requireContainer(ctx, sscc);
    requireMovable(ctx, child.owner, child.status, child.parent, sscc);
    await writeContainer(ctx, { ...child, parent: request.sscc, event, updatedBy }, child);
  }
  const container: Container = {
    sscc: request.sscc,
    owner: ctx.caller.mspId,
    status: 'active',
    packs: merge(previous?.packs, refs.packs),
    containers: merge(previous?.containers, refs.containers),
    event,
    updatedBy,
  };
  const companyPrefixLength = request.companyPrefixLength ?? previous?.companyPrefixLength;
  if (companyPrefixLength !== undefined) container.companyPrefixLength = companyPrefixLength;
  if (previous?.parent) container.parent = previous.parent;
  await writeContainer(ctx, container, previous);
  ctx.changes.add({ type: 'container', id: request.sscc, action: 'packed', packs: refs.packs.length, containers: refs.containers.length });
  return container;
}

function requireMovable(ctx: HealthContext, owner: string, status: string, parent: string | undefined, ref: string): void {
  requireOwner(ctx.caller, owner, ref);
  if (status !== 'active') fail('PACK_ILLEGAL_STATE', `${ref} is ${status}`);
  if (parent) fail('PACK_ILLEGAL_STATE', `${ref} is already in ${parent}`);
}

/** Refuses a cycle: none of `children` may be the container or one of its ancestors. */
async function requireNotInside(ctx: HealthContext, container: Container, children: string[]): Promise<void> {
  for (let parent = container.parent; parent !== undefined; parent = (await requireContainer(ctx, parent)).parent) {
    if (children.includes(parent)) fail('VALIDATION_FAILED', `request/containers: ${parent} contains ${container.sscc}`);
  }
}

function merge(existing: string[] = [], added: string[]): string[] {
  return [...new Set([...existing, ...added])].sort();
}

/**
 * Takes packs and/or containers out of container `sscc` (all of its contents when none are
 * named). Caller: a trading role of the container's owner organisation.
 */
export async function disaggregate(ctx: HealthContext, request: DisaggregateRequest): Promise<Container> {
  requireTrader(ctx.caller);
  requireSscc(request.sscc, 'request/sscc');
  const previous = await requireContainer(ctx, request.sscc);
  requireOwner(ctx.caller, previous.owner, request.sscc);
  if (previous.status !== 'active') fail('PACK_ILLEGAL_STATE', `${request.sscc} is ${previous.status}`);
  const all = !request.packs?.length && !request.containers?.length;
  const refs = all ? { packs: previous.packs, containers: previous.containers } : targetRefs(request.packs, request.containers);
  const notInside = [...refs.packs.filter((r) => !previous.packs.includes(r)), ...refs.containers.filter((c) => !previous.containers.includes(c))];
  if (notInside.length > 0) fail('VALIDATION_FAILED', `request: not in ${request.sscc}: ${notInside.slice(0, 10).join(', ')}`);
  const event = traceEvent(ctx, request, 'unpacking', 'DELETE', { parent: request.sscc });
  const updatedBy = ctx.stamp();
  for (const ref of refs.packs) {
    const { gtin, serial } = splitPackRef(ref);
    const { parent: _parent, ...pack } = await requirePack(ctx, gtin, serial);
    await writePack(ctx, { ...pack, event, updatedBy }, pack);
  }
  for (const sscc of refs.containers) {
    const { parent: _parent, ...child } = await requireContainer(ctx, sscc);
    await writeContainer(ctx, { ...child, event, updatedBy }, child);
  }
  const container: Container = {
    ...previous,
    packs: previous.packs.filter((r) => !refs.packs.includes(r)),
    containers: previous.containers.filter((c) => !refs.containers.includes(c)),
    event,
    updatedBy,
  };
  await writeContainer(ctx, container, previous);
  ctx.changes.add({ type: 'container', id: request.sscc, action: 'unpacked', packs: refs.packs.length, containers: refs.containers.length });
  return container;
}

/** Removes a pack from its container (dispense, destroy): the container's contents stay truthful. */
export async function detachFromParent(ctx: HealthContext, pack: Pack): Promise<void> {
  if (!pack.parent) return;
  const container = await readContainer(ctx, pack.parent);
  if (!container) return;
  const ref = packRef(pack.gtin, pack.serial);
  await writeContainer(ctx, { ...container, packs: container.packs.filter((r) => r !== ref), updatedBy: ctx.stamp() }, container);
}
