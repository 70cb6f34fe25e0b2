/**
 * The ledger's `updatedBy` stamp (who changed a value last: pseudonymous actor, organisation,
 * role, transaction, time), which FHIR has no element for: the `updated-by` extension, and
 * `meta.lastUpdated`.
 */
import type { Stamp } from '@healthledger/contract-api';
import { ext, extObject } from './extensions';
import type { Extension } from './types';
import { invalid } from './references';

export type { Stamp };

/** The `updated-by` extension of a stamp. */
export function stampExt(stamp: Stamp, name = 'updated-by'): Extension[] {
  return ext(name, { ...stamp });
}

/** The stamp in the extension `name` of an element. */
export function stampOf(element: { extension?: Extension[] }, name = 'updated-by'): Stamp {
  const o = extObject(element, name);
  const { org, role, actor, txId, at } = o ?? {};
  if (typeof org !== 'string' || typeof role !== 'string' || typeof actor !== 'string' || typeof txId !== 'string' || typeof at !== 'string') {
    throw invalid(`extension ${name}: a ledger stamp is required`);
  }
  return { org, role, actor, txId, at };
}
