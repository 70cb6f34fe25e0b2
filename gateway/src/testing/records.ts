/**
 * A record's index entry as `records:*` transactions answer it (the catalogue's result schema),
 * for tests that script the ledger's answers (scripted-ledger.ts).
 */

/** Who wrote, when and in which transaction: the stamp every fixture entry carries. */
export const STAMP = { org: 'Hospital1MSP', role: 'clinician', actor: 'a1', txId: 'tx1', at: '2026-12-05T10:00:00.000Z' };

/** Version 1 of record `recordId` of the demo patient, kept by Hospital 1. */
export function recordEntry(recordId: string, category = 'lab-result') {
  return {
    recordId,
    patientRef: 'pt-0c5f1a9e',
    custodian: 'Hospital1MSP',
    category,
    version: 1,
    contentHash: 'a'.repeat(64),
    previousHash: null,
    versions: [{ version: 1, contentHash: 'a'.repeat(64), previousHash: null, at: STAMP.at, author: STAMP }],
    created: STAMP.at,
    updated: STAMP.at,
    erased: false,
    updatedBy: STAMP,
  };
}
