/**
 * The `_lifecycle` reads a Fabric 2.5 peer records while it looks up a chaincode definition
 * (docs/design/fabric-conformance.md k, "Other observations"). They make a transaction fail MVCC if the definition changes before it commits.
 */
import type { Version } from '../ledger';
import type { RWSetBuilder } from './rwset-builder';

/** Namespace of Fabric's lifecycle system chaincode. */
export const LIFECYCLE_NAMESPACE = '_lifecycle';

/** Every invocation of chaincode `name` reads its definition's sequence. */
export function recordDefinitionLookup(rw: RWSetBuilder, name: string, version: Version): void {
  rw.addRead(LIFECYCLE_NAMESPACE, `namespaces/fields/${name}/Sequence`, version);
}

/** A private-data API validates the collection through the full definition. */
export function recordCollectionLookup(rw: RWSetBuilder, name: string, version: Version): void {
  for (const field of ['Collections', 'EndorsementInfo', 'Sequence', 'ValidationInfo']) {
    rw.addRead(LIFECYCLE_NAMESPACE, `namespaces/fields/${name}/${field}`, version);
  }
  rw.addRead(LIFECYCLE_NAMESPACE, `namespaces/metadata/${name}`, version);
}
