/**
 * The one error catalogue of the chaincode. Every error thrown to a client is a
 * {@link ChaincodeError} whose message starts with a stable `CODE:`; the gateway maps the code's
 * `kind` to an HTTP status. Messages never contain PHI: callers pass ids and field names only.
 */

/** How the gateway should classify an error (HTTP: 400, 403, 404, 409, 422). */
export type ErrorKind = 'validation' | 'forbidden' | 'not_found' | 'conflict' | 'unprocessable';

interface CatalogueEntry {
  readonly kind: ErrorKind;
  readonly message: string;
}

export const ERROR_CATALOGUE = {
  // Shared
  VALIDATION_FAILED: { kind: 'validation', message: 'The request is invalid' },
  UNKNOWN_FUNCTION: { kind: 'validation', message: 'The contract has no such function' },
  IDENTITY_INVALID: { kind: 'forbidden', message: 'The caller identity lacks a required attribute' },
  ROLE_FORBIDDEN: { kind: 'forbidden', message: 'The caller role may not perform this action' },
  ORG_FORBIDDEN: { kind: 'forbidden', message: 'The caller organisation may not perform this action' },
  TRANSIENT_MISSING: { kind: 'validation', message: 'Required transient data is missing' },
  TRANSIENT_TOO_LARGE: { kind: 'validation', message: 'Transient data exceeds the size limit' },
  TRANSIENT_INVALID: { kind: 'validation', message: 'Transient data is not valid JSON of the expected shape' },
  WRONG_PEER: { kind: 'unprocessable', message: 'This peer does not hold the requested private data' },

  // Records
  RECORD_EXISTS: { kind: 'conflict', message: 'A record with this id already exists' },
  RECORD_NOT_FOUND: { kind: 'not_found', message: 'No such record' },
  RECORD_VERSION_NOT_FOUND: { kind: 'not_found', message: 'No such record version' },
  RECORD_ERASED: { kind: 'conflict', message: 'The record content was erased' },
  RECORD_VERSION_CONFLICT: { kind: 'conflict', message: 'The record was amended since the version given' },
  ACCESS_NOT_GRANTED: { kind: 'forbidden', message: 'No granted, logged access for this caller and record' },
  CONTENT_HASH_MISMATCH: { kind: 'unprocessable', message: 'Content does not match the recorded hash' },
  CONTENT_NOT_STAGED: { kind: 'unprocessable', message: 'No private content was staged for this id by the caller organisation' },
  CONTENT_INVALID: { kind: 'validation', message: 'The content is not a document of its media type' },
  CONTENT_TYPE_MISMATCH: { kind: 'unprocessable', message: 'The staged content was stored under another media type' },

  // Consent
  CONSENT_EXISTS: { kind: 'conflict', message: 'A consent with this id already exists' },
  CONSENT_NOT_FOUND: { kind: 'not_found', message: 'No such consent' },
  CONSENT_NOT_ACTIVE: { kind: 'conflict', message: 'The consent is not active' },
  CONSENT_REQUIRED: { kind: 'forbidden', message: 'No consent permits this access' },
  CONSENT_DENIED: { kind: 'forbidden', message: 'A consent provision denies this access' },
  NOT_PATIENT_OR_DELEGATE: { kind: 'forbidden', message: 'Only the patient or a registered delegate may do this' },
  DELEGATE_NOT_FOUND: { kind: 'not_found', message: 'No such delegate' },
  EMERGENCY_NOT_FOUND: { kind: 'not_found', message: 'No such emergency access' },
  EMERGENCY_ALREADY_REVIEWED: { kind: 'conflict', message: 'The emergency access was already reviewed' },
  EMERGENCY_EXISTS: { kind: 'conflict', message: 'An emergency access with this id already exists' },
  DELEGATE_EXISTS: { kind: 'conflict', message: 'This delegate is already registered' },

  // Research
  TRIAL_EXISTS: { kind: 'conflict', message: 'A trial with this id already exists' },
  TRIAL_NOT_FOUND: { kind: 'not_found', message: 'No such trial' },
  TRIAL_NOT_ACTIVE: { kind: 'conflict', message: 'The trial status does not allow this action' },
  TRIAL_ANCHOR_TOO_LATE: { kind: 'conflict', message: 'Too late to anchor this document: outcomes precede the first enrolment, results precede unblinding' },
  TRIAL_EFFECTIVE_BEFORE_ANCHOR: { kind: 'unprocessable', message: 'A document version cannot take effect before it is anchored' },
  TRIAL_OUTCOMES_NOT_ANCHORED: { kind: 'conflict', message: 'The pre-specified outcomes must be anchored before the first enrolment' },
  TRIAL_RESULTS_NOT_ANCHORED: { kind: 'conflict', message: 'The results must be anchored before unblinding' },
  TRIAL_DOCUMENT_NOT_FOUND: { kind: 'not_found', message: 'No such anchored document version' },
  NOT_TRIAL_SITE: { kind: 'forbidden', message: 'The caller organisation is not a site of this trial' },
  CONSENT_NOT_FOR_TRIAL: { kind: 'unprocessable', message: 'The consent is not an active research consent of this patient for this trial' },
  SUBJECT_EXISTS: { kind: 'conflict', message: 'A subject with this id already exists in the trial' },
  SUBJECT_NOT_FOUND: { kind: 'not_found', message: 'No such trial subject' },
  SUBJECT_WITHDRAWN: { kind: 'conflict', message: 'The subject has withdrawn from the trial' },

  // Audit
  ASSET_NOT_FOUND: { kind: 'not_found', message: 'The asset has no history' },
  DISCLOSURE_NOT_FOUND: { kind: 'not_found', message: 'No such disclosure' },

  // Claims and coverage
  COVERAGE_EXISTS: { kind: 'conflict', message: 'A coverage with this id already exists' },
  COVERAGE_NOT_FOUND: { kind: 'not_found', message: 'No such coverage' },
  CLAIM_EXISTS: { kind: 'conflict', message: 'A claim with this id already exists' },
  CLAIM_NOT_FOUND: { kind: 'not_found', message: 'No such claim' },
  CLAIM_DUPLICATE: { kind: 'conflict', message: 'A claim for the same patient, provider, date and items exists' },
  CLAIM_TOTAL_MISMATCH: { kind: 'unprocessable', message: 'Claim totals do not add up' },
  CLAIM_ILLEGAL_TRANSITION: { kind: 'conflict', message: 'The claim status does not allow this action' },
  CLAIM_DRUG_NOT_DISPENSED: { kind: 'unprocessable', message: 'The drug line names a pack not dispensed by the billing organisation' },
  CLAIM_DRUG_ALREADY_BILLED: { kind: 'conflict', message: 'The drug line names a pack already billed' },
  COVERAGE_MISMATCH: { kind: 'unprocessable', message: 'The coverage does not belong to this patient, payer or currency' },
  CLAIM_PAYMENT_MISMATCH: { kind: 'unprocessable', message: 'The payment does not equal the adjudicated benefit' },

  // Traceability
  PRODUCT_EXISTS: { kind: 'conflict', message: 'A product with this GTIN already exists' },
  PRODUCT_NOT_FOUND: { kind: 'not_found', message: 'No such product' },
  PACK_EXISTS: { kind: 'conflict', message: 'A pack with this SGTIN already exists' },
  PACK_NOT_FOUND: { kind: 'not_found', message: 'No such pack' },
  CONTAINER_EXISTS: { kind: 'conflict', message: 'A container with this SSCC already exists' },
  CONTAINER_NOT_FOUND: { kind: 'not_found', message: 'No such container' },
  NOT_OWNER: { kind: 'forbidden', message: 'Only the current owner may do this' },
  PACK_ILLEGAL_STATE: { kind: 'conflict', message: 'The pack status does not allow this action' },
  PACK_RECALLED: { kind: 'conflict', message: 'The pack is recalled' },
  PACK_QUARANTINED: { kind: 'conflict', message: 'The pack is quarantined' },
  PACK_EXPIRED: { kind: 'conflict', message: 'The pack is expired' },
  SHIPMENT_NOT_FOUND: { kind: 'not_found', message: 'No such shipment' },
  SHIPMENT_MISMATCH: { kind: 'unprocessable', message: 'The receipt does not match the shipment' },
  UNDO_WINDOW_EXPIRED: { kind: 'conflict', message: 'The dispense can no longer be undone' },
  SHIPMENT_EXISTS: { kind: 'conflict', message: 'A shipment with this id already exists' },
  EPCIS_EVENT_UNSUPPORTED: { kind: 'unprocessable', message: 'The ledger does not record this kind of EPCIS event' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** An error with a stable code; its message is `CODE: catalogue message[: detail]`. */
export class ChaincodeError extends Error {
  readonly kind: ErrorKind;

  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
  ) {
    const entry = ERROR_CATALOGUE[code];
    super(detail ? `${code}: ${entry.message}: ${detail}` : `${code}: ${entry.message}`);
    this.name = 'ChaincodeError';
    this.kind = entry.kind;
  }
}

/** Throws the catalogue error `code`; `detail` names ids or fields, never PHI. */
export function fail(code: ErrorCode, detail?: string): never {
  throw new ChaincodeError(code, detail);
}

/** Reads the code back out of an error message (the gateway's side of the convention). */
export function errorCodeOf(message: string): ErrorCode | undefined {
  for (const match of message.matchAll(/(?:^|[\s,:])([A-Z][A-Z0-9_]+): /g)) {
    const code = match[1];
    if (code !== undefined && code in ERROR_CATALOGUE) return code as ErrorCode;
  }
  return undefined;
}
