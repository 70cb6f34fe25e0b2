/**
 * Drug traceability (GS1 EPCIS 2.0, DSCSA, EU FMD). Other contracts use the pack functions
 * (`readPack`, `markPackBilled`); the gateway reuses the schemas, the GS1 identifier functions,
 * the EPCIS conversion and the commissioning batch planner.
 */
export { TraceContract } from './contract';
export * from './model';
export { readPack, markPackBilled } from './packs';
export { planCommissionBatches, serialsOf, type CommissionBatch } from '@healthledger/contract-api';
export { DSCSA_STATEMENT } from './custody';
export { UNDO_WINDOW_MS } from './dispensing';
export type { Verification } from './verification';
export type { LotHolder } from './recall';
export type { Holding } from './holdings';
export * from '@healthledger/contract-api';
export * from '@healthledger/contract-api';
export * as epcis from './epcis';
