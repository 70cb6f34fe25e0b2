/**
 * Which organisations a patient's consents name as grantee, as the event log tells it: a
 * `consent` change `granted` adds its grantee, `revoked` removes it. The log holds every change
 * from the channel's first block, and the index is written in the same atomic write as the event
 * that changes it (./log.ts), before that event reaches any subscriber: there is no cold state to
 * leak through, and a start reads it where it lies instead of folding the log again.
 *
 * It is coarser than the chaincode's consent decision (no period, no provisions): it only widens
 * the record rule of the event stream from "the custodian" to "providers the patient consented
 * to", which is still narrower than what records:getRecord allows any provider's clinician.
 * A research consent (the change names its `trialId`) opens a trial's releases only, never the
 * grantee's view of the patient's records, so it is not counted.
 */
import type { Change, LoggedEvent } from './log';

/** Point reads of the stored index (the event log's key-value store, or a Map in tests). */
export interface ConsentStore {
  get(key: string): string | undefined;
}

/** One key of the index to set (`value`) or delete (`value` undefined). */
export interface ConsentWrite {
  key: string;
  value: string | undefined;
}

/** patientRef → JSON object (consentId → grantee org) of the patient's live consents. */
const patientKey = (patientRef: string) => `c${patientRef}`;
/** consentId → patientRef, so that a revocation finds its grant. */
const consentKey = (consentId: string) => `p${consentId}`;

export class ConsentIndex {
  constructor(private readonly store: ConsentStore) {}

  /** Whether a live consent of `patientRef` names organisation `mspId` as grantee. */
  covers(patientRef: string | undefined, mspId: string): boolean {
    if (patientRef === undefined) return false;
    return Object.values(this.grantsOf(patientRef, new Map())).includes(mspId);
  }

  /** The index writes that fold an event's consent changes in, in log order (none: no consent change). */
  writes(event: LoggedEvent): ConsentWrite[] {
    /** This event's writes so far, by key: a later change of the same event reads them. */
    const pending = new Map<string, string | undefined>();
    for (const change of event.changes) if (change.type === 'consent') this.applyChange(change, pending);
    return [...pending].map(([key, value]) => ({ key, value }));
  }

  private read(key: string, pending: ReadonlyMap<string, string | undefined>): string | undefined {
    return pending.has(key) ? pending.get(key) : this.store.get(key);
  }

  private grantsOf(patientRef: string, pending: ReadonlyMap<string, string | undefined>): Record<string, string> {
    const stored = this.read(patientKey(patientRef), pending);
    return stored === undefined ? {} : (JSON.parse(stored) as Record<string, string>);
  }

  private applyChange(change: Change, pending: Map<string, string | undefined>): void {
    const { patientRef, grantee } = change;
    if (change.action === 'revoked') {
      const patient = this.read(consentKey(change.id), pending);
      if (patient === undefined) return;
      const grants = new Map(Object.entries(this.grantsOf(patient, pending)));
      grants.delete(change.id);
      pending.set(patientKey(patient), grants.size === 0 ? undefined : JSON.stringify(Object.fromEntries(grants)));
      pending.set(consentKey(change.id), undefined);
    } else if (change.action === 'granted' && typeof patientRef === 'string' && typeof grantee === 'string' && change['trialId'] === undefined) {
      pending.set(patientKey(patientRef), JSON.stringify({ ...this.grantsOf(patientRef, pending), [change.id]: grantee }));
      pending.set(consentKey(change.id), patientRef);
    }
  }
}

/** The index over a Map, folded in as events come (tests of the entitlement rules). */
export class MemoryConsentIndex extends ConsentIndex {
  private readonly map: Map<string, string>;

  constructor() {
    const map = new Map<string, string>();
    super({ get: (key) => map.get(key) });
    this.map = map;
  }

  apply(event: LoggedEvent): void {
    for (const { key, value } of this.writes(event)) {
      if (value === undefined) this.map.delete(key);
      else this.map.set(key, value);
    }
  }
}
