export * from './capture';
export * from './history';
export * from '@healthledger/contract-api';
export * from './vocabulary';
