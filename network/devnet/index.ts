/**
 * The embedded devnet: a single Node process serving Fabric 2.5's gRPC services (the behaviour it
 * reproduces: docs/design/fabric-conformance.md).
 */
export { Devnet, resolveDataDir, type DevnetOptions, type DevnetPeer } from './devnet';
export { ChaincodeRegistry, chaincodeDefinition, defaultPackageId, type ChaincodeDefinitionInput, type ChaincodeDefinitionRuntime } from './definitions';
export { DESCRIPTOR_FILE, type DevnetDescriptor, type DevnetOrg, type DevnetUser } from './descriptor';
export type { NetworkRuntime, PeerRuntime } from './peer';
