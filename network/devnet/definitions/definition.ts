/**
 * Chaincode definitions as the devnet is configured with them (the stand-in for `_lifecycle`
 * approve + commit): the input shape and its encoding into {@link ChaincodeDefinitionRuntime}.
 */
import { createHash } from 'node:crypto';
import { peer } from '@hyperledger/fabric-protos';
import type { CollectionDefinition } from '../../consortium';
import type { Version } from '../ledger';
import { parsePolicy } from '@healthledger/fabric-core/policy';

/** A chaincode as committed on the channel. */
export interface ChaincodeDefinitionRuntime {
  readonly name: string;
  readonly version: string;
  readonly sequence: number;
  readonly endorsementPolicy: peer.ApplicationPolicy;
  /** Explicit collections only, encoded; the registry decodes them and adds the implicit ones. */
  readonly collections: peer.CollectionConfigPackage;
  /** The chaincode server's CHAINCODE_ID. */
  readonly packageId: string;
  /** CaaS `host:port` the peers dial. */
  readonly address: string;
  /** Version at which the definition was "committed" (block 0, tx 0 for static definitions). */
  readonly definitionVersion: Version;
}

/** One chaincode to define on the channel. */
export interface ChaincodeDefinitionInput {
  name: string;
  version: string;
  sequence: number;
  /** Fabric policy DSL; absent = `/Channel/Application/Endorsement` (majority of orgs). */
  endorsementPolicy?: string;
  /** Explicit collections (implicit org collections always exist). */
  collections?: CollectionDefinition[];
  /** The chaincode server's CHAINCODE_ID; default {@link defaultPackageId}. */
  packageId?: string;
  /** CaaS `host:port`. */
  address: string;
}

/** A stable package id of the form Fabric prints (`<label>:<hex>`). */
export function defaultPackageId(name: string, version: string): string {
  return `${name}_${version}:${createHash('sha256').update(`${name}:${version}`).digest('hex')}`;
}

function signaturePolicy(dsl: string): peer.ApplicationPolicy {
  const policy = new peer.ApplicationPolicy();
  policy.setSignaturePolicy(parsePolicy(dsl));
  return policy;
}

function collectionConfig(def: CollectionDefinition): peer.CollectionConfig {
  const memberPolicy = new peer.CollectionPolicyConfig();
  memberPolicy.setSignaturePolicy(parsePolicy(`OR(${def.memberOrgs.map((org) => `'${org}.member'`).join(', ')})`));
  const config = new peer.StaticCollectionConfig();
  config.setName(def.name);
  config.setMemberOrgsPolicy(memberPolicy);
  config.setRequiredPeerCount(def.requiredPeerCount);
  config.setMaximumPeerCount(def.maxPeerCount);
  config.setBlockToLive(def.blockToLive);
  config.setMemberOnlyRead(def.memberOnlyRead);
  config.setMemberOnlyWrite(def.memberOnlyWrite);
  if (def.endorsementPolicy) config.setEndorsementPolicy(signaturePolicy(def.endorsementPolicy));
  const wrapper = new peer.CollectionConfig();
  wrapper.setStaticCollectionConfig(config);
  return wrapper;
}

/** The runtime definition; static definitions count as committed at block 0, tx 0. */
export function chaincodeDefinition(input: ChaincodeDefinitionInput): ChaincodeDefinitionRuntime {
  let endorsementPolicy: peer.ApplicationPolicy;
  if (input.endorsementPolicy) {
    endorsementPolicy = signaturePolicy(input.endorsementPolicy);
  } else {
    endorsementPolicy = new peer.ApplicationPolicy();
    endorsementPolicy.setChannelConfigPolicyReference('/Channel/Application/Endorsement');
  }
  const collections = new peer.CollectionConfigPackage();
  collections.setConfigList((input.collections ?? []).map(collectionConfig));
  return {
    name: input.name,
    version: input.version,
    sequence: input.sequence,
    endorsementPolicy,
    collections,
    packageId: input.packageId ?? defaultPackageId(input.name, input.version),
    address: input.address,
    definitionVersion: { blockNum: 0n, txNum: 0 },
  };
}
