/**
 * The clinical resources: Consent (read, search by patient and status, create), AuditEvent (the
 * accounting of disclosures: read by id, search by patient and date), DocumentReference (record metadata:
 * read, search by patient) and Provenance (record versions: read, search by target). Each calls
 * the transaction the compact API's route calls, as the caller.
 */
import { randomUUID } from 'node:crypto';
import { StringEnum, AUDIT, CONSENT, RECORDS } from '@healthledger/contract-api';
import { Type } from '@sinclair/typebox';
import { HttpProblem } from '../errors/problem';
import { disclosureToFhir, type LedgerDisclosure } from './audit-event';
import { consentFromFhir, consentToFhir, type FhirConsent, type LedgerConsent } from './consent';
import { recordToFhir, type LedgerRecordMetadata } from './document-reference';
import { ConsentInput } from './input-schemas';
import type { Interaction, ResourceInteractions } from './interactions';
import { invoke, type LedgerPage } from './ledger';
import { parseProvenanceId, versionToFhir, type LedgerRecordVersion } from './provenance';
import { invalid } from './references';
import { DateParam, dateWindow, nextCursor, pageRequest, PatientParam, patientParam } from './search';
import { disclosureIdOfFhir } from './disclosure-id';

type RecordEntry = LedgerRecordMetadata & { versions: LedgerRecordVersion[] };

async function getRecord(i: Interaction, recordId: string): Promise<RecordEntry> {
  return (await invoke(i.ctx, i.request, RECORDS.getRecord, { recordId })) as RecordEntry;
}

const consent: ResourceInteractions = {
  type: 'Consent',
  documentation: 'A patient privacy consent: who may access which record categories, for which purposes (consent:grantConsent, getConsent, listConsents).',
  read: async (i, consentId) => consentToFhir((await invoke(i.ctx, i.request, CONSENT.getConsent, { consentId })) as LedgerConsent),
  search: {
    params: {
      patient: { schema: PatientParam, type: 'reference', documentation: 'Patient/<pseudonymous ref>, required' },
      status: { schema: StringEnum(['active', 'inactive']), type: 'token', documentation: 'active or inactive (revoked)' },
    },
    required: ['patient'],
    run: async (i, q) => {
      const page = (await invoke(i.ctx, i.request, CONSENT.listConsents, { patientRef: patientParam(q['patient'] as string), ...pageRequest(q) })) as LedgerPage<LedgerConsent>;
      const status = q['status'];
      return { resources: page.items.filter((c) => status === undefined || c.status === status).map(consentToFhir), next: nextCursor(page.bookmark) };
    },
  },
  create: {
    body: ConsentInput,
    run: async (i, body) => {
      const resource = body as FhirConsent;
      if (resource.status !== 'active') throw invalid('Consent.status: a new consent is active');
      const request = consentFromFhir(resource, () => `cns-${randomUUID()}`);
      return consentToFhir((await invoke(i.ctx, i.request, CONSENT.grantConsent, { ...request }, { reply: i.reply })) as LedgerConsent);
    },
  },
};

const auditEvent: ResourceInteractions = {
  type: 'AuditEvent',
  documentation: "A patient's accounting of disclosures: every access request to a record, granted or denied (audit:accountingOfDisclosures, getDisclosure). The id is the disclosure's, the transaction id of the access request (a trial release's per-record disclosure `<txId>.<n>`: the transaction id in base 36, a hyphen and n, to fit FHIR's 64 characters).",
  read: async (i, id) => disclosureToFhir((await invoke(i.ctx, i.request, AUDIT.getDisclosure, { disclosureId: disclosureIdOfFhir(id) })) as LedgerDisclosure),
  search: {
    params: {
      patient: { schema: PatientParam, type: 'reference', documentation: 'Patient/<pseudonymous ref>, required' },
      date: { schema: Type.Array(DateParam, { minItems: 1, maxItems: 2 }), type: 'date', documentation: 'ge<from> and/or le<to> (inclusive; gt/lt treated as ge/le)' },
    },
    required: ['patient'],
    run: async (i, q) => {
      const { from, to } = dateWindow(q['date'] as string[] | undefined);
      const input = { patientRef: patientParam(q['patient'] as string), from, to, ...pageRequest(q) };
      const page = (await invoke(i.ctx, i.request, AUDIT.accountingOfDisclosures, input)) as LedgerPage<LedgerDisclosure>;
      return { resources: page.items.map(disclosureToFhir), next: nextCursor(page.bookmark) };
    },
  },
};

const documentReference: ResourceInteractions = {
  type: 'DocumentReference',
  documentation: "A patient record's public metadata (records:getRecord, listRecords). The content is disclosed only through the consented access flow the attachment URL names.",
  read: async (i, recordId) => recordToFhir(await getRecord(i, recordId)),
  search: {
    params: { patient: { schema: PatientParam, type: 'reference', documentation: 'Patient/<pseudonymous ref>, required' } },
    required: ['patient'],
    run: async (i, q) => {
      const page = (await invoke(i.ctx, i.request, RECORDS.listRecords, { patientRef: patientParam(q['patient'] as string), ...pageRequest(q) })) as LedgerPage<LedgerRecordMetadata>;
      return { resources: page.items.map(recordToFhir), next: nextCursor(page.bookmark) };
    },
  },
};

/** `DocumentReference/<id>`, optionally `/_history/<version>`, or the bare record id. */
const TargetParam = Type.String({ pattern: '^(DocumentReference/)?[A-Za-z0-9][A-Za-z0-9._:-]{0,127}(/_history/[1-9][0-9]{0,8})?$' });

const provenance: ResourceInteractions = {
  type: 'Provenance',
  documentation: "A record version: who wrote it, when, and the hash chain to the previous version (the record's `versions`). Id: <recordId>-v<version>.",
  read: async (i, id) => {
    const parsed = parseProvenanceId(id);
    if (!parsed) throw new HttpProblem('NOT_FOUND', 'A Provenance id is <recordId>-v<version>');
    const record = await getRecord(i, parsed.recordId);
    const version = record.versions.find((v) => v.version === parsed.version);
    if (!version) throw new HttpProblem('RECORD_VERSION_NOT_FOUND', `${parsed.recordId} v${parsed.version}`);
    return versionToFhir(record.recordId, version);
  },
  search: {
    params: { target: { schema: TargetParam, type: 'reference', documentation: 'DocumentReference/<recordId>[/_history/<version>], required' } },
    required: ['target'],
    run: async (i, q) => {
      const m = /^(?:DocumentReference\/)?(.+?)(?:\/_history\/([0-9]+))?$/.exec(q['target'] as string);
      const record = await getRecord(i, m?.[1] as string);
      const wanted = m?.[2] === undefined ? undefined : Number(m[2]);
      return { resources: record.versions.filter((v) => wanted === undefined || v.version === wanted).map((v) => versionToFhir(record.recordId, v)) };
    },
  },
};

/** The clinical resource types. */
export const CLINICAL: readonly ResourceInteractions[] = [consent, auditEvent, documentReference, provenance];
