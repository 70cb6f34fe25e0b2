export { InMemoryChannel, type InvokeOptions } from './in-memory-channel';
export { compareKeys } from './fake-stub';
export { identity, type TestIdentity } from './identities';
export { findPhiLeaks, phi, PHI_MARKER } from './privacy';
