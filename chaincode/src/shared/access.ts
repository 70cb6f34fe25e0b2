import { fail, type OrgKind, type Role } from '@healthledger/contract-api';
import type { Caller } from './identity';

/** Requires the caller to hold one of `roles`. */
export function requireRole(caller: Caller, ...roles: Role[]): void {
  if (!roles.includes(caller.role)) fail('ROLE_FORBIDDEN', `${caller.role} is not one of ${roles.join(', ')}`);
}

/** Requires the caller's organisation to be of one of `kinds`. */
export function requireOrgKind(caller: Caller, ...kinds: OrgKind[]): void {
  if (!caller.orgKind || !kinds.includes(caller.orgKind)) fail('ORG_FORBIDDEN', `${caller.mspId} is not a ${kinds.join(' or ')}`);
}

/** Requires the caller to belong to organisation `mspId`. */
export function requireOrg(caller: Caller, mspId: string): void {
  if (caller.mspId !== mspId) fail('ORG_FORBIDDEN', `${caller.mspId} is not ${mspId}`);
}

/** Requires role patient with a `patient_id` attribute, and returns that id. */
export function requirePatientId(caller: Caller): string {
  requireRole(caller, 'patient');
  if (!caller.patientId) fail('IDENTITY_INVALID', 'patient_id');
  return caller.patientId;
}
