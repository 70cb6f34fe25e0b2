import type { Consent } from '../consent/access';
import { consentKey } from '../consent/store';
import type { HealthContext } from '../shared';

/**
 * Revokes the research consent of a withdrawn subject, as `consent:revokeConsent` would: the
 * withdrawal commits before, and so applies to, the next release or content read.
 */
export async function revokeTrialConsent(ctx: HealthContext, consentId: string): Promise<void> {
  const key = consentKey(ctx, consentId);
  const consent = await ctx.state.get<Consent>(key);
  if (!consent || consent.status !== 'active') return;
  const stamp = ctx.stamp();
  await ctx.state.put(key, { ...consent, status: 'inactive', revokedAt: stamp.at, updatedBy: stamp } satisfies Consent);
  ctx.changes.add({ type: 'consent', id: consentId, action: 'revoked', patientRef: consent.patientRef, grantee: consent.grantee.org });
}
