export { FakeLedger, type InvokeOptions } from './fake-ledger';
export { compareKeys } from './fake-stub';
export { identity, type TestIdentity } from './identities';
export { findPhiLeaks, phi, PHI_MARKER } from './privacy';
