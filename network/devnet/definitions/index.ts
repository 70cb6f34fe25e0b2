export { IMPLICIT_COLLECTION_PREFIX, principalOrgs, type CollectionRuntime } from './collections';
export { chaincodeDefinition, defaultPackageId, type ChaincodeDefinitionInput, type ChaincodeDefinitionRuntime } from './definition';
export { ChaincodeRegistry } from './registry';
