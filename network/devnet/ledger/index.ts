/**
 * The devnet's ledger (docs/design/devnet-fidelity.md, "Module layout"): block store, world state,
 * hashed and private state, history, and `commitBlock`.
 */
export { Ledger, type LedgerOptions, type CommitOptions } from './ledger';
export { BlockStore, blockDataHash, type TxLocation } from './blockstore';
export { StateDb, type StateEntry, type HashedStateEntry, type StateKV, type MetadataEntries } from './statedb';
export { PrivateStore, type PrivateEntry, type PrivateKV } from './private-store';
export { HistoryDb, type KeyModification, type TxTimestamp } from './history';
export { LedgerError, LedgerCorruptError, LedgerClosedError } from './errors';
export { compareVersions, formatVersion, type Version } from './version';
export type { CollectionMembers } from './pvt-selection';
export type { CollectionBlockToLive } from './expiry';
