/** The channel's MSPs: X.509 identity deserialization, validation, principals. */
export { DEFAULT_NODE_OUS, fromMspConfigProto, toMspConfigProto, type MspConfig, type NodeOU, type NodeOUs } from './config';
export { checkCreator, CreatorError } from './creator';
export { MspError, type MspErrorStage } from './errors';
export { RevocationList } from './crl';
export { MspIdentity, type Identity } from './identity';
export { MspManager } from './manager';
export { Msp, type NodeRole } from './msp';
export { rolePrincipal, identityPrincipal, organizationUnitPrincipal, type PrincipalRole } from './principals';
