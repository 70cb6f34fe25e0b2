/**
 * A FHIR id is at most 64 characters of `[A-Za-z0-9-.]`. An access request's disclosure id is its
 * transaction id (64 hex digits) and fits as it is; a trial release logs one disclosure per record
 * of one transaction, `<txId>.<n>`, which does not. Those are written as the transaction id in
 * base 36 (50 digits, zero-padded), a hyphen and `n` — at most 64 characters, and reversible, so an
 * AuditEvent read by id reaches the same disclosure.
 */

const RELEASE_ID = /^([0-9a-f]{64})\.(\d{1,13})$/;
const RELEASE_FHIR_ID = /^([0-9a-z]{50})-(\d{1,13})$/;
const BASE36_DIGITS = 50;

/** The AuditEvent id of a disclosure id. */
export function fhirIdOfDisclosure(disclosureId: string): string {
  const release = RELEASE_ID.exec(disclosureId);
  if (!release) return disclosureId;
  return `${BigInt(`0x${release[1]}`).toString(36).padStart(BASE36_DIGITS, '0')}-${release[2]}`;
}

/** The disclosure id of an AuditEvent id (the inverse of {@link fhirIdOfDisclosure}). */
export function disclosureIdOfFhir(fhirId: string): string {
  const release = RELEASE_FHIR_ID.exec(fhirId);
  if (!release) return fhirId;
  let value = 0n;
  for (const digit of release[1]!) value = value * 36n + BigInt(parseInt(digit, 36));
  return `${value.toString(16).padStart(64, '0')}.${release[2]}`;
}
