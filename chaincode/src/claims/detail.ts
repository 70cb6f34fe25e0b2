import { createHash } from 'node:crypto';
import { implicitCollection, toBytes, type HealthContext } from '../shared';
import { ChaincodeError, ClaimDetail, fail, validateValue } from '@healthledger/contract-api';
import type { ClaimHeader } from './claim-ledger';

/**
 * Clinical detail of a claim (diagnoses, procedures, notes): arrives as transient `detail`, is
 * stored in the implicit collections of BOTH the provider and the payer (one collection per
 * organisation, never one per pair: docs/design/private-data.md), and the public header holds
 * only the SHA-256 of the stored bytes (salted by the detail's client-generated nonce).
 */
export const MAX_DETAIL_BYTES = 64 * 1024;

const PROCEDURE_FORMS = { 'ICD-10-PCS': /^[0-9A-HJ-NP-Z]{7}$/, CPT: /^\d{4}[0-9FT]$/ } as const;

/** The validated transient detail in its canonical bytes, and their hash. */
export function takeDetail(ctx: HealthContext): { bytes: Uint8Array; hash: string } {
  const raw = ctx.transient('detail') ?? fail('TRANSIENT_MISSING', 'detail');
  if (raw.length > MAX_DETAIL_BYTES) fail('TRANSIENT_TOO_LARGE', `detail: over ${MAX_DETAIL_BYTES} bytes`);
  let detail: ClaimDetail;
  try {
    detail = validateValue(ClaimDetail, JSON.parse(Buffer.from(raw).toString('utf8')), 'detail');
  } catch (err) {
    // Re-coded so the client sees which input was wrong; the detail names a field, never a value.
    fail('TRANSIENT_INVALID', err instanceof ChaincodeError ? err.detail : 'detail: not JSON');
  }
  detail.procedures?.forEach((p, i) => {
    if (!PROCEDURE_FORMS[p.system].test(p.code)) fail('TRANSIENT_INVALID', `detail/procedures/${i}/code: not a ${p.system} code`);
  });
  const bytes = toBytes(detail);
  return { bytes, hash: sha256Hex(bytes) };
}

function detailKey(ctx: HealthContext, claimId: string): string {
  return ctx.state.key('claim~detail', claimId);
}

/** Writes the detail into the provider's and the payer's implicit collections. */
export async function storeDetail(ctx: HealthContext, claim: ClaimHeader, bytes: Uint8Array): Promise<void> {
  for (const org of [claim.provider, claim.payer]) await ctx.state.putPrivate(implicitCollection(org), detailKey(ctx, claim.claimId), bytes);
}

/**
 * The detail from the collection of the caller's organisation (a party: the contract checks that
 * first). The collection is chosen from the caller, not from `stub.getMspID()`, which a
 * chaincode-as-a-service process only knows through its environment. A peer outside that
 * organisation has no copy: WRONG_PEER. A copy that does not match the public hash:
 * CONTENT_HASH_MISMATCH.
 */
export async function loadDetail(ctx: HealthContext, claim: ClaimHeader): Promise<ClaimDetail> {
  const org = ctx.caller.mspId;
  let bytes: Uint8Array | undefined;
  try {
    bytes = await ctx.state.getPrivate(implicitCollection(org), detailKey(ctx, claim.claimId));
  } catch {
    // Fabric refuses a non-member peer ("private data matching public hash version is not available").
    fail('WRONG_PEER', `${claim.claimId}: ask a peer of ${org}`);
  }
  if (!bytes) fail('WRONG_PEER', `${claim.claimId}: no detail on this peer of ${org}`);
  if (sha256Hex(bytes) !== claim.detailHash) fail('CONTENT_HASH_MISMATCH', claim.claimId);
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as ClaimDetail;
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
