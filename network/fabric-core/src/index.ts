/**
 * `@healthledger/fabric-core`: the Fabric conventions the devnet, the real-Fabric generators and
 * the REST gateway share. Each part is also its own entry point, which loads only that part:
 *
 * - `@healthledger/fabric-core/crypto`: SHA-256, low-S ECDSA, DER signatures, the block header hash.
 * - `@healthledger/fabric-core/pki`: certificate authorities, signing identities, the crypto material tree.
 * - `@healthledger/fabric-core/msp`: X.509 MSPs, identity deserialization and validation, principals.
 * - `@healthledger/fabric-core/policy`: the signature-policy DSL, signature and ImplicitMeta policy evaluation.
 * - `@healthledger/fabric-core/protos`: proposal decoding, transaction ids, ledger versions.
 * - `@healthledger/fabric-core/descriptor`: the network descriptor (`devnet.json`) type and its check.
 *
 * This package depends on no other healthledger package, nor on fabric-shim or
 * fabric-contract-api (a test enforces it).
 *
 * @packageDocumentation
 */
export * from './crypto';
export * from './descriptor';
export * from './msp';
export * from './pki';
export * from './policy';
export * from './protos';
