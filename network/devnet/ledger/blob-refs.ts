import type { ledger } from '@hyperledger/fabric-protos';
import type { BlobSlice } from './blob-store';
import { decodeVersion, decodeVersioned, encodeVersion, sized } from './codec';
import { decodePvtRecordHead, encodePvtRecord } from './pvt-record';
import type { Version } from './version';

/*
 * How the private store's records refer to blobs (blob-store.ts).
 *
 * Private state (`p`): an inline value is `encodeVersioned` (version ‖ u16 metadata count = 0 ‖
 * value; private entries carry no metadata). A value in a blob has the count 0xFFFF, which no
 * inline record has: version ‖ 0xFFFF ‖ u32 offset ‖ u32 length ‖ blob name.
 *
 * Block write sets (`w`): the pvt record (pvt-record.ts) whose blob-backed collections hold an empty
 * rwset, then u32 n ‖ n × (u32 txNum ‖ sized ns ‖ sized collection ‖ sized blob name). A record
 * without blobs is the plain pvt record.
 */

const IN_BLOB = 0xffff;

/** A private state entry as stored: its value inline, or where it is in a blob. */
export type StoredPrivate = { readonly version: Version } & ({ readonly value: Buffer; readonly slice?: undefined } | { readonly slice: BlobSlice; readonly value?: undefined });

export function encodeBlobEntry(version: Version, slice: BlobSlice): Buffer {
  const head = Buffer.alloc(10);
  head.writeUInt16BE(IN_BLOB, 0);
  head.writeUInt32BE(slice.offset, 2);
  head.writeUInt32BE(slice.length, 6);
  return Buffer.concat([encodeVersion(version), head, Buffer.from(slice.name, 'utf8')]);
}

export function decodePrivateEntry(stored: Buffer): StoredPrivate {
  if (stored.readUInt16BE(12) !== IN_BLOB) {
    const { value, version } = decodeVersioned(stored);
    return { value, version };
  }
  const slice = { offset: stored.readUInt32BE(14), length: stored.readUInt32BE(18), name: stored.toString('utf8', 22) };
  return { version: decodeVersion(stored), slice };
}

/** Key of a blob-backed collection of a block's write sets. */
export function collectionRef(txNum: number, ns: string, coll: string): string {
  return `${txNum}\u0000${ns}\u0000${coll}`;
}

/** One org's write sets of one block as stored: blob-backed collections have an empty rwset. */
export interface StoredWriteSets {
  readonly txs: Map<number, ledger.rwset.TxPvtReadWriteSet>;
  /** Blob name by {@link collectionRef}. */
  readonly blobs: Map<string, string>;
}

export function encodeWriteSets(blockNum: bigint, stored: StoredWriteSets): Buffer {
  const record = encodePvtRecord({ blockNum, txs: stored.txs });
  if (stored.blobs.size === 0) return record;
  const parts: Buffer[] = [record, Buffer.alloc(4)];
  (parts[1] as Buffer).writeUInt32BE(stored.blobs.size);
  for (const [ref, name] of stored.blobs) {
    const [txNum, ns, coll] = ref.split('\u0000') as [string, string, string];
    const tx = Buffer.alloc(4);
    tx.writeUInt32BE(Number(txNum));
    parts.push(tx, sized(ns), sized(coll), sized(name));
  }
  return Buffer.concat(parts);
}

export function decodeWriteSets(payload: Buffer): StoredWriteSets {
  const { record, end } = decodePvtRecordHead(payload);
  const blobs = new Map<string, string>();
  if (end < payload.length) {
    let at = end + 4;
    const text = (): string => {
      const length = payload.readUInt32BE(at);
      const value = payload.toString('utf8', at + 4, at + 4 + length);
      at += 4 + length;
      return value;
    };
    for (let i = payload.readUInt32BE(end); i > 0; i--) {
      const txNum = payload.readUInt32BE(at);
      at += 4;
      const ns = text();
      const coll = text();
      blobs.set(collectionRef(txNum, ns, coll), text());
    }
  }
  return { txs: new Map(record.txs), blobs };
}
