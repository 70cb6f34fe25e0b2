export { buildBlock, METADATA_SLOTS, type BlockInput } from './block';
export { ABSOLUTE_MAX_BYTES, checkEnvelope, ORDERER_WRITERS_POLICY, type AcceptedEnvelope, type BroadcastResult, type IntakeResult } from './intake';
export { Orderer, type BatchOptions, type OrdererOptions } from './orderer';
export { configTransaction, configUpdateOf, lastConfigIndexOf } from './config-envelope';
