import { recordDisclosure, type Disclosure } from '../audit/disclosures';
import { decideAccess, type AccessScope } from '../consent/decision';
import { isoFromEpochMs, type HealthContext } from '../shared';
import type { Purpose } from '@healthledger/contract-api';
import { ACCESS_WINDOW_MS, grantKey, type AccessGrant } from './grant';
import type { RecordEntry } from './record';

/**
 * The one access flow of the chaincode, for one record and the caller of this transaction:
 * decides (consent, custodian, patient and delegates, break-the-glass, a trial's research
 * consent), always commits a disclosure entry — a denial is an answer, not an error — and on a
 * grant opens the 1-hour read window that `records:readContent` honours on the custodian's peer.
 * `records:requestAccess` and `research:releaseData` both disclose through it. `disclosureId` is
 * the transaction id, unless one transaction discloses several records (a release numbers them).
 */
export async function discloseRecord(ctx: HealthContext, record: RecordEntry, purpose: Purpose, scope: AccessScope = {}, disclosureId = ctx.txId): Promise<Disclosure> {
  const decision = await decideAccess(ctx, record, purpose, scope);
  const { caller } = ctx;
  const expiresAt = decision.outcome === 'granted' ? isoFromEpochMs(ctx.now.epochMs + ACCESS_WINDOW_MS) : undefined;
  const disclosure: Disclosure = {
    disclosureId,
    recorded: ctx.now.iso,
    action: 'access',
    outcome: decision.outcome,
    basis: decision.basis,
    reason: decision.reason,
    purpose,
    agent: { actor: caller.actor, org: caller.mspId, role: caller.role, practitionerId: caller.practitionerId },
    entity: { recordId: record.recordId, patientRef: record.patientRef, custodian: record.custodian, category: record.category },
    consentId: decision.consentId,
    emergencyId: decision.emergencyId,
    trialId: scope.trialId,
    emergency: decision.basis === 'emergency',
    expiresAt,
    updatedBy: ctx.stamp(),
  };
  await recordDisclosure(ctx, disclosure);
  if (expiresAt !== undefined) {
    const grant: AccessGrant = {
      recordId: record.recordId, actor: caller.actor, disclosureId: disclosure.disclosureId, purpose,
      emergencyId: decision.emergencyId, trialId: scope.trialId, grantedAt: ctx.now.iso, expiresAt,
    };
    await ctx.state.put(grantKey(ctx, record.recordId, caller.actor), grant);
  }
  return disclosure;
}
