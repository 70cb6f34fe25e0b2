import { type HealthContext } from '../shared';
import { fail } from '@healthledger/contract-api';
import type { Pack } from './model';
import { updatePackEntries } from './pack-index';

/**
 * Pack storage: the pack key, its state-based endorsement (the owner's peer) and the two
 * custody indexes (`pack-index.ts`), kept consistent on every write.
 */

/** The world-state key of a pack: `pack` / gtin14 / serial. */
export function packKey(ctx: HealthContext, gtin: string, serial: string): string {
  return ctx.state.key('pack', gtin, serial);
}

/**
 * The pack `gtin14`/`serial`, or undefined if it was never commissioned. Exported for the claims
 * contract: a drug line may bill only a pack with `status: 'dispensed'` and
 * `dispensedBy` = the billing organisation, not yet `billedClaimId`.
 */
export async function readPack(ctx: HealthContext, gtin14: string, serial: string): Promise<Pack | undefined> {
  return ctx.state.get<Pack>(packKey(ctx, gtin14, serial));
}

/** The pack, or `PACK_NOT_FOUND`. */
export async function requirePack(ctx: HealthContext, gtin: string, serial: string): Promise<Pack> {
  return (await readPack(ctx, gtin, serial)) ?? fail('PACK_NOT_FOUND', `${gtin}/${serial}`);
}

/**
 * Writes a pack version. `previous` is the version read in this transaction (undefined when
 * commissioning: the batch's index entries stand for the new packs, see `pack-index.ts`); the
 * pack's own index entries follow its first change and every change of owner, the endorsement
 * policy every change of owner.
 */
export async function writePack(ctx: HealthContext, pack: Pack, previous: Pack | undefined): Promise<void> {
  const key = packKey(ctx, pack.gtin, pack.serial);
  await ctx.state.put(key, pack);
  if (previous) await updatePackEntries(ctx, pack, previous);
  if (previous?.owner !== pack.owner) await ctx.state.setEndorsers(key, [pack.owner]);
}

/**
 * Records that claim `claimId` bills the dispensed pack (called by the claims contract inside
 * its submit). Refuses a pack not dispensed by the caller's organisation
 * (`CLAIM_DRUG_NOT_DISPENSED`) or billed by another claim (`CLAIM_DRUG_ALREADY_BILLED`);
 * billing it again for the same claim is a no-op. The pack key is endorsed by its owner, the
 * dispensing organisation, which is also the billing provider.
 */
export async function markPackBilled(ctx: HealthContext, gtin14: string, serial: string, claimId: string): Promise<Pack> {
  const ref = `${gtin14}/${serial}`;
  const pack = await readPack(ctx, gtin14, serial);
  if (!pack || pack.status !== 'dispensed' || pack.dispensedBy !== ctx.caller.mspId) fail('CLAIM_DRUG_NOT_DISPENSED', ref);
  if (pack.billedClaimId === claimId) return pack;
  if (pack.billedClaimId !== undefined) fail('CLAIM_DRUG_ALREADY_BILLED', ref);
  const billed: Pack = { ...pack, billedClaimId: claimId, updatedBy: ctx.stamp() };
  await writePack(ctx, billed, pack);
  return billed;
}
