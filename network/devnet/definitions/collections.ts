/**
 * Decoding a chaincode's private data collections as the peer sees them: the explicit ones from
 * its definition plus one implicit `_implicit_org_<MSP>` collection per channel org. Only the
 * registry (registry.ts) decodes; everyone else asks it, so each definition is decoded once.
 */
import { common, msp, peer } from '@hyperledger/fabric-protos';
import { parsePolicy } from '@healthledger/fabric-core/policy';

/** Prefix of Fabric's implicit per-org collections. */
export const IMPLICIT_COLLECTION_PREFIX = '_implicit_org_';

/** One collection's configuration, decoded. */
export interface CollectionRuntime {
  readonly name: string;
  readonly implicit: boolean;
  /** Who is a member (and therefore stores the private data). */
  readonly memberPolicy: common.SignaturePolicyEnvelope;
  /** MSP ids named in the member policy: the orgs whose peers hold the data. */
  readonly memberOrgs: readonly string[];
  readonly requiredPeerCount: number;
  readonly maximumPeerCount: number;
  /** 0 = kept forever. */
  readonly blockToLive: bigint;
  readonly memberOnlyRead: boolean;
  readonly memberOnlyWrite: boolean;
  /** The collection's own endorsement policy; undefined = the chaincode's. */
  readonly endorsementPolicy: peer.ApplicationPolicy | undefined;
}

/** MSP ids of the ROLE / ORGANIZATION_UNIT / IDENTITY principals of a signature policy. */
export function principalOrgs(envelope: common.SignaturePolicyEnvelope): string[] {
  const orgs = new Set<string>();
  for (const principal of envelope.getIdentitiesList()) {
    const bytes = principal.getPrincipal_asU8();
    switch (principal.getPrincipalClassification()) {
      case msp.MSPPrincipal.Classification.ROLE:
        orgs.add(msp.MSPRole.deserializeBinary(bytes).getMspIdentifier());
        break;
      case msp.MSPPrincipal.Classification.ORGANIZATION_UNIT:
        orgs.add(msp.OrganizationUnit.deserializeBinary(bytes).getMspIdentifier());
        break;
      case msp.MSPPrincipal.Classification.IDENTITY:
        orgs.add(msp.SerializedIdentity.deserializeBinary(bytes).getMspid());
        break;
      default:
        break;
    }
  }
  return [...orgs];
}

/** Fabric's `policydsl.SignedByMspMember`: 1-of-1 `<mspId>.member`, the implicit member policy. */
function memberOf(mspId: string): common.SignaturePolicyEnvelope {
  return parsePolicy(`OR('${mspId}.member')`);
}

function implicitCollection(mspId: string): CollectionRuntime {
  const endorsement = new peer.ApplicationPolicy();
  endorsement.setChannelConfigPolicyReference(`/Channel/Application/${mspId}/Endorsement`);
  return {
    name: `${IMPLICIT_COLLECTION_PREFIX}${mspId}`,
    implicit: true,
    memberPolicy: memberOf(mspId),
    memberOrgs: [mspId],
    requiredPeerCount: 0,
    maximumPeerCount: 0,
    blockToLive: 0n,
    memberOnlyRead: false,
    memberOnlyWrite: false,
    endorsementPolicy: endorsement,
  };
}

function explicitCollection(config: peer.StaticCollectionConfig): CollectionRuntime {
  const memberPolicy = config.getMemberOrgsPolicy()?.getSignaturePolicy() ?? new common.SignaturePolicyEnvelope();
  const endorsement = config.getEndorsementPolicy();
  const hasEndorsement = endorsement !== undefined && endorsement.getTypeCase() !== peer.ApplicationPolicy.TypeCase.TYPE_NOT_SET;
  return {
    name: config.getName(),
    implicit: false,
    memberPolicy,
    memberOrgs: principalOrgs(memberPolicy),
    requiredPeerCount: config.getRequiredPeerCount(),
    maximumPeerCount: config.getMaximumPeerCount(),
    blockToLive: BigInt(config.getBlockToLive()),
    memberOnlyRead: config.getMemberOnlyRead(),
    memberOnlyWrite: config.getMemberOnlyWrite(),
    endorsementPolicy: hasEndorsement ? endorsement : undefined,
  };
}

/**
 * The explicit collections of `configs` plus the implicit collection of every org in `orgs` (the
 * channel's application orgs), by name.
 */
export function decodeCollections(configs: peer.CollectionConfigPackage, orgs: readonly string[]): Map<string, CollectionRuntime> {
  const result = new Map<string, CollectionRuntime>();
  for (const config of configs.getConfigList()) {
    const stat = config.getStaticCollectionConfig();
    if (stat) result.set(stat.getName(), explicitCollection(stat));
  }
  for (const mspId of orgs) {
    const implicit = implicitCollection(mspId);
    result.set(implicit.name, implicit);
  }
  return result;
}
