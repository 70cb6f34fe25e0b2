import { callerActsForPatient } from '../consent/store';
import { type HealthContext } from '../shared';
import { fail } from '@healthledger/contract-api';

/**
 * Who may read a patient's record metadata (index entries, hashes — never content): auditors;
 * clinicians and records-admins of provider organisations (they need the ids to request access);
 * the patient and the patient's registered delegates.
 */
export async function requireRecordReader(ctx: HealthContext, patientRef: string): Promise<void> {
  const { caller } = ctx;
  if (caller.role === 'auditor') return;
  if (caller.role === 'clinician' || caller.role === 'records-admin') {
    if (caller.orgKind !== 'provider') fail('ORG_FORBIDDEN', `${caller.mspId} is not a provider`);
    return;
  }
  if (caller.role === 'patient') {
    if (!(await callerActsForPatient(ctx, patientRef))) fail('NOT_PATIENT_OR_DELEGATE', patientRef);
    return;
  }
  fail('ROLE_FORBIDDEN', `${caller.role} may not read records`);
}
