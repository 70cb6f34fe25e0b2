/** @healthledger/network: the consortium definition, the devnet and real-Fabric configuration. */
export * from './consortium';
export * from './devnet';
