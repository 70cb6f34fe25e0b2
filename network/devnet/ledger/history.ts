import { decodeVersion, encodeVersion, sized, tableKey } from './codec';
import type { KvStore } from './kv';
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

/** `H ns ∅ u32 len ‖ key ‖ blockNum ‖ txNum`: the length keeps a key from being a prefix of another. */
const keyPrefix = (ns: string, key: string): Buffer => tableKey('H', ns, sized(key));

/** value: u8 isDelete ‖ u64 seconds ‖ u32 nanos ‖ u16 len ‖ txId ‖ value. */
function encode(m: KeyModification): Buffer {
  const txId = Buffer.from(m.txId, 'utf8');
  const head = Buffer.alloc(15);
  head.writeUInt8(m.isDelete ? 1 : 0, 0);
  head.writeBigInt64BE(m.timestamp.seconds, 1);
  head.writeUInt32BE(m.timestamp.nanos, 9);
  head.writeUInt16BE(txId.length, 13);
  return Buffer.concat([head, txId, m.value]);
}

function decode(key: Buffer, value: Buffer): KeyModification {
  const txIdLength = value.readUInt16BE(13);
  return {
    isDelete: value.readUInt8(0) === 1,
    timestamp: { seconds: value.readBigInt64BE(1), nanos: value.readUInt32BE(9) },
    txId: value.toString('utf8', 15, 15 + txIdLength),
    value: value.subarray(15 + txIdLength),
    version: decodeVersion(key, key.length - 12),
  };
}

/**
 * The history index: for each public key, every write (including deletes) of every VALID
 * transaction, keyed by height in the ledger's key-value store. Invalid transactions never reach it.
 */
export class HistoryDb {
  constructor(private readonly kv: KvStore) {}

  /** Modifications of `ns`/`key`, newest first; empty for a never-written key. */
  async get(ns: string, key: string): Promise<KeyModification[]> {
    const found: KeyModification[] = [];
    for await (const [k, v] of this.kv.scanPrefix(keyPrefix(ns, key), true)) found.push(decode(k, v));
    return found;
  }

  /** @internal Commit path: records one write of a valid transaction. */
  append(ns: string, key: string, modification: KeyModification): void {
    this.kv.put(Buffer.concat([keyPrefix(ns, key), encodeVersion(modification.version)]), encode(modification));
  }
}
