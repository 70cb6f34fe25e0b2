/**
 * Which organisations a patient's consents name as grantee, as the event log tells it: a
 * `consent` change `granted` adds its grantee, `revoked` removes it. The log holds every change
 * from the channel's first block, so the index is complete once the log is read, and it is
 * updated before a new event reaches any subscriber: there is no cold state to leak through.
 *
 * It is coarser than the chaincode's consent decision (no period, no provisions): it only widens
 * the record rule of the event stream from "the custodian" to "providers the patient consented
 * to", which is still narrower than what records:getRecord allows any provider's clinician.
 * A research consent (the change names its `trialId`) opens a trial's releases only, never the
 * grantee's view of the patient's records, so it is not counted.
 */
import type { Change, LoggedEvent } from './log';

export class ConsentIndex {
  /** patientRef → (consentId → grantee org) of the live (granted, not revoked) consents. */
  private readonly byPatient = new Map<string, Map<string, string>>();
  /** consentId → patientRef, so that a revocation finds its grant. */
  private readonly patientOf = new Map<string, string>();

  constructor(events: Iterable<LoggedEvent> = []) {
    for (const event of events) this.apply(event);
  }

  /** Folds an event's consent changes in, in log order. */
  apply(event: LoggedEvent): void {
    for (const change of event.changes) if (change.type === 'consent') this.applyChange(change);
  }

  /** Whether a live consent of `patientRef` names organisation `mspId` as grantee. */
  covers(patientRef: string | undefined, mspId: string): boolean {
    if (patientRef === undefined) return false;
    for (const grantee of this.byPatient.get(patientRef)?.values() ?? []) if (grantee === mspId) return true;
    return false;
  }

  private applyChange(change: Change): void {
    const { patientRef, grantee } = change;
    if (change.action === 'revoked') {
      const patient = this.patientOf.get(change.id);
      if (patient !== undefined) this.byPatient.get(patient)?.delete(change.id);
      this.patientOf.delete(change.id);
    } else if (change.action === 'granted' && typeof patientRef === 'string' && typeof grantee === 'string' && change['trialId'] === undefined) {
      const grants = this.byPatient.get(patientRef) ?? new Map<string, string>();
      grants.set(change.id, grantee);
      this.byPatient.set(patientRef, grants);
      this.patientOf.set(change.id, patientRef);
    }
  }
}
