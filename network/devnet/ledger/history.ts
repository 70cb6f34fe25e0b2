import type { Version } from './version';

/** A transaction's timestamp as its channel header carries it. */
export interface TxTimestamp {
  readonly seconds: bigint;
  readonly nanos: number;
}

/** One valid write of a key (Fabric's `queryresult.KeyModification`, plus its height). */
export interface KeyModification {
  readonly txId: string;
  /** Empty for a delete. */
  readonly value: Buffer;
  readonly isDelete: boolean;
  /** The writing transaction's ChannelHeader timestamp. */
  readonly timestamp: TxTimestamp;
  readonly version: Version;
}

/**
 * The history index: for each public key, every write (including deletes) of every VALID
 * transaction, in commit order. Invalid transactions never reach it.
 */
export class HistoryDb {
  readonly #byKey = new Map<string, KeyModification[]>();

  /** Modifications of `ns`/`key`, newest first; empty for a never-written key. */
  get(ns: string, key: string): KeyModification[] {
    const entries = this.#byKey.get(`${ns}\u0000${key}`);
    return entries === undefined ? [] : entries.slice().reverse();
  }

  /** @internal Commit path: records one write of a valid transaction. */
  append(ns: string, key: string, modification: KeyModification): void {
    const id = `${ns}\u0000${key}`;
    const entries = this.#byKey.get(id);
    if (entries === undefined) this.#byKey.set(id, [modification]);
    else entries.push(modification);
  }
}
