import { type HealthContext } from '../shared';
import { type ClaimItem, fail } from '@healthledger/contract-api';
import { isValidGtin14, markPackBilled, readPack } from '../trace';

/**
 * Drug lines: a line may name the dispensed pack (SGTIN). Only NDC lines may; the GTIN must carry
 * a valid check digit, and one claim may not name a pack twice. Checked before any write.
 */
export function checkDrugLines(items: ClaimItem[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (!item.sgtin) return;
    if (item.system !== 'NDC') fail('VALIDATION_FAILED', `request/items/${i}/sgtin: only NDC lines name a pack`);
    if (!isValidGtin14(item.sgtin.gtin)) fail('VALIDATION_FAILED', `request/items/${i}/sgtin/gtin: check digit`);
    const ref = `${item.sgtin.gtin}/${item.sgtin.serial}`;
    if (seen.has(ref)) fail('CLAIM_DRUG_ALREADY_BILLED', `${ref} twice in this claim`);
    seen.add(ref);
  });
}

/**
 * Marks every named pack billed by `claimId` through the traceability contract: the pack must
 * exist (PACK_NOT_FOUND), be dispensed by the caller's organisation (CLAIM_DRUG_NOT_DISPENSED)
 * and not be billed yet (CLAIM_DRUG_ALREADY_BILLED). The pack key is owned by the dispensing
 * organisation, the provider, whose peer endorses the claim anyway.
 */
export async function billDrugLines(ctx: HealthContext, claimId: string, items: ClaimItem[]): Promise<void> {
  for (const item of items) {
    if (!item.sgtin) continue;
    const { gtin, serial } = item.sgtin;
    if (!(await readPack(ctx, gtin, serial))) fail('PACK_NOT_FOUND', `${gtin}/${serial}`);
    await markPackBilled(ctx, gtin, serial, claimId);
  }
}
