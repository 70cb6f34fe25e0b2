import { type ClaimStatus, fail } from '@healthledger/contract-api';

/**
 * The claim status lifecycle. Submit ends in `pended` or, when the coverage rules decide, in an
 * adjudicated status (`approved` | `partial` | `denied`). Then:
 *
 * ```
 * pended   ──adjudicate──▶ approved | partial | denied
 * approved | partial ──pay──▶ paid                    (terminal)
 * partial | denied   ──appeal──▶ appealed ──adjudicate (re-adjudication)──▶ approved | partial | denied
 * ```
 */
export type ClaimAction = 'adjudicate' | 'pay' | 'appeal';

const ALLOWED_FROM: Record<ClaimAction, readonly ClaimStatus[]> = {
  adjudicate: ['pended', 'appealed'],
  pay: ['approved', 'partial'],
  appeal: ['partial', 'denied'],
};

/** Fails with CLAIM_ILLEGAL_TRANSITION unless `action` is allowed from `status`. */
export function requireTransition(claimId: string, status: ClaimStatus, action: ClaimAction): void {
  if (!ALLOWED_FROM[action].includes(status)) fail('CLAIM_ILLEGAL_TRANSITION', `${claimId}: cannot ${action} a ${status} claim`);
}
