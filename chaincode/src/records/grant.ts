import type { Purpose } from '@healthledger/contract-api';
import { epochMsFromIso, type HealthContext } from '../shared';

/**
 * How long a granted access lets its requester read the content: 1 hour from the access
 * transaction. Reading later needs a new `requestAccess` (and so a new disclosure entry).
 */
export const ACCESS_WINDOW_MS = 60 * 60 * 1000;

/** The latest granted access of one actor to one record; `readContent` checks it. */
export interface AccessGrant {
  recordId: string;
  actor: string;
  disclosureId: string;
  purpose: Purpose;
  emergencyId?: string;
  /** A research release: only the trial's consents keep the grant alive. */
  trialId?: string;
  grantedAt: string;
  /** Exclusive end of the read window. */
  expiresAt: string;
}

/** `key('access', recordId, actor)`: one per actor and record, overwritten by each new grant. */
export function grantKey(ctx: HealthContext, recordId: string, actor: string): string {
  return ctx.state.key('access', recordId, actor);
}

/**
 * Whether the caller holds a granted access to the record whose read window is still open. (The
 * access decision itself is re-checked by `readContent`; this only says a grant was made.)
 */
export async function holdsOpenGrant(ctx: HealthContext, recordId: string): Promise<boolean> {
  const grant = await ctx.state.get<AccessGrant>(grantKey(ctx, recordId, ctx.caller.actor));
  return !!grant && ctx.now.epochMs < (epochMsFromIso(grant.expiresAt) ?? 0);
}
