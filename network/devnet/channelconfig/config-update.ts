/**
 * Channel config updates, as the devnet's orderer accepts them: the one change an operator makes
 * to revoke identities, an application organisation's MSP gaining (or losing) CRLs. Fabric's
 * orderer computes and authorizes any delta of the config tree; the devnet accepts exactly one
 * changed value, `/Channel/Application/<Org>/MSP`, at the next version, with the same MSP in every
 * field but `revocation_list`, signed so that the value's `mod_policy` (the organisation's `Admins`)
 * is satisfied. Anything else is refused with BAD_REQUEST, as Fabric refuses an invalid update.
 */
import { common, msp } from '@hyperledger/fabric-protos';
import { fromMspConfigProto, type MspConfig } from '@healthledger/fabric-core/msp';
import type { PolicyResult, SignedData } from '@healthledger/fabric-core/policy';
import { checkWire, decodeWire } from '@healthledger/fabric-core/protos';

/** A config update the devnet refuses; the message follows Fabric's wording where it has one. */
export class ConfigUpdateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigUpdateError';
  }
}

/** What applying an update reads of the channel: its id, current config and policies. */
export interface ConfigUpdateTarget {
  readonly channelId: string;
  readonly config: common.Config;
  evaluatePolicy(path: string, signed: SignedData[]): PolicyResult;
}

interface MspChange {
  org: string;
  current: common.ConfigValue;
  next: common.ConfigValue;
}

function mspOf(value: common.ConfigValue): MspConfig {
  // Read before the update is authorized: walked (with the FabricMSPConfig it holds) by the wire check first.
  checkWire('MSPConfig', value.getValue_asU8(), { deep: true });
  return fromMspConfigProto(msp.MSPConfig.deserializeBinary(value.getValue_asU8()));
}

/** Everything of an MSP but its CRLs, for comparing the two sides of an update. */
function withoutCrls(config: MspConfig): string {
  return JSON.stringify({ ...config, crls: [] });
}

function changedMspValues(current: common.Config, update: common.ConfigUpdate): MspChange[] {
  const application = current.getChannelGroup()?.getGroupsMap().get('Application');
  const written = update.getWriteSet()?.getGroupsMap().get('Application');
  const changes: MspChange[] = [];
  written?.getGroupsMap().forEach((group, org) => {
    const next = group.getValuesMap().get('MSP');
    const existing = application?.getGroupsMap().get(org)?.getValuesMap().get('MSP');
    const differs = next && existing && (next.getVersion() !== existing.getVersion() || !Buffer.from(next.getValue_asU8()).equals(Buffer.from(existing.getValue_asU8())));
    if (next && existing && differs) changes.push({ org, current: existing, next });
  });
  return changes;
}

/** The signatures of a ConfigUpdateEnvelope as policy input: each signs its header ‖ the update bytes. */
function signaturesOf(envelope: common.ConfigUpdateEnvelope): SignedData[] {
  const updateBytes = envelope.getConfigUpdate_asU8();
  return envelope.getSignaturesList().map((sig) => {
    const header = sig.getSignatureHeader_asU8();
    return {
      identity: decodeWire('SignatureHeader', header).getCreator_asU8(),
      data: Buffer.concat([header, updateBytes]),
      signature: sig.getSignature_asU8(),
    };
  });
}

/**
 * Checks `envelope` against the channel and answers the config that results (sequence + 1).
 * Throws {@link ConfigUpdateError} for an update the devnet does not accept or that is not
 * authorized.
 */
export function applyConfigUpdate(channel: ConfigUpdateTarget, envelope: common.ConfigUpdateEnvelope): common.Config {
  let update: common.ConfigUpdate;
  try {
    update = decodeWire('ConfigUpdate', envelope.getConfigUpdate_asU8());
  } catch (err) {
    throw new ConfigUpdateError(`error unmarshalling config update: ${(err as Error).message}`);
  }
  if (update.getChannelId() !== channel.channelId) {
    throw new ConfigUpdateError(`config update for channel '${update.getChannelId()}' but envelope for channel '${channel.channelId}'`);
  }
  const changes = changedMspValues(channel.config, update);
  const [change] = changes;
  if (!change || changes.length > 1) throw new ConfigUpdateError('the devnet accepts config updates of exactly one application organisation MSP');
  const prefix = `error applying config update to existing channel '${channel.channelId}'`;
  if (change.next.getVersion() !== change.current.getVersion() + 1) {
    throw new ConfigUpdateError(`${prefix}: error authorizing update: proposed update requires that key [Value] /Channel/Application/${change.org}/MSP be at version ${change.next.getVersion() - 1}, but it is currently at version ${change.current.getVersion()}`);
  }
  let nextMsp: MspConfig;
  try {
    nextMsp = mspOf(change.next);
  } catch (err) {
    throw new ConfigUpdateError(`${prefix}: could not read the MSP config: ${(err as Error).message}`);
  }
  if (withoutCrls(nextMsp) !== withoutCrls(mspOf(change.current))) {
    throw new ConfigUpdateError('the devnet accepts MSP updates that change only the revocation list');
  }
  const policy = `/Channel/Application/${change.org}/${change.current.getModPolicy()}`;
  const authorized = channel.evaluatePolicy(policy, signaturesOf(envelope));
  if (!authorized.ok) {
    throw new ConfigUpdateError(`${prefix}: error authorizing update: error validating DeltaSet: policy for [Value] /Channel/Application/${change.org}/MSP not satisfied: ${authorized.message}`);
  }
  return nextConfig(channel.config, change);
}

function nextConfig(current: common.Config, change: MspChange): common.Config {
  const next = common.Config.deserializeBinary(current.serializeBinary());
  const value = new common.ConfigValue();
  value.setVersion(change.current.getVersion() + 1);
  value.setModPolicy(change.current.getModPolicy());
  value.setValue(change.next.getValue_asU8());
  next.getChannelGroup()?.getGroupsMap().get('Application')?.getGroupsMap().get(change.org)?.getValuesMap().set('MSP', value);
  next.setSequence(current.getSequence() + 1);
  return next;
}
