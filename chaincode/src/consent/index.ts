export { checkAccess, inPeriod, periodBounds, type AccessBasis, type AccessDecision, type AccessQuery, type AccessRequester, type AccessSubject, type Consent, type DenialReason, type EmergencyAccess } from './access';
export { ConsentContract } from './contract';
export { EmergencyContract } from './emergency';
export type { Delegate } from './store';
export * from '@healthledger/contract-api';
