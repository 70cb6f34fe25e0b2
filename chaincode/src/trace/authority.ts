import { requireRole, type Caller } from '../shared';
import { fail, type Role } from '@healthledger/contract-api';

/** Roles that hold and move drug packs. */
export const TRADE_ROLES: Role[] = ['manufacturer', 'distributor', 'dispenser'];

/** Requires a trading-partner role (manufacturer, distributor or dispenser). */
export function requireTrader(caller: Caller): void {
  requireRole(caller, ...TRADE_ROLES);
}

/** Requires the caller's organisation to own the object `ref`. */
export function requireOwner(caller: Caller, owner: string, ref: string): void {
  if (caller.mspId !== owner) fail('NOT_OWNER', ref);
}

/**
 * Who may clear a quarantine or confirm a pack illegitimate: the manufacturer role of the
 * product's manufacturer organisation, or an auditor of a regulator organisation.
 */
export function requireQuarantineAuthority(caller: Caller, manufacturer: string): void {
  if (caller.role === 'manufacturer') {
    if (caller.mspId !== manufacturer) fail('ORG_FORBIDDEN', `${caller.mspId} is not the manufacturer`);
    return;
  }
  if (caller.role === 'auditor') {
    if (caller.orgKind !== 'regulator') fail('ORG_FORBIDDEN', `${caller.mspId} is not a regulator`);
    return;
  }
  fail('ROLE_FORBIDDEN', `${caller.role} is not one of manufacturer, auditor`);
}
