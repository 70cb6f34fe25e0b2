import { common, msp, orderer, peer } from '@hyperledger/fabric-protos';
import type { Consortium } from '../../consortium';
import { fromMspConfigProto, MspManager, type MspConfig } from '@healthledger/fabric-core/msp';
import type { Material } from '@healthledger/fabric-core/pki';
import { PolicyError, signaturePolicy, validIdentities, type PolicyResult, type SignedData } from '@healthledger/fabric-core/policy';
import { DEFAULT_ACLS } from './acls';
import { channelConfigTx } from './configtx';
import { genesisBlock, type GenesisOptions } from './genesis';
import { PolicyTree } from './policy-tree';

/** The orderer's batching limits, as configured in the channel. */
export interface BatchSettings {
  timeoutMs: number;
  maxMessageCount: number;
  absoluteMaxBytes: number;
  preferredMaxBytes: number;
}

/** An endorsement or collection policy: an envelope, or a reference to a channel policy. */
type ApplicationPolicy = peer.ApplicationPolicy | common.ApplicationPolicy;

/** A channel config problem (block that is not a config block, missing groups). */
export class ChannelConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelConfigError';
  }
}

function mspValue(group: common.ConfigGroup): MspConfig | undefined {
  const value = group.getValuesMap().get('MSP');
  return value ? fromMspConfigProto(msp.MSPConfig.deserializeBinary(value.getValue_asU8())) : undefined;
}

function orgMsps(group: common.ConfigGroup | undefined): MspConfig[] {
  const found: MspConfig[] = [];
  group?.getGroupsMap().forEach((org) => {
    const config = mspValue(org);
    if (config) found.push(config);
  });
  return found;
}

/** Go duration strings as Fabric writes BatchTimeout (`2s`, `100ms`, `1m`). */
function durationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(text);
  if (!m) throw new ChannelConfigError(`invalid BatchTimeout '${text}'`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[m[2] as 'ms' | 's' | 'm'];
}

function batchSettings(group: common.ConfigGroup | undefined): BatchSettings {
  const size = group?.getValuesMap().get('BatchSize');
  const timeout = group?.getValuesMap().get('BatchTimeout');
  const batch = size ? orderer.BatchSize.deserializeBinary(size.getValue_asU8()) : new orderer.BatchSize();
  return {
    timeoutMs: timeout ? durationMs(orderer.BatchTimeout.deserializeBinary(timeout.getValue_asU8()).getTimeout()) : 2000,
    maxMessageCount: batch.getMaxMessageCount() || 500,
    absoluteMaxBytes: batch.getAbsoluteMaxBytes() || 10 * 1024 * 1024,
    preferredMaxBytes: batch.getPreferredMaxBytes() || 2 * 1024 * 1024,
  };
}

/**
 * One channel's configuration, read from a `common.Config` exactly as a peer reads it
 * from the config block: MSPs of every org, the policy hierarchy, ACLs, orderer batching.
 */
export class ChannelConfig {
  /** Application organisations' MSP ids, sorted by group name (config maps are ordered by key). */
  readonly orgs: string[];
  readonly ordererMspIds: string[];
  readonly batch: BatchSettings;
  /** Replaced by {@link apply} when a config block commits (the devnet's only config change: an org's MSP). */
  private mspManager: MspManager;
  private current: common.Config;
  private readonly policies: PolicyTree;
  private readonly acls = new Map<string, string>();

  constructor(
    readonly channelId: string,
    config: common.Config,
  ) {
    this.current = config;
    const channel = config.getChannelGroup();
    if (!channel) throw new ChannelConfigError('config has no channel group');
    const application = channel.getGroupsMap().get('Application');
    const ordering = channel.getGroupsMap().get('Orderer');
    if (!application) throw new ChannelConfigError('config has no Application group');
    const appMsps = orgMsps(application);
    const ordererMsps = orgMsps(ordering);
    this.orgs = appMsps.map((m) => m.mspId);
    this.ordererMspIds = ordererMsps.map((m) => m.mspId);
    this.mspManager = new MspManager([...appMsps, ...ordererMsps]);
    this.policies = new PolicyTree(channel);
    this.batch = batchSettings(ordering);
    const aclValue = application.getValuesMap().get('ACLs');
    if (aclValue) {
      peer.ACLs.deserializeBinary(aclValue.getValue_asU8())
        .getAclsMap()
        .forEach((resource, name) => this.acls.set(name, resource.getPolicyRef()));
    }
  }

  /** The MSPs of the channel as of the last committed config block. */
  get msps(): MspManager {
    return this.mspManager;
  }

  /** The channel config as of the last committed config block. */
  get config(): common.Config {
    return this.current;
  }

  /**
   * Takes on a later config (a committed config block's): the MSPs are rebuilt from it, so a CRL
   * added to an organisation's MSP refuses its certificates from the next proposal on. The devnet
   * accepts only config updates that change an application organisation's MSP (config-update.ts),
   * so organisations, policies, ACLs and batching stay as they are.
   */
  apply(next: common.Config): void {
    const channel = next.getChannelGroup();
    const application = channel?.getGroupsMap().get('Application');
    if (!channel || !application) throw new ChannelConfigError('config has no Application group');
    const appMsps = orgMsps(application);
    if (appMsps.map((m) => m.mspId).join() !== this.orgs.join()) throw new ChannelConfigError('a config update may not add or remove organisations on the devnet');
    this.mspManager = new MspManager([...appMsps, ...orgMsps(channel.getGroupsMap().get('Orderer'))]);
    this.current = next;
  }

  /** Reads the config carried by a config block (e.g. block 0). */
  static fromBlock(block: common.Block): ChannelConfig {
    const envelopeBytes = block.getData()?.getDataList_asU8()[0];
    if (!envelopeBytes) throw new ChannelConfigError('block has no data');
    const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8());
    const channelHeader = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array(0));
    if (channelHeader.getType() !== common.HeaderType.CONFIG) throw new ChannelConfigError('block is not a config block');
    const config = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig();
    if (!config) throw new ChannelConfigError('config envelope has no config');
    return new ChannelConfig(channelHeader.getChannelId(), config);
  }

  /** Every policy path of the channel (`/Channel/Application/Hospital1MSP/Endorsement`, …). */
  get policyPaths(): string[] {
    return this.policies.paths;
  }

  /**
   * Evaluates the channel policy at `path` (absolute, e.g. `/Channel/Application/Writers`) on
   * the signatures. Failure messages are Fabric's (e.g. "implicit policy evaluation failed - 0
   * sub-policies were satisfied, but this policy requires 1 of the 'Writers' sub-policies to be
   * satisfied"); callers add their own prefixes.
   */
  evaluatePolicy(path: string, signed: SignedData[]): PolicyResult {
    if (!this.policies.has(path)) return { ok: false, message: `no such policy: '${path}'` };
    return this.policies.evaluate(path, validIdentities(signed, this.msps));
  }

  /** Evaluates a chaincode or collection endorsement policy (`signature_policy` or a channel policy reference). */
  evaluateApplicationPolicy(policy: ApplicationPolicy, signed: SignedData[]): PolicyResult {
    switch (policy.getTypeCase()) {
      case peer.ApplicationPolicy.TypeCase.SIGNATURE_POLICY: {
        const envelope = policy.getSignaturePolicy();
        if (!envelope) return { ok: false, message: 'Empty policy element' };
        try {
          return signaturePolicy(envelope).evaluate(signed, this.msps);
        } catch (err) {
          if (err instanceof PolicyError) return { ok: false, message: err.message };
          throw err;
        }
      }
      case peer.ApplicationPolicy.TypeCase.CHANNEL_CONFIG_POLICY_REFERENCE:
        return this.evaluatePolicy(policy.getChannelConfigPolicyReference(), signed);
      default:
        return { ok: false, message: 'unsupported policy type' };
    }
  }

  /** The policy path guarding a resource (`peer/Propose`, `qscc/GetChainInfo`, …); undefined when unmapped. */
  aclPolicy(resource: string): string | undefined {
    return this.acls.get(resource) ?? DEFAULT_ACLS[resource];
  }

  /** Block 0 carrying this config. */
  genesisBlock(opts?: GenesisOptions): common.Block {
    return genesisBlock(this.channelId, this.config, opts);
  }
}

/** The channel config of the consortium's channel over the generated material. */
export function buildChannelConfig(consortium: Consortium, material: Material): ChannelConfig {
  return new ChannelConfig(consortium.channel, channelConfigTx(consortium, material));
}
