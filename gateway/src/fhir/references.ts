/**
 * References and identifiers shared by every mapping: patients are `Patient/<pseudonymous ref>`
 * only (the ledger holds no demographics, so there is never a Patient resource with PHI to point
 * at), organisations and actors are identifiers in the project's systems.
 */
import { HttpProblem } from '../errors/problem';
import { FHIR_ID, LOCAL } from './codes';
import type { Coding, CodeableConcept, Identifier, Reference } from './types';

const PATIENT_REF = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;

/** `Patient/<ref>` for a pseudonymous patient reference. */
export function patientReference(patientRef: string): Reference {
  return { reference: `Patient/${patientRef}` };
}

/** The pseudonymous ref of a `Patient/<ref>` reference (or a bare ref, as search parameters allow). */
export function patientRefOf(value: Reference | string | undefined, where: string): string {
  const text = typeof value === 'string' ? value : value?.reference;
  const ref = text?.startsWith('Patient/') ? text.slice('Patient/'.length) : typeof value === 'string' ? value : undefined;
  if (ref === undefined || !PATIENT_REF.test(ref)) throw invalid(`${where}: a Patient/<pseudonymous ref> reference is required`);
  return ref;
}

/** An organisation, named by its MSP id. */
export function organizationReference(mspId: string): Reference {
  return { type: 'Organization', identifier: { system: LOCAL.mspId, value: mspId } };
}

/** The MSP id of an organisation reference. */
export function mspIdOf(ref: Reference | undefined, where: string): string {
  if (ref?.identifier?.system !== LOCAL.mspId || !ref.identifier.value) throw invalid(`${where}: an Organization identifier in ${LOCAL.mspId} is required`);
  return ref.identifier.value;
}

/** A reference `Type/id` to another resource served here. */
export function resourceReference(type: string, id: string): Reference {
  return { reference: `${type}/${id}` };
}

/** The id of a `Type/id` reference. */
export function idOf(ref: Reference | undefined, type: string, where: string): string {
  const prefix = `${type}/`;
  if (!ref?.reference?.startsWith(prefix)) throw invalid(`${where}: a ${type} reference is required`);
  return ref.reference.slice(prefix.length);
}

/** The FHIR `id` of a ledger id, when it is a valid one (the `identifier` always carries it). */
export function logicalId(ledgerId: string): { id?: string } {
  return FHIR_ID.test(ledgerId) ? { id: ledgerId } : {};
}

/** The ledger id a resource carries as its `identifier` in the ledger-id system, if any. */
export function ledgerIdOf(resource: { [element: string]: unknown }): string | undefined {
  const identifiers = resource['identifier'];
  if (!Array.isArray(identifiers)) return undefined;
  return (identifiers as Identifier[]).find((i) => i.system === LOCAL.ledgerId)?.value;
}

/** One coding as a CodeableConcept. */
export function concept(system: string, code: string, display?: string): CodeableConcept {
  return { coding: [{ system, code, ...(display === undefined ? {} : { display }) }] };
}

/** The code of the first coding in `system`, if any. */
export function codeIn(value: CodeableConcept | Coding | undefined, system: string): string | undefined {
  if (value === undefined) return undefined;
  const codings: Coding[] = 'coding' in value ? (value.coding ?? []) : [value as Coding];
  return codings.find((c) => c.system === system)?.code;
}

/** The code in `system`, or a 400 saying where it was missing. */
export function requireCode(value: CodeableConcept | Coding | undefined, system: string, where: string): string {
  const code = codeIn(value, system);
  if (code === undefined) throw invalid(`${where}: a code from ${system} is required`);
  return code;
}

/** A client error in a FHIR resource sent to us (answered as an OperationOutcome, 400). */
export function invalid(detail: string): HttpProblem {
  return new HttpProblem('VALIDATION_FAILED', detail);
}
