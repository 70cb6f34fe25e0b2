/**
 * healthledger's contract API: what the chaincode accepts and answers, with no Fabric runtime.
 * Request schemas (TypeBox, so they are JSON Schemas too), the error catalogue, the transaction
 * catalogue, the consortium's organisation kinds and roles, and the GS1 identifier syntax the
 * trace requests use. The chaincode implements it; the REST gateway derives its routes from it.
 */
export * from './audit';
export * from './batches';
export * from './categories';
export * from './claims';
export * from './claims-results';
export * from './common';
export * from './consent';
export * from './consent-results';
export * from './cbv';
export * from './disclosures';
export * from './enums';
export * from './epcis';
export * from './epcis-results';
export * from './errors';
export * from './gs1';
export * from './media-types';
export * from './organizations';
export * from './record-entry';
export * from './records';
export * from './research';
export * from './stamp';
export * from './roles';
export * from './trace';
export * from './trace-results';
export * from './transactions';
export * from './validation';
