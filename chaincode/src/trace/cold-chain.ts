import { type HealthContext } from '../shared';
import { requireOwner, requireTrader } from './authority';
import { expandTargets } from './containers';
import { targetRefs } from './identifiers';
import type { Pack, Product, TemperatureRange } from './model';
import { writePack } from './packs';
import { requireProduct } from './products';
import type { SensorReading, SensorReportRequest } from '@healthledger/contract-api';
import { traceEvent } from './trace-event';

/** A reading's value in degrees Celsius. */
export function celsius(reading: Pick<SensorReading, 'value' | 'uom'>): number {
  return reading.uom === 'CEL' ? reading.value : ((reading.value - 32) * 5) / 9;
}

/** The first reading outside `range`, if any. */
export function firstExcursion(readings: SensorReading[], range: TemperatureRange): SensorReading | undefined {
  return readings.find((r) => {
    const c = celsius(r);
    return c < range.minCelsius || c > range.maxCelsius;
  });
}

/**
 * Records EPCIS sensor readings (temperature) against packs or containers (applied to their
 * contents). Caller: a trading role of the organisation holding them. Each pack whose product
 * range a reading leaves becomes non-sellable, and the transaction announces the excursion.
 * The report itself is kept under key `sensorReport` / txId.
 */
export async function recordSensorReport(ctx: HealthContext, request: SensorReportRequest): Promise<{ readings: number; affected: string[] }> {
  requireTrader(ctx.caller);
  const refs = targetRefs(request.packs, request.containers);
  const reached = await expandTargets(ctx, refs.packs, refs.containers);
  for (const [ref, pack] of reached.packs) requireOwner(ctx.caller, pack.owner, ref);
  for (const container of reached.containers.values()) requireOwner(ctx.caller, container.owner, container.sscc);
  const products = new Map<string, Product>();
  const affected: string[] = [];
  const updatedBy = ctx.stamp();
  for (const [ref, pack] of reached.packs) {
    if (pack.status !== 'active' && pack.status !== 'in_transit') continue;
    const product = products.get(pack.gtin) ?? (await requireProduct(ctx, pack.gtin));
    products.set(pack.gtin, product);
    const excursion = firstExcursion(request.readings, product.storage);
    if (!excursion) continue;
    const event = traceEvent(ctx, request, 'sensor_reporting', 'OBSERVE', { reason: 'temperature_excursion', sensor: excursion });
    const next: Pack = { ...pack, nonSellable: pack.nonSellable ?? { reason: 'temperature_excursion', at: excursion.time }, event, updatedBy };
    await writePack(ctx, next, pack);
    affected.push(ref);
  }
  await ctx.state.put(ctx.state.key('sensorReport', ctx.txId), { ...refs, readings: request.readings, affected: affected.length, updatedBy });
  if (affected.length > 0) ctx.changes.add({ type: 'coldchain', id: ctx.txId, action: 'temperature_excursion', packs: affected.length });
  return { readings: request.readings.length, affected };
}
