/** The channel configuration: org MSPs and policies, ACLs, orderer settings, block 0. */
export { CONFIG_ACLS, DEFAULT_ACLS } from './acls';
export { buildChannelConfig, ChannelConfig, ChannelConfigError, type BatchSettings } from './channel-config';
export { channelConfigTx } from './configtx';
export { genesisBlock, type GenesisOptions } from './genesis';
export type { PolicyResult } from '@healthledger/fabric-core/policy';
export { applyConfigUpdate, ConfigUpdateError, type ConfigUpdateTarget } from './config-update';
