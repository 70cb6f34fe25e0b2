export { AuditContract } from './contract';
export { DISCLOSURE_BY_PATIENT, type Disclosure } from './disclosures';
export type { HistoryEntry } from './history';
export * from '@healthledger/contract-api';
