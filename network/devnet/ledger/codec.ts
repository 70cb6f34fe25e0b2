import type { Version } from './version';

/*
 * Binary layouts of the ledger's key-value records (network/devnet/ledger/README.md, "Key-value
 * store"). Big-endian numbers, so keys that embed them sort numerically.
 */

const SEP = Buffer.from([0]);

/** A table's key: the table's tag, then the parts joined by NUL (namespace and collection names hold no NUL). */
export function tableKey(tag: string, ...parts: ReadonlyArray<string | Buffer>): Buffer {
  // Text-only keys (state, history prefixes, txids: every key of a commit) in one encoding and
  // one allocation. Same bytes: tags are ASCII, and NUL encodes as one zero byte in UTF-8.
  if (parts.every((part) => typeof part === 'string')) return Buffer.from(tag + parts.join('\0'), 'utf8');
  const buffers: Buffer[] = [Buffer.from(tag, 'latin1')];
  parts.forEach((part, i) => {
    if (i > 0) buffers.push(SEP);
    buffers.push(typeof part === 'string' ? Buffer.from(part, 'utf8') : part);
  });
  return Buffer.concat(buffers);
}

export function u64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(n);
  return b;
}

/** A length-prefixed part: keeps a key that may contain NUL from running into what follows it. */
export function sized(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(bytes.length);
  return Buffer.concat([head, bytes]);
}

export function encodeVersion(v: Version): Buffer {
  const b = Buffer.alloc(12);
  b.writeBigUInt64BE(v.blockNum, 0);
  b.writeUInt32BE(v.txNum, 8);
  return b;
}

export function decodeVersion(b: Buffer, at = 0): Version {
  return { blockNum: b.readBigUInt64BE(at), txNum: b.readUInt32BE(at + 8) };
}

/** A versioned value with optional metadata: version ‖ u16 n ‖ n × (u16 len ‖ name ‖ u32 len ‖ value) ‖ value. */
export interface Versioned {
  readonly value: Buffer;
  readonly version: Version;
  readonly metadata?: ReadonlyMap<string, Buffer>;
}

export function encodeVersioned(entry: Versioned): Buffer {
  const parts: Buffer[] = [encodeVersion(entry.version)];
  const count = Buffer.alloc(2);
  count.writeUInt16BE(entry.metadata?.size ?? 0);
  parts.push(count);
  for (const [name, value] of entry.metadata ?? []) {
    const nameBytes = Buffer.from(name, 'utf8');
    const head = Buffer.alloc(2);
    head.writeUInt16BE(nameBytes.length);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(value.length);
    parts.push(head, nameBytes, len, value);
  }
  parts.push(entry.value);
  return Buffer.concat(parts);
}

export function decodeVersioned(b: Buffer): Versioned {
  const version = decodeVersion(b);
  const count = b.readUInt16BE(12);
  let at = 14;
  let metadata: Map<string, Buffer> | undefined;
  for (let i = 0; i < count; i++) {
    const nameLength = b.readUInt16BE(at);
    const name = b.toString('utf8', at + 2, at + 2 + nameLength);
    at += 2 + nameLength;
    const length = b.readUInt32BE(at);
    (metadata ??= new Map()).set(name, b.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return metadata === undefined ? { value: b.subarray(at), version } : { value: b.subarray(at), version, metadata };
}
