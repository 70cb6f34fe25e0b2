import { implicitCollection, saltedValue, sha256Hex, type HealthContext } from '../shared';
import { contentProblem, fail, MAX_CONTENT_BYTES, type RecordEntry, type RecordMediaType, type RecordVersion } from '@healthledger/contract-api';

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
 * Private key of a staged version's media type, beside its content. The public step of a creation
 * carries the type but not the content; every endorser checks it against this key's hash (which
 * needs no membership), so the entry cannot name another type than the one the custodian's peers
 * checked the bytes against. The type is a public fact anyway (it is on the entry).
 */
export function stagedTypeKey(ctx: HealthContext, recordId: string): string {
  return ctx.state.key('record-type', recordId, '1');
}

/** The bytes of a media type's name, as stored under {@link stagedTypeKey}. */
export function mediaTypeBytes(type: RecordMediaType): Buffer {
  return Buffer.from(type, 'utf8');
}

/**
 * Reads transient `content`: required, at most {@link MAX_CONTENT_BYTES}, and a document of
 * `type` (UTF-8 JSON, UTF-8 text, or a binary format's signature). The bytes are kept as given:
 * the hash covers them as stored, and a copy presented later verifies byte for byte.
 */
export function transientContent(ctx: HealthContext, type: RecordMediaType): Uint8Array {
  const bytes = ctx.transient('content') ?? fail('TRANSIENT_MISSING', 'content');
  if (bytes.length > MAX_CONTENT_BYTES) fail('TRANSIENT_TOO_LARGE', `content: ${bytes.length} bytes > ${MAX_CONTENT_BYTES}`);
  const problem = contentProblem(type, bytes);
  if (problem !== undefined) fail('CONTENT_INVALID', problem);
  return bytes;
}

/** Reads transient `content` as a presented copy: any bytes up to the size limit. */
export function transientCopy(ctx: HealthContext): Uint8Array {
  const bytes = ctx.transient('content') ?? fail('TRANSIENT_MISSING', 'content');
  if (bytes.length > MAX_CONTENT_BYTES) fail('TRANSIENT_TOO_LARGE', `content: ${bytes.length} bytes > ${MAX_CONTENT_BYTES}`);
  return bytes;
}
