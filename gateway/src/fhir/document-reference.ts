/**
 * Record metadata ⇄ FHIR R4 DocumentReference. The ledger's public record entry (patient,
 * custodian, category, current version and its hash; never the content) is a DocumentReference
 * whose attachment points at the consented access flow: the content is read only through
 * `POST /records/{id}/access` then `GET /records/{id}/content`, which log the disclosure; the
 * attachment's `contentType` is the current version's media type (application/json for records
 * written before media types were recorded). Each
 * version is a Provenance (provenance.ts). An erased record stays, with the erasure extensions.
 */
import { isRecordMediaType, mediaTypeOf, type RecordCategory, type RecordEntry } from '@healthledger/contract-api';
import { LOCAL } from './codes';
import { codeExt, dateTimeExt, ext, extString, extValue } from './extensions';
import { invalid, logicalId, mspIdOf, organizationReference, patientRefOf, patientReference, requireCode, concept, ledgerIdOf } from './references';
import { stampExt, stampOf } from './stamp';
import type { CodeableConcept, Extension, Reference, Resource } from './types';

/** A record's public entry as the ledger returns it, without its version list. */
export type LedgerRecordMetadata = Omit<RecordEntry, 'versions'>;

/** A FHIR DocumentReference as this interface emits it. */
export interface FhirDocumentReference extends Resource {
  resourceType: 'DocumentReference';
  status: 'current';
  category: CodeableConcept[];
  subject: Reference;
  date: string;
  custodian: Reference;
  content: { attachment: { contentType: string; url: string; creation: string; extension?: Extension[] } }[];
}

/** The compact API path where the content is disclosed (after an access request). */
export function contentPath(recordId: string): string {
  return `/records/${encodeURIComponent(recordId)}/content`;
}

/** A record's public entry as a FHIR DocumentReference (the `versions` list travels as Provenance). */
export function recordToFhir(r: LedgerRecordMetadata): FhirDocumentReference {
  return {
    resourceType: 'DocumentReference',
    ...logicalId(r.recordId),
    meta: { versionId: String(r.version), lastUpdated: r.updated },
    extension: [
      ...ext('previous-hash', r.previousHash ?? undefined),
      ...(r.erased ? ext('erased', true) : []),
      ...dateTimeExt('erased-at', r.erasedAt),
      ...codeExt('erasure-reason', r.erasureReason),
      ...stampExt(r.updatedBy),
    ],
    identifier: [{ system: LOCAL.ledgerId, value: r.recordId }],
    status: 'current',
    category: [concept(LOCAL.recordCategory, r.category)],
    subject: patientReference(r.patientRef),
    date: r.updated,
    custodian: organizationReference(r.custodian),
    content: [
      {
        attachment: {
          contentType: mediaTypeOf(r),
          url: contentPath(r.recordId),
          creation: r.created,
          extension: ext('content-hash', r.contentHash),
        },
      },
    ],
  };
}

/** The record's public entry back from a DocumentReference this interface emitted (the round trip). */
export function recordFromFhir(d: FhirDocumentReference): LedgerRecordMetadata {
  const recordId = ledgerIdOf(d);
  const attachment = d.content[0]?.attachment;
  const contentHash = extString(attachment, 'content-hash');
  if (recordId === undefined || !attachment || contentHash === undefined || d.meta?.versionId === undefined) {
    throw invalid('DocumentReference: ledger identifier, meta.versionId and content hash are required');
  }
  const erasedAt = extString(d, 'erased-at');
  const erasureReason = extString(d, 'erasure-reason');
  return {
    recordId,
    patientRef: patientRefOf(d.subject, 'DocumentReference.subject'),
    custodian: mspIdOf(d.custodian, 'DocumentReference.custodian'),
    category: requireCode(d.category[0], LOCAL.recordCategory, 'DocumentReference.category') as RecordCategory,
    ...(isRecordMediaType(attachment.contentType) ? { contentType: attachment.contentType } : {}),
    version: Number(d.meta.versionId),
    contentHash,
    previousHash: extString(d, 'previous-hash') ?? null,
    created: attachment.creation,
    updated: d.date,
    erased: extValue(d, 'erased') === true,
    ...(erasedAt === undefined ? {} : { erasedAt }),
    ...(erasureReason === undefined ? {} : { erasureReason }),
    updatedBy: stampOf(d),
  };
}
