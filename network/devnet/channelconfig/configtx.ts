import { common, orderer, peer } from '@hyperledger/fabric-protos';
import type { Consortium } from '../../consortium';
import { toMspConfigProto, type MspConfig } from '@healthledger/fabric-core/msp';
import type { Material, OrdererMaterial, OrgMaterial } from '@healthledger/fabric-core/pki';
import { CONFIG_ACLS } from './acls';
import { capabilities, configGroup, configValue, implicitMetaConfig, signaturePolicyConfig } from './values';

/** Orderer batch limits beyond the consortium file (Fabric's defaults; the devnet intake enforces 10 MiB). */
const ABSOLUTE_MAX_BYTES = 10 * 1024 * 1024;
const PREFERRED_MAX_BYTES = 512 * 1024;
/** BlockDataHashingStructure width: Fabric only supports MaxUint32. */
const DATA_HASHING_WIDTH = 4294967295;

/**
 * An org's MSP as configtxgen reads it from the tree: org CA, TLS CA, NodeOUs pinned to the org
 * CA (the `Certificate:` lines of `msp/config.yaml`).
 */
function mspConfig(mspId: string, caCertPem: string, tlsCaCertPem: string): MspConfig {
  const ou = (value: string): { ou: string; certifier: string } => ({ ou: value, certifier: caCertPem });
  return { mspId, rootCerts: [caCertPem], tlsRootCerts: [tlsCaCertPem], nodeOUs: { client: ou('client'), peer: ou('peer'), admin: ou('admin'), orderer: ou('orderer') } };
}

function applicationOrg(org: OrgMaterial): common.ConfigGroup {
  const anchors = new peer.AnchorPeers();
  anchors.setAnchorPeersList(
    org.peers.slice(0, 1).map((p) => {
      const anchor = new peer.AnchorPeer();
      anchor.setHost(p.host);
      anchor.setPort(p.port);
      return anchor;
    }),
  );
  const id = org.mspId;
  return configGroup({
    values: { MSP: configValue(toMspConfigProto(mspConfig(id, org.caCertPem, org.tlsCaCertPem))), AnchorPeers: configValue(anchors) },
    policies: {
      Readers: signaturePolicyConfig(`OR('${id}.admin', '${id}.peer', '${id}.client')`),
      Writers: signaturePolicyConfig(`OR('${id}.admin', '${id}.client')`),
      Admins: signaturePolicyConfig(`OR('${id}.admin')`),
      Endorsement: signaturePolicyConfig(`OR('${id}.peer')`),
    },
  });
}

function application(orgs: OrgMaterial[]): common.ConfigGroup {
  const acls = new peer.ACLs();
  for (const [resource, policyRef] of Object.entries(CONFIG_ACLS)) {
    const api = new peer.APIResource();
    api.setPolicyRef(policyRef);
    acls.getAclsMap().set(resource, api);
  }
  return configGroup({
    groups: Object.fromEntries(orgs.map((org) => [org.mspId, applicationOrg(org)])),
    values: { Capabilities: configValue(capabilities('V2_5')), ACLs: configValue(acls) },
    policies: {
      Readers: implicitMetaConfig('ANY Readers'),
      Writers: implicitMetaConfig('ANY Writers'),
      Admins: implicitMetaConfig('MAJORITY Admins'),
      LifecycleEndorsement: implicitMetaConfig('MAJORITY Endorsement'),
      Endorsement: implicitMetaConfig('MAJORITY Endorsement'),
    },
  });
}

function ordererAddresses(addresses: string[]): common.OrdererAddresses {
  const value = new common.OrdererAddresses();
  value.setAddressesList(addresses);
  return value;
}

function consensus(node: OrdererMaterial): orderer.ConsensusType {
  const consenter = new orderer.etcdraft.Consenter();
  consenter.setHost(node.host);
  consenter.setPort(node.port);
  consenter.setClientTlsCert(Buffer.from(node.tlsCertPem));
  consenter.setServerTlsCert(Buffer.from(node.tlsCertPem));
  const metadata = new orderer.etcdraft.ConfigMetadata();
  metadata.setConsentersList([consenter]);
  const type = new orderer.ConsensusType();
  type.setType('etcdraft');
  type.setMetadata(metadata.serializeBinary());
  return type;
}

function ordererGroup(node: OrdererMaterial, consortium: Consortium): common.ConfigGroup {
  const id = node.mspId;
  const org = configGroup({
    values: { MSP: configValue(toMspConfigProto(mspConfig(id, node.caCertPem, node.tlsCaCertPem))), Endpoints: configValue(ordererAddresses([`${node.host}:${node.port}`])) },
    policies: {
      Readers: signaturePolicyConfig(`OR('${id}.member')`),
      Writers: signaturePolicyConfig(`OR('${id}.member')`),
      Admins: signaturePolicyConfig(`OR('${id}.admin')`),
    },
  });
  const batchSize = new orderer.BatchSize();
  batchSize.setMaxMessageCount(consortium.orderer.maxMessageCount);
  batchSize.setAbsoluteMaxBytes(ABSOLUTE_MAX_BYTES);
  batchSize.setPreferredMaxBytes(PREFERRED_MAX_BYTES);
  const batchTimeout = new orderer.BatchTimeout();
  batchTimeout.setTimeout(`${consortium.orderer.batchTimeoutMs}ms`);
  return configGroup({
    groups: { [id]: org },
    values: {
      ConsensusType: configValue(consensus(node)),
      BatchSize: configValue(batchSize),
      BatchTimeout: configValue(batchTimeout),
      ChannelRestrictions: configValue(new orderer.ChannelRestrictions()),
      Capabilities: configValue(capabilities('V2_0')),
    },
    policies: {
      Readers: implicitMetaConfig('ANY Readers'),
      Writers: implicitMetaConfig('ANY Writers'),
      Admins: implicitMetaConfig('MAJORITY Admins'),
      BlockValidation: implicitMetaConfig('ANY Writers'),
    },
  });
}

/**
 * The channel's `Config` (sequence 0) as configtxgen would produce it from a test-network style
 * `configtx.yaml` for this consortium: org policies, implicit-meta policies, ACLs, capabilities
 * (channel V2_0, application V2_5, orderer V2_0), etcdraft with one consenter.
 */
export function channelConfigTx(consortium: Consortium, material: Material): common.Config {
  const hashing = new common.HashingAlgorithm();
  hashing.setName('SHA256');
  const dataHashing = new common.BlockDataHashingStructure();
  dataHashing.setWidth(DATA_HASHING_WIDTH);
  const channel = configGroup({
    groups: { Application: application(material.orgs), Orderer: ordererGroup(material.orderer, consortium) },
    values: {
      HashingAlgorithm: configValue(hashing),
      BlockDataHashingStructure: configValue(dataHashing),
      OrdererAddresses: configValue(ordererAddresses([`${material.orderer.host}:${material.orderer.port}`])),
      Capabilities: configValue(capabilities('V2_0')),
    },
    policies: {
      Readers: implicitMetaConfig('ANY Readers'),
      Writers: implicitMetaConfig('ANY Writers'),
      Admins: implicitMetaConfig('MAJORITY Admins'),
    },
  });
  const config = new common.Config();
  config.setSequence(0);
  config.setChannelGroup(channel);
  return config;
}
