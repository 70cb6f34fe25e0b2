import type { CollectionDefinition, Consortium } from '../consortium';

/** One entry of the collections config JSON that `peer lifecycle chaincode approveformyorg --collections-config` reads. */
export interface CollectionConfigJson {
  name: string;
  policy: string;
  requiredPeerCount: number;
  maxPeerCount: number;
  blockToLive: number;
  memberOnlyRead: boolean;
  memberOnlyWrite: boolean;
  endorsementPolicy?: { signaturePolicy: string };
}

function toJson(col: CollectionDefinition): CollectionConfigJson {
  return {
    name: col.name,
    policy: `OR(${col.memberOrgs.map((m) => `'${m}.member'`).join(', ')})`,
    requiredPeerCount: col.requiredPeerCount,
    maxPeerCount: col.maxPeerCount,
    blockToLive: col.blockToLive,
    memberOnlyRead: col.memberOnlyRead,
    memberOnlyWrite: col.memberOnlyWrite,
    ...(col.endorsementPolicy ? { endorsementPolicy: { signaturePolicy: col.endorsementPolicy } } : {}),
  };
}

/**
 * The explicit collections of the chaincode definition. Implicit per-organisation collections
 * need no configuration; an empty list means "pass no --collections-config".
 */
export function collectionsConfigOf(consortium: Consortium): CollectionConfigJson[] {
  return consortium.collections.map(toJson);
}
