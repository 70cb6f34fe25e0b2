/**
 * Endorsement-time access to a collection: anyone may read and write unless a
 * member-only flag is set; then non-members lose that right.
 */
import type { common } from '@hyperledger/fabric-protos';
import type { CollectionRuntime } from '../definitions';

/** The creator may not read (or write) a collection; the text is Fabric's. */
export class CollectionAccessError extends Error {
  override readonly name = 'CollectionAccessError';
}

/** A collection name the chaincode definition does not know. */
export class UnknownCollectionError extends Error {
  override readonly name = 'UnknownCollectionError';

  constructor(channelId: string, chaincode: string, collection: string) {
    super(`collection ${channelId}/${chaincode}/${collection} could not be found`);
  }
}

/** What the creator of a proposal may do with one collection. */
export interface CollectionPermission {
  read: boolean;
  write: boolean;
}

/**
 * The creator's permission on `collection`. `isMember` evaluates the member policy against the
 * proposal's signed data (creator, proposal bytes, signature); it is only called when a flag
 * makes membership matter.
 */
export function collectionPermission(
  collection: CollectionRuntime,
  isMember: (memberPolicy: common.SignaturePolicyEnvelope) => boolean,
): CollectionPermission {
  if (!collection.memberOnlyRead && !collection.memberOnlyWrite) return { read: true, write: true };
  if (isMember(collection.memberPolicy)) return { read: true, write: true };
  return { read: !collection.memberOnlyRead, write: !collection.memberOnlyWrite };
}

/** Throws Fabric's text when `permission` lacks `mode`. */
export function requireAccess(permission: CollectionPermission, mode: 'read' | 'write', chaincode: string, collection: string): void {
  if (!permission[mode]) {
    throw new CollectionAccessError(
      `tx creator does not have ${mode} access permission on privatedata in chaincodeName:${chaincode} collectionName: ${collection}`,
    );
  }
}
