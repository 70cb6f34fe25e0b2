import { common } from '@hyperledger/fabric-protos';
import { parseImplicitMeta, parsePolicy } from '@healthledger/fabric-core/policy';

/** `mod_policy` of every element: who may change it (the devnet checks it for the one update it takes, an org's MSP CRL). */
const MOD_POLICY = 'Admins';

/** A `ConfigValue` carrying a serialized message. */
export function configValue(message: { serializeBinary(): Uint8Array }): common.ConfigValue {
  const value = new common.ConfigValue();
  value.setValue(message.serializeBinary());
  value.setModPolicy(MOD_POLICY);
  return value;
}

/** A `ConfigPolicy` of type SIGNATURE from the DSL (`OR('Org1MSP.peer')`). */
export function signaturePolicyConfig(dsl: string): common.ConfigPolicy {
  return configPolicy(common.Policy.PolicyType.SIGNATURE, parsePolicy(dsl).serializeBinary());
}

/** A `ConfigPolicy` of type IMPLICIT_META (`MAJORITY Endorsement`). */
export function implicitMetaConfig(text: string): common.ConfigPolicy {
  return configPolicy(common.Policy.PolicyType.IMPLICIT_META, parseImplicitMeta(text).serializeBinary());
}

function configPolicy(type: common.Policy.PolicyTypeMap[keyof common.Policy.PolicyTypeMap], bytes: Uint8Array): common.ConfigPolicy {
  const policy = new common.Policy();
  policy.setType(type);
  policy.setValue(bytes);
  const config = new common.ConfigPolicy();
  config.setPolicy(policy);
  config.setModPolicy(MOD_POLICY);
  return config;
}

/** A `ConfigGroup` with the given sub-groups, values and policies. */
export function configGroup(parts: {
  groups?: Record<string, common.ConfigGroup>;
  values?: Record<string, common.ConfigValue>;
  policies?: Record<string, common.ConfigPolicy>;
}): common.ConfigGroup {
  const group = new common.ConfigGroup();
  for (const [name, child] of Object.entries(parts.groups ?? {})) group.getGroupsMap().set(name, child);
  for (const [name, value] of Object.entries(parts.values ?? {})) group.getValuesMap().set(name, value);
  for (const [name, policy] of Object.entries(parts.policies ?? {})) group.getPoliciesMap().set(name, policy);
  group.setModPolicy(MOD_POLICY);
  return group;
}

/** `Capabilities{capabilities: {<name>: {}}}` */
export function capabilities(...names: string[]): common.Capabilities {
  const caps = new common.Capabilities();
  for (const name of names) caps.getCapabilitiesMap().set(name, new common.Capability());
  return caps;
}
