import type { DisclosureEntry, RecordCategory } from '@healthledger/contract-api';
import { discloseRecord } from '../records/disclose';
import { RECORD_BY_PATIENT, recordKey, type RecordEntry } from '../records/record';
import type { HealthContext } from '../shared';
import type { Subject } from './subjects';

/**
 * Discloses each of the subject's records of `categories` to the caller, through the records'
 * one access flow with purpose HRESCH and the trial as scope: only the patient's research consent
 * for this trial can grant it, and every record's decision is logged. Erased records are skipped
 * (there is nothing to release). Disclosure ids are the transaction id and a running number.
 */
export async function releaseSubjectRecords(ctx: HealthContext, subject: Subject, categories: readonly RecordCategory[]): Promise<DisclosureEntry[]> {
  const disclosures: DisclosureEntry[] = [];
  for await (const entry of ctx.state.scan(RECORD_BY_PATIENT, subject.patientRef)) {
    const record = await ctx.state.get<RecordEntry>(recordKey(ctx, entry.attributes[1] ?? ''));
    if (!record || record.erased || !categories.includes(record.category)) continue;
    disclosures.push(await discloseRecord(ctx, record, 'HRESCH', { trialId: subject.trialId }, `${ctx.txId}.${disclosures.length + 1}`));
  }
  return disclosures;
}
