import type { Contract } from 'fabric-contract-api';
import { AuditContract } from '../audit';
import { ConsentContract, EmergencyContract } from '../consent';
import { RecordsContract } from '../records';
import { InMemoryChannel, type InvokeOptions } from './in-memory-channel';
import type { TestIdentity } from './identities';
import { createHash } from 'node:crypto';
import { phi } from './privacy';

/** Patient refs of the demo consortium (network/consortium.yaml). */
export const PATIENT = 'pt-0c5f1a9e';
export const GUARDIAN = 'pt-5d2b7c40';
export const OTHER_PATIENT = 'pt-8e41d3b2';

/**
 * A InMemoryChannel running the records, consent, emergency and audit contracts (and `extra`), with identities for
 * every role the tests of those contracts need (the demo consortium's, plus a few outsiders).
 */
export async function recordsFixture(extra: Contract[] = []) {
  const ledger = new InMemoryChannel({ contracts: [new RecordsContract(), new ConsentContract(), new EmergencyContract(), new AuditContract(), ...extra] });
  const u = (msp: string, name: string, attrs: Record<string, string>) => ledger.user(msp, name, attrs);
  const users = {
    clinician1: await u('Hospital1MSP', 'clinician1', { role: 'clinician', practitioner_id: 'prac-h1-0001' }),
    clinician1b: await u('Hospital1MSP', 'clinician1b', { role: 'clinician', practitioner_id: 'prac-h1-0002' }),
    recordsAdmin1: await u('Hospital1MSP', 'recordsadmin1', { role: 'records-admin' }),
    billing1: await u('Hospital1MSP', 'billing1', { role: 'billing' }),
    auditor1: await u('Hospital1MSP', 'auditor1', { role: 'auditor' }),
    patient: await u('Hospital1MSP', 'patient1', { role: 'patient', patient_id: PATIENT }),
    guardian: await u('Hospital1MSP', 'guardian1', { role: 'patient', patient_id: GUARDIAN }),
    patientNoId: await u('Hospital1MSP', 'patient-noid', { role: 'patient' }),
    clinician2: await u('Hospital2MSP', 'clinician2', { role: 'clinician', practitioner_id: 'prac-h2-0001' }),
    recordsAdmin2: await u('Hospital2MSP', 'recordsadmin2', { role: 'records-admin' }),
    otherPatient: await u('Hospital2MSP', 'patient2', { role: 'patient', patient_id: OTHER_PATIENT }),
    adjudicator: await u('InsurerMSP', 'adjudicator1', { role: 'adjudicator' }),
    auditor3: await u('InsurerMSP', 'auditor3', { role: 'auditor' }),
    insurerClinician: await u('InsurerMSP', 'insurer-clinician', { role: 'clinician', practitioner_id: 'prac-ins-1' }),
    insurerRecordsAdmin: await u('InsurerMSP', 'insurer-recordsadmin', { role: 'records-admin' }),
    manufacturer: await u('ManufacturerMSP', 'manufacturer1', { role: 'manufacturer' }),
    researcher1: await u('Hospital1MSP', 'researcher1', { role: 'researcher' }),
    researcher2: await u('Hospital2MSP', 'researcher2', { role: 'researcher' }),
    insurerResearcher: await u('InsurerMSP', 'insurer-researcher', { role: 'researcher' }),
  };
  /** Submits and parses the JSON response. */
  const submit = async <T = Record<string, unknown>>(who: TestIdentity, fn: string, request: unknown, options?: InvokeOptions): Promise<T> =>
    JSON.parse(await ledger.submit(who, fn, [JSON.stringify(request)], options)) as T;
  /** Evaluates and parses the JSON response. */
  const evaluate = async <T = Record<string, unknown>>(who: TestIdentity, fn: string, request: unknown, options?: InvokeOptions): Promise<T> =>
    JSON.parse(await ledger.evaluate(who, fn, [JSON.stringify(request)], options)) as T;
  return { ledger, users, submit, evaluate };
}

/** The fixture's `submit`. */
type Submit = <T = Record<string, unknown>>(who: TestIdentity, fn: string, request: unknown, options?: InvokeOptions) => Promise<T>;

/**
 * Creates a record as clients do: the content is staged in the custodian's implicit collection
 * (custodian-only endorsement), then the public entry is created with its hash. `options` apply
 * to the public step (e.g. endorsers).
 */
export async function createRecord<T = Record<string, unknown>>(submit: Submit, who: TestIdentity, request: Record<string, unknown>, content: string | Uint8Array, options?: InvokeOptions): Promise<T> {
  const staged = await submit<{ contentHash: string }>(who, 'records:stageContent', request, { transient: salted({ content }) });
  return submit<T>(who, 'records:createRecord', { ...request, contentHash: staged.contentHash }, options);
}

/** A FHIR-ish record body carrying synthetic PHI (found by the privacy scan if it leaks). */
/** The salt tests send unless they say otherwise (the gateway draws a random one per write). */
export const TEST_SALT = 'a5'.repeat(32);

/** Transient data with a `salt`, as every write of a private value carries one. */
export function salted(transient: Record<string, string | Uint8Array>, salt = TEST_SALT): Record<string, string | Uint8Array> {
  return { ...transient, salt };
}

/** The hash the ledger keeps of `text` stored with `salt`: SHA-256 of `salt ‖ text`. */
export function saltedHash(text: string | Uint8Array, salt = TEST_SALT): string {
  return createHash('sha256').update(Buffer.from(salt, 'hex')).update(text).digest('hex');
}

export function clinicalContent(label = 'note'): string {
  return JSON.stringify({ resourceType: 'DocumentReference', subject: { display: phi('patient-name') }, description: phi(label), status: 'current' });
}

/** The stored bytes of a `records:readContent` answer (`data`, base64). */
export function bytesRead(answer: { data?: unknown }): Buffer {
  return Buffer.from(String(answer.data), 'base64');
}
