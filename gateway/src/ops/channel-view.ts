/**
 * What the operations view reads from two system chaincode answers, decoded as Fabric clients
 * decode them: the channel's ordering service from the last config block (cscc `GetConfigBlock`,
 * the block `peer channel fetch config` gets) and the committed chaincode definition from
 * `_lifecycle`'s `QueryChaincodeDefinitionResult` (what `peer lifecycle chaincode querycommitted`
 * prints). Only identifiers, policies and numbers: a config block carries certificates, which are
 * left out.
 */
import { common, msp, orderer, peer } from '@hyperledger/fabric-protos';

/** One orderer organisation of the channel and the endpoints its config lists. */
export interface OrdererOrganisation {
  mspId: string;
  endpoints: string[];
}

/** The ordering service as the channel config describes it. */
export interface OrdererView {
  /** The number of the config block read. */
  configBlock: string;
  /** The config's sequence (one more per config update). */
  configSequence: string;
  consensusType: string;
  /** `host:port` of each consenter (etcdraft metadata, or the BFT consenter mapping). */
  consenters: string[];
  organisations: OrdererOrganisation[];
  /** Channel-level orderer addresses (the legacy global list; empty on channels that set them per organisation). */
  globalEndpoints: string[];
  batchSize: { maxMessageCount: number; absoluteMaxBytes: number; preferredMaxBytes: number };
  batchTimeout: string;
}

/** One explicit collection of a definition. */
export interface CollectionView {
  name: string;
  memberOrgs: string[];
  memberPolicy: string;
  requiredPeerCount: number;
  maxPeerCount: number;
  blockToLive: string;
  memberOnlyRead: boolean;
  memberOnlyWrite: boolean;
  endorsementPolicy?: string;
}

/** A chaincode definition as committed on the channel. */
export interface DefinitionView {
  name: string;
  version: string;
  sequence: string;
  endorsementPlugin: string;
  validationPlugin: string;
  /** The validation parameter: a signature policy in Fabric's DSL, or a channel policy reference. */
  endorsementPolicy: string;
  initRequired: boolean;
  collections: CollectionView[];
  /** Organisations whose approval of this very definition is on the ledger. */
  approvals: { mspId: string; approved: boolean }[];
}

/** A protobuf map's entries with its values as messages (jspb's `toArray` gives raw arrays). */
function entries<V>(map: { forEach(fn: (value: V, key: string) => void): void }): [string, V][] {
  const out: [string, V][] = [];
  map.forEach((value, key) => out.push([key, value]));
  return out;
}

const ROLE_NAMES: Record<number, string> = { 0: 'member', 1: 'admin', 2: 'client', 3: 'peer', 4: 'orderer' };

/** A policy principal as the DSL writes it (`'Org1MSP.peer'`); others by their classification. */
function principalText(principal: msp.MSPPrincipal): string {
  const bytes = principal.getPrincipal_asU8();
  switch (principal.getPrincipalClassification()) {
    case msp.MSPPrincipal.Classification.ROLE: {
      const role = msp.MSPRole.deserializeBinary(bytes);
      return `'${role.getMspIdentifier()}.${ROLE_NAMES[role.getRole()] ?? `role${role.getRole()}`}'`;
    }
    case msp.MSPPrincipal.Classification.ORGANIZATION_UNIT: {
      const ou = msp.OrganizationUnit.deserializeBinary(bytes);
      return `'${ou.getMspIdentifier()}.OU:${ou.getOrganizationalUnitIdentifier()}'`;
    }
    case msp.MSPPrincipal.Classification.IDENTITY:
      return `'${msp.SerializedIdentity.deserializeBinary(bytes).getMspid()}.identity'`;
    default:
      return "'?'";
  }
}

function ruleText(rule: common.SignaturePolicy | undefined, principals: string[]): string {
  if (!rule) return '?';
  if (rule.hasSignedBy()) return principals[rule.getSignedBy()] ?? '?';
  const nOf = rule.getNOutOf();
  const rules = (nOf?.getRulesList() ?? []).map((r) => ruleText(r, principals));
  const n = nOf?.getN() ?? 0;
  if (n === rules.length) return `AND(${rules.join(', ')})`;
  if (n === 1) return `OR(${rules.join(', ')})`;
  return `OutOf(${n}, ${rules.join(', ')})`;
}

/** A signature policy envelope in Fabric's policy DSL. */
export function signaturePolicyText(envelope: common.SignaturePolicyEnvelope): string {
  return ruleText(envelope.getRule(), envelope.getIdentitiesList().map(principalText));
}

/** MSP ids named by a policy's principals, in order of first appearance. */
function principalOrgs(envelope: common.SignaturePolicyEnvelope): string[] {
  return [...new Set(envelope.getIdentitiesList().map((p) => /^'([^.']+)/.exec(principalText(p))?.[1] ?? '?'))];
}

function applicationPolicyText(policy: peer.ApplicationPolicy): string {
  const signature = policy.getSignaturePolicy();
  return signature ? signaturePolicyText(signature) : policy.getChannelConfigPolicyReference();
}

function collectionView(config: peer.StaticCollectionConfig): CollectionView {
  const member = config.getMemberOrgsPolicy()?.getSignaturePolicy() ?? new common.SignaturePolicyEnvelope();
  const endorsement = config.getEndorsementPolicy();
  const hasEndorsement = endorsement !== undefined && endorsement.getTypeCase() !== peer.ApplicationPolicy.TypeCase.TYPE_NOT_SET;
  return {
    name: config.getName(),
    memberOrgs: principalOrgs(member),
    memberPolicy: signaturePolicyText(member),
    requiredPeerCount: config.getRequiredPeerCount(),
    maxPeerCount: config.getMaximumPeerCount(),
    blockToLive: String(config.getBlockToLive()),
    memberOnlyRead: config.getMemberOnlyRead(),
    memberOnlyWrite: config.getMemberOnlyWrite(),
    ...(hasEndorsement ? { endorsementPolicy: applicationPolicyText(endorsement) } : {}),
  };
}

/** Decodes `_lifecycle`'s QueryChaincodeDefinitionResult for chaincode `name`. */
export function definitionView(name: string, bytes: Uint8Array): DefinitionView {
  const result = peer.lifecycle.QueryChaincodeDefinitionResult.deserializeBinary(bytes);
  const collections = result.getCollections()?.getConfigList() ?? [];
  return {
    name,
    version: result.getVersion(),
    sequence: String(result.getSequence()),
    endorsementPlugin: result.getEndorsementPlugin(),
    validationPlugin: result.getValidationPlugin(),
    endorsementPolicy: applicationPolicyText(peer.ApplicationPolicy.deserializeBinary(result.getValidationParameter_asU8())),
    initRequired: result.getInitRequired(),
    collections: collections.flatMap((c) => {
      const config = c.getStaticCollectionConfig();
      return config ? [collectionView(config)] : [];
    }),
    approvals: entries(result.getApprovalsMap())
      .map(([mspId, approved]) => ({ mspId, approved }))
      .sort((a, b) => a.mspId.localeCompare(b.mspId)),
  };
}

function valueOf(group: common.ConfigGroup | undefined, key: string): Uint8Array | undefined {
  return group?.getValuesMap().get(key)?.getValue_asU8();
}

function addresses(bytes: Uint8Array | undefined): string[] {
  return bytes ? common.OrdererAddresses.deserializeBinary(bytes).getAddressesList() : [];
}

function mspIdOf(group: common.ConfigGroup, fallback: string): string {
  const bytes = valueOf(group, 'MSP');
  if (!bytes) return fallback;
  return msp.FabricMSPConfig.deserializeBinary(msp.MSPConfig.deserializeBinary(bytes).getConfig_asU8()).getName() || fallback;
}

function consentersOf(type: orderer.ConsensusType, ordererGroup: common.ConfigGroup): string[] {
  if (type.getType() === 'etcdraft') {
    return orderer.etcdraft.ConfigMetadata.deserializeBinary(type.getMetadata_asU8())
      .getConsentersList()
      .map((c) => `${c.getHost()}:${c.getPort()}`);
  }
  const mapping = valueOf(ordererGroup, 'Orderers');
  return mapping ? common.Orderers.deserializeBinary(mapping).getConsenterMappingList().map((c) => `${c.getHost()}:${c.getPort()}`) : [];
}

/** The channel's Config from a config block. */
function configOf(block: common.Block): common.Config {
  const envelope = common.Envelope.deserializeBinary(block.getData()?.getDataList_asU8()[0] ?? new Uint8Array(0));
  const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
  const config = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig();
  if (!config) throw new Error('the config block carries no config');
  return config;
}

/** Decodes the ordering service's part of a config block (cscc `GetConfigBlock`). */
export function ordererView(blockBytes: Uint8Array): OrdererView {
  const block = common.Block.deserializeBinary(blockBytes);
  const config = configOf(block);
  const channel = config.getChannelGroup();
  const group = channel?.getGroupsMap().get('Orderer') ?? new common.ConfigGroup();
  const typeBytes = valueOf(group, 'ConsensusType');
  const type = typeBytes ? orderer.ConsensusType.deserializeBinary(typeBytes) : new orderer.ConsensusType();
  const sizeBytes = valueOf(group, 'BatchSize');
  const size = sizeBytes ? orderer.BatchSize.deserializeBinary(sizeBytes) : new orderer.BatchSize();
  const timeoutBytes = valueOf(group, 'BatchTimeout');
  return {
    configBlock: String(block.getHeader()?.getNumber() ?? 0),
    configSequence: String(config.getSequence()),
    consensusType: type.getType(),
    consenters: consentersOf(type, group),
    organisations: entries(group.getGroupsMap())
      .map(([name, org]) => ({ mspId: mspIdOf(org, name), endpoints: addresses(valueOf(org, 'Endpoints')) }))
      .sort((a, b) => a.mspId.localeCompare(b.mspId)),
    globalEndpoints: addresses(valueOf(channel, 'OrdererAddresses')),
    batchSize: { maxMessageCount: size.getMaxMessageCount(), absoluteMaxBytes: size.getAbsoluteMaxBytes(), preferredMaxBytes: size.getPreferredMaxBytes() },
    batchTimeout: timeoutBytes ? orderer.BatchTimeout.deserializeBinary(timeoutBytes).getTimeout() : '',
  };
}
