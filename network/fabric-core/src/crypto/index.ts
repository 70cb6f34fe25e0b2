/** Fabric's cryptographic conventions: SHA-256, low-S ECDSA, the DER block header hash. */
export { SignatureError } from './errors';
export { sha256 } from './hash';
export { blockHeaderBytes, blockHeaderHash } from './header-hash';
export { decodeEcdsaSignature } from './der';
export { flipS, signLowS, signLowSAsync, toLowS, verifySignature } from './signature';
