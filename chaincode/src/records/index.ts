export { RecordsContract } from './contract';
export { ACCESS_WINDOW_MS, type AccessGrant } from './grant';
export { RECORD_BY_PATIENT, type RecordEntry, type RecordVersion } from './record';
export * from '@healthledger/contract-api';
