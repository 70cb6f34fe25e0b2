/** Fabric policies: the signature-policy DSL, cauthdsl evaluation, ImplicitMeta. */
export { nOutOf, parsePolicy, policyPrincipals, signedBy, type PolicyPrincipal } from './dsl';
export { PolicyError } from './errors';
export { evaluateImplicitMeta, implicitMetaThreshold, parseImplicitMeta, type ImplicitMetaRule } from './implicit-meta';
export type { PolicyResult } from './result';
export { evaluateSignaturePolicy, SignaturePolicy, signaturePolicy } from './signature-policy';
export { validIdentities, type SignedData } from './signed-data';
