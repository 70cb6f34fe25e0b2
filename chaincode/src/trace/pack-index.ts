import { type HealthContext } from '../shared';
import { serialsOf, type CommissionRequest, type SerialRange } from '@healthledger/contract-api';
import type { Pack } from './model';

/**
 * The custody indexes, `pack~lot` / gtin / lot / owner / … (recall: a lot's holders) and
 * `pack~owner` / owner / gtin / lot / … (an organisation's holdings), hold two kinds of entry:
 *
 * - a **batch entry** per commissioning transaction, its last attribute U+0001 + the first
 *   serial, its value the transaction id and the serials (a range, or the list). It stands for
 *   every pack of the batch that is still the version that transaction wrote — one index write
 *   per batch instead of one per pack, which halved the state calls of a commissioned pack;
 * - a **pack entry** (last attribute the serial, a marker value) per pack that changed since
 *   it was commissioned, kept exact on every write by `writePack`.
 *
 * A pack is therefore indexed by exactly one of them: its batch while unchanged, its own entries
 * afterwards. Batch entries are never rewritten (that would make every first move of a pack
 * conflict with every other move out of the same batch), so readers check each member's version.
 */

/** What a batch entry stores: the commissioning transaction and its serials. */
export interface BatchEntry {
  txId: string;
  range?: SerialRange;
  serials?: string[];
}

/** Starts a batch entry's last attribute; serials (GS1 CSET 82) never contain it, and it sorts first. */
export const BATCH_MARK = '\u0001';

/** Writes the two batch entries of one commissioning transaction (all its packs share gtin, lot, owner). */
export async function putBatchEntries(ctx: HealthContext, request: CommissionRequest, owner: string, serials: readonly string[]): Promise<void> {
  const first = serials[0];
  if (first === undefined) return;
  const entry: BatchEntry = { txId: ctx.txId, ...(request.range ? { range: request.range } : { serials: [...serials] }) };
  await ctx.state.put(ctx.state.key('pack~lot', request.gtin, request.lot, owner, BATCH_MARK + first), entry);
  await ctx.state.put(ctx.state.key('pack~owner', owner, request.gtin, request.lot, BATCH_MARK + first), entry);
}

/** Whether `pack` is still the version its commissioning transaction wrote (so its batch entry indexes it). */
export function isCommissionedVersion(pack: Pack): boolean {
  return pack.event.bizStep === 'commissioning' && pack.event.action === 'ADD';
}

/**
 * Writes the pack entries of a pack version; `previous` is the version it replaces. The first
 * change of a pack after commissioning always writes them (its batch entry stops counting it);
 * later, only a change of owner moves them.
 */
export async function updatePackEntries(ctx: HealthContext, pack: Pack, previous: Pack): Promise<void> {
  const ownerChanged = previous.owner !== pack.owner;
  if (!ownerChanged && !isCommissionedVersion(previous)) return;
  // Blind when the pack was still indexed by its batch (harmless); they also clear the entries of
  // packs commissioned before batch entries existed.
  if (ownerChanged) {
    await ctx.state.deleteIndex('pack~lot', previous.gtin, previous.lot, previous.owner, previous.serial);
    await ctx.state.deleteIndex('pack~owner', previous.owner, previous.gtin, previous.lot, previous.serial);
  }
  await ctx.state.putIndex('pack~lot', pack.gtin, pack.lot, pack.owner, pack.serial);
  await ctx.state.putIndex('pack~owner', pack.owner, pack.gtin, pack.lot, pack.serial);
}

/** The serials an index entry stands for: a batch's members, or the one pack of a pack entry. */
export function membersOf(last: string, value: BatchEntry | undefined): string[] {
  if (!isBatchEntry(last, value)) return [last];
  return value.range ? serialsOf({ range: value.range }) : (value.serials ?? []);
}

/** Whether an entry (by its last attribute and value) is a batch entry. */
export function isBatchEntry(last: string, value: BatchEntry | undefined): value is BatchEntry {
  return last.startsWith(BATCH_MARK) && value !== undefined;
}
