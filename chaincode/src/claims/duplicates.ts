import { createHash } from 'node:crypto';
import { canonicalJson, type HealthContext } from '../shared';
import { fail } from '@healthledger/contract-api';
import type { StoredItem } from './claim-ledger';
import { codeKey } from './codes';

/**
 * Duplicate detection through a deterministic fingerprint index,
 * `claim~fingerprint` / base / modifiers / claimId:
 *
 * - base = SHA-256 of patient ref, provider, service date and the sorted item codes;
 * - modifiers = SHA-256 of the sorted code+modifier combinations.
 *
 * Same base and same modifiers → CLAIM_DUPLICATE. Same base, other modifiers (e.g. a bilateral
 * or repeat-procedure modifier) → accepted, flagged with the earlier claim id. Hashing keeps the
 * key short and fixed-length; the inputs are pseudonymous and public on the header anyway.
 */
export interface Fingerprint {
  base: string;
  modifiers: string;
}

export function fingerprintOf(claim: { patientRef: string; provider: string; serviceDate: string; items: StoredItem[] }): Fingerprint {
  const codes = claim.items.map(codeKey).sort();
  const withModifiers = claim.items.map((i) => `${codeKey(i)}|${[...(i.modifiers ?? [])].sort().join(',')}`).sort();
  return {
    base: sha256Hex(canonicalJson({ patientRef: claim.patientRef, provider: claim.provider, serviceDate: claim.serviceDate, codes })),
    modifiers: sha256Hex(canonicalJson(withModifiers)),
  };
}

/**
 * Fails with CLAIM_DUPLICATE if a claim with the same fingerprint exists; returns the id of a
 * claim that differs only in modifiers, if any.
 */
export async function findSimilarClaim(ctx: HealthContext, fingerprint: Fingerprint): Promise<string | undefined> {
  let similar: string | undefined;
  for await (const { attributes } of ctx.state.scan('claim~fingerprint', fingerprint.base)) {
    const [, modifiers, claimId] = attributes;
    if (modifiers === fingerprint.modifiers) fail('CLAIM_DUPLICATE', `same as ${claimId ?? '?'}`);
    similar ??= claimId;
  }
  return similar;
}

export async function indexFingerprint(ctx: HealthContext, fingerprint: Fingerprint, claimId: string): Promise<void> {
  await ctx.state.putIndex('claim~fingerprint', fingerprint.base, fingerprint.modifiers, claimId);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
