/**
 * The catalogue's caller gate as a pure decision: what the chaincode answers before a transaction
 * runs, for a caller of a given role and organisation kind. The chaincode enforces the gate
 * (`HealthContract.beforeTransaction`); the REST gateway reads the same decision to tell a caller
 * what it may call (`GET /me`), so the list it gives cannot promise what the chaincode refuses.
 */
import type { OrgKind } from '../organizations';
import type { CallerSpec } from './spec';

/** The caller facts the gate reads. */
export interface GateSubject {
  readonly role: string;
  /** Undefined for an organisation outside the consortium. */
  readonly orgKind: OrgKind | undefined;
}

/** The gate's refusal, checked in the chaincode's order (roles, then organisation kinds). */
export type GateRefusal = 'ROLE_FORBIDDEN' | 'ORG_FORBIDDEN';

/** Why the gate refuses `who`, or undefined when it lets `who` through to the transaction. */
export function gateRefusal(callers: CallerSpec, who: GateSubject): GateRefusal | undefined {
  if (callers.roles && !(callers.roles as readonly string[]).includes(who.role)) return 'ROLE_FORBIDDEN';
  if (callers.orgKinds && (!who.orgKind || !callers.orgKinds.includes(who.orgKind))) return 'ORG_FORBIDDEN';
  return undefined;
}
