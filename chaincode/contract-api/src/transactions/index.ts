/** The transaction catalogue: every transaction of the chaincode, by contract. */
import { AUDIT } from './audit';
import { CLAIMS, COVERAGE } from './claims';
import { CONSENT, EMERGENCY } from './consent';
import { RECORDS } from './records';
import { RESEARCH } from './research';
import type { TransactionSpec } from './spec';
import { TRACE } from './trace';

export * from './gate';
export * from './metadata';
export * from './spec';
export { AUDIT, CLAIMS, CONSENT, COVERAGE, EMERGENCY, RECORDS, RESEARCH, TRACE };

/** Every transaction, in contract order. */
export const TRANSACTIONS: readonly TransactionSpec[] = [RECORDS, CONSENT, EMERGENCY, AUDIT, COVERAGE, CLAIMS, TRACE, RESEARCH].flatMap((c) => Object.values(c));

const byQualifiedName = new Map(TRANSACTIONS.map((t) => [t.qualifiedName, t]));

/** The catalogue entry for `contract:name`, or undefined. */
export function transactionSpec(qualifiedName: string): TransactionSpec | undefined {
  return byQualifiedName.get(qualifiedName);
}

/** The catalogue entry a staged transaction names (its stage or discard step). */
export function stepOf(spec: TransactionSpec, name: string): TransactionSpec {
  const step = byQualifiedName.get(`${spec.contract}:${name}`);
  if (!step) throw new Error(`${spec.qualifiedName} names an unknown transaction ${name}`);
  return step;
}
