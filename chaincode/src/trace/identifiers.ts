import { fail, isValidGtin14, isValidSscc18, type PackId } from '@healthledger/contract-api';
import { packRef } from './model';

/** Requires a GTIN-14 with a correct check digit; `field` names it in the error. */
export function requireGtin(gtin: string, field = 'gtin'): void {
  if (!isValidGtin14(gtin)) fail('VALIDATION_FAILED', `${field}: GTIN check digit is wrong`);
}

/** Requires an SSCC-18 with a correct check digit. */
export function requireSscc(sscc: string, field = 'sscc'): void {
  if (!isValidSscc18(sscc)) fail('VALIDATION_FAILED', `${field}: SSCC check digit is wrong`);
}

/** Validates the identifiers of an action's targets and returns them as sorted, unique refs. */
export function targetRefs(packs: PackId[] = [], containers: string[] = []): { packs: string[]; containers: string[] } {
  packs.forEach((p, i) => requireGtin(p.gtin, `request/packs/${i}/gtin`));
  containers.forEach((c, i) => requireSscc(c, `request/containers/${i}`));
  const refs = { packs: unique(packs.map((p) => packRef(p.gtin, p.serial))), containers: unique(containers) };
  if (refs.packs.length + refs.containers.length === 0) fail('VALIDATION_FAILED', 'request: names no packs or containers');
  return refs;
}

function unique(values: string[]): string[] {
  return [...new Set(values)].sort();
}
