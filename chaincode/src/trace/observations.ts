import { type HealthContext } from '../shared';
import { CBV_BIZ_STEPS, CBV_BIZ_TRANSACTION_TYPES, CBV_DISPOSITIONS, cbvValue, fail, NAMESPACED, type ObservationRequest } from '@healthledger/contract-api';
import { requireOwner, requireTrader } from './authority';
import { expandTargets } from './containers';
import { targetRefs } from './identifiers';
import type { Pack, TraceEvent } from './model';
import { writePack } from './packs';
import { traceEvent } from './trace-event';

/** Pack states an observation may be recorded in: the pack is still in the supply chain. */
const OBSERVABLE: Pack['status'][] = ['active', 'in_transit'];

/**
 * Records an EPCIS event the ledger does not act on (an inspection, a shipping step without a
 * change of owner, …) as a version of each pack it names, so it reads back in the pack's
 * history. Nothing else about the pack changes. The rules are those of any write to a pack:
 * a trading role (`ROLE_FORBIDDEN`), packs that exist (`PACK_NOT_FOUND`, `CONTAINER_NOT_FOUND`),
 * held by the caller's organisation (`NOT_OWNER`; the key is endorsed by the owner) and still in
 * the supply chain (`PACK_ILLEGAL_STATE` once dispensed, destroyed or illegitimate).
 */
export async function recordObservation(ctx: HealthContext, request: ObservationRequest): Promise<{ observed: number }> {
  requireTrader(ctx.caller);
  const refs = targetRefs(request.packs, request.containers);
  const reached = await expandTargets(ctx, refs.packs, refs.containers);
  for (const [ref, pack] of reached.packs) {
    requireOwner(ctx.caller, pack.owner, ref);
    if (!OBSERVABLE.includes(pack.status)) fail('PACK_ILLEGAL_STATE', `${ref} is ${pack.status}`);
  }
  const bizStep = request.bizStep === undefined ? undefined : vocabulary(request.bizStep, CBV_BIZ_STEPS, 'request/bizStep');
  const event = traceEvent(ctx, request, bizStep, request.action, observationFields(request));
  const updatedBy = ctx.stamp();
  for (const pack of reached.packs.values()) await writePack(ctx, { ...pack, event, updatedBy }, pack);
  return { observed: reached.packs.size };
}

/**
 * What the observation stores besides its step, each term as EPCIS 2.0 JSON spells it (a CBV
 * term bare, a user vocabulary as its URI), so the history reads back schema-valid.
 */
function observationFields(request: ObservationRequest): Partial<TraceEvent> {
  const fields: Partial<TraceEvent> = { observed: true };
  if (request.disposition) fields.disposition = vocabulary(request.disposition, CBV_DISPOSITIONS, 'request/disposition');
  if (request.bizTransactions?.length) {
    fields.bizTransactions = request.bizTransactions.map((t, i) => {
      if (!NAMESPACED.test(t.id)) fail('VALIDATION_FAILED', `request/bizTransactions/${i}/id: is not a URI`);
      return t.type === undefined ? { id: t.id } : { type: vocabulary(t.type, CBV_BIZ_TRANSACTION_TYPES, `request/bizTransactions/${i}/type`), id: t.id };
    });
  }
  return fields;
}

/** A CBV term or user-vocabulary URI, as recorded; VALIDATION_FAILED naming `field` otherwise. */
function vocabulary(value: string, terms: readonly string[], field: string): string {
  return cbvValue(value, terms) ?? fail('VALIDATION_FAILED', `${field}: ${value} is neither a GS1 CBV 2.0 term nor a URI`);
}
