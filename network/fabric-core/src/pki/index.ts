/**
 * Certificate issuance and the test-network-like crypto material tree shared by the devnet and
 * real Fabric 2.5 (`peerOrganizations/<domain>/…`, `ordererOrganizations/<domain>/…`).
 */
export { decodeAttributes, encodeAttributes, enrollmentAttributes, FABRIC_ATTRS_OID, type FabricCaType } from './attributes';
export { CertificateAuthority, type IssuedCertificate, type LeafRequest, type Validity } from './authority';
export { CsrError, newKeyAndRequest, requestPublicKey } from './csr';
export { MaterialError } from './errors';
export { enrollmentFiles, nodeOuConfig, tlsFiles } from './layout';
export { generateMaterial, loadMaterial } from './material';
export { createSigningIdentity, type SigningIdentity } from './signing-identity';
export type * from './types';
