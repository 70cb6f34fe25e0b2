import { implicitCollection, saltedValue, sha256Hex, type HealthContext } from '../shared';
import { fail, MAX_CONTENT_BYTES, type RecordEntry, type RecordVersion } from '@healthledger/contract-api';

/** One version of a record's content, as the public index remembers it (the contract API's type). */
export type { RecordVersion };

/**
 * The public index entry of a record (`key('record', recordId)`): metadata and hashes only. The
 * content lives in the custodian's implicit collection under {@link contentKey}.
 */
export type { RecordEntry };

export function recordKey(ctx: HealthContext, recordId: string): string {
  return ctx.state.key('record', recordId);
}

/** Index of a patient's records: `record~patient` (patientRef, recordId). */
export const RECORD_BY_PATIENT = 'record~patient';

/** Private key of one version's content in the custodian's implicit collection. */
export function contentKey(ctx: HealthContext, recordId: string, version: number): string {
  return ctx.state.key('record-content', recordId, String(version));
}

export function contentCollection(record: Pick<RecordEntry, 'custodian'>): string {
  return implicitCollection(record.custodian);
}

export async function getRecordEntry(ctx: HealthContext, recordId: string): Promise<RecordEntry> {
  return (await ctx.state.get<RecordEntry>(recordKey(ctx, recordId))) ?? fail('RECORD_NOT_FOUND', recordId);
}

/** The version entry `version` (default: latest) of a record. */
export function versionOf(record: RecordEntry, version?: number): RecordVersion {
  const wanted = version ?? record.version;
  return record.versions.find((v) => v.version === wanted) ?? fail('RECORD_VERSION_NOT_FOUND', `${record.recordId} v${wanted}`);
}

/**
 * Private key of one version's salt, beside its content. Erasure purges the content and keeps the
 * salt (random bytes, nothing of the patient), so a presented copy can still be checked against
 * the recorded hash by those entitled to ask the custodian.
 */
export function saltKey(ctx: HealthContext, recordId: string, version: number): string {
  return ctx.state.key('record-salt', recordId, String(version));
}

/** Stores one version's content as `salt ‖ content` with its salt beside it; returns the value's hash. */
export async function putContent(ctx: HealthContext, custodian: string, recordId: string, version: number, content: Uint8Array, salt: Uint8Array): Promise<string> {
  const collection = contentCollection({ custodian });
  const value = saltedValue(salt, content);
  await ctx.state.putPrivate(collection, contentKey(ctx, recordId, version), value);
  await ctx.state.putPrivate(collection, saltKey(ctx, recordId, version), salt);
  return sha256Hex(value);
}

/**
 * Reads transient `content`: required, at most {@link MAX_CONTENT_BYTES}, UTF-8 JSON. The bytes
 * are kept as given, so a copy presented later verifies byte for byte.
 */
export function transientContent(ctx: HealthContext): Uint8Array {
  const bytes = ctx.transient('content') ?? fail('TRANSIENT_MISSING', 'content');
  if (bytes.length > MAX_CONTENT_BYTES) fail('TRANSIENT_TOO_LARGE', `content: ${bytes.length} bytes > ${MAX_CONTENT_BYTES}`);
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    fail('TRANSIENT_INVALID', 'content');
  }
  return bytes;
}
