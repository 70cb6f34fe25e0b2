import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { common } from '@hyperledger/fabric-protos';
import { blockHeaderHash } from '@healthledger/fabric-core/crypto';
import { BlockStore } from './blockstore';
import { KvStore } from './kv';
import { RecordLog } from './record-log';
import { TestChain } from './testing/block-builder';
import { readBlockTransactions } from './transaction';

const sha = (hex: string): Buffer => createHash('sha256').update(Buffer.from(hex, 'hex')).digest();

describe('the header hash the block store chains with (DER, crypto module)', () => {
  const dataHash = Buffer.alloc(32, 0xab);
  const prev = Buffer.alloc(32, 0xcd);

  it('encodes block 0 with an empty previous hash as 02 01 00 / 04 00', () => {
    const der = `3027` + `020100` + `0400` + `0420${dataHash.toString('hex')}`;
    expect(blockHeaderHash(0n, new Uint8Array(0), dataHash)).toEqual(sha(der));
  });

  it('pads 128 to 02 02 00 80 (positive two’s complement)', () => {
    const der = `3048` + `02020080` + `0420${prev.toString('hex')}` + `0420${dataHash.toString('hex')}`;
    expect(blockHeaderHash(128n, prev, dataHash)).toEqual(sha(der));
  });

  it('uses minimal octets for 127 and 0x1234', () => {
    expect(blockHeaderHash(127n, prev, dataHash)).toEqual(
      sha(`3047` + `02017f` + `0420${prev.toString('hex')}` + `0420${dataHash.toString('hex')}`),
    );
    expect(blockHeaderHash(0x1234n, prev, dataHash)).toEqual(
      sha(`3048` + `02021234` + `0420${prev.toString('hex')}` + `0420${dataHash.toString('hex')}`),
    );
  });

  it('uses long-form lengths above 127 bytes', () => {
    const long = Buffer.alloc(200, 1);
    const der = `3081d0` + `020105` + `0400` + `0481c8${long.toString('hex')}`;
    expect(blockHeaderHash(5n, new Uint8Array(0), long)).toEqual(sha(der));
  });
});

describe('BlockStore', () => {
  it('links blocks by the DER header hash and finds them by it', async () => {
    const store = new BlockStore(await KvStore.open());
    const chain = new TestChain();
    const genesis = chain.genesis(new Uint8Array([0]));
    const first = chain.next([{ txId: 'a' }]).block;
    for (const block of [genesis, first]) {
      const hash = store.verifyNext(block);
      store.append(block, hash, readBlockTransactions(block), block.serializeBinary());
    }
    const header = first.getHeader()!;
    const der = `3047` + `020101` + `0420${Buffer.from(header.getPreviousHash_asU8()).toString('hex')}` + `0420${Buffer.from(header.getDataHash_asU8()).toString('hex')}`;
    expect(store.currentHash()).toEqual(sha(der));
    expect(store.getBlockByHash(sha(der))?.getHeader()?.getNumber()).toBe(1);
    expect(store.height).toBe(2n);
  });

  it('resolves height waiters only on notify, so readers see applied state', async () => {
    const store = new BlockStore(await KvStore.open());
    const genesis = new TestChain().genesis(new Uint8Array([0]));
    let woke = false;
    const waiting = store.waitForHeight(1n).then(() => (woke = true));
    store.append(genesis, store.verifyNext(genesis), readBlockTransactions(genesis), genesis.serializeBinary());
    await Promise.resolve();
    expect(woke).toBe(false);
    store.notify();
    await waiting;
    expect(woke).toBe(true);
  });
});

describe('runs of stored blocks (what Deliver streams)', () => {
  /**
   * A store of `count` blocks, in a block file (as a persistent ledger keeps them) or in memory;
   * with `foreignBefore`, a record that is no block is appended before that block.
   */
  async function storeOf(count: number, file: RecordLog | undefined, foreignBefore?: number): Promise<{ store: BlockStore; blocks: Uint8Array[] }> {
    const store = new BlockStore(await KvStore.open(), file);
    const chain = new TestChain();
    const blocks: Uint8Array[] = [];
    for (let n = 0; n < count; n++) {
      const block = n === 0 ? chain.genesis(new Uint8Array([0])) : chain.next([{ txId: `tx${n}` }, { txId: `tx${n}b` }]).block;
      const bytes = block.serializeBinary();
      if (file && n === foreignBefore) await file.append([Buffer.from('not a block')]);
      const stored = file ? (await file.append([bytes]))[0]! : bytes;
      store.append(block, store.verifyNext(block), readBlockTransactions(block), stored);
      blocks.push(bytes);
    }
    return { store, blocks };
  }

  const prefix = (length: number): Uint8Array => Buffer.from([0xee, length % 256]);

  it('answers the blocks of a block file as stored, or each behind a prefix written over its frame header', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blockstore-run-'));
    try {
      const file = await RecordLog.open(join(dir, 'blocks.dat'));
      const scanned = [];
      for await (const record of file.scan()) scanned.push(record);
      expect(scanned).toEqual([]); // a new file, ready for appends
      const { store, blocks } = await storeOf(6, file);
      expect(store.getBlockBytesRun(1n, 4n, 1 << 20).map((b) => Buffer.from(b).toString('hex'))).toEqual(blocks.slice(1, 5).map((b) => Buffer.from(b).toString('hex')));
      const wrapped = store.getBlockBytesRun(0n, 5n, 1 << 20, prefix);
      expect(wrapped.map((b) => b.toString('hex'))).toEqual(blocks.map((b) => Buffer.concat([prefix(b.length), b]).toString('hex')));
      // Views of one read: each wrapped block starts inside the record before it, not in a copy.
      expect(new Set(wrapped.map((b) => b.buffer)).size).toBe(1);
      expect(common.Block.deserializeBinary(wrapped[3]!.subarray(2)).getHeader()?.getNumber()).toBe(3);
      // About `maxBytes` per run, at least one block.
      expect(store.getBlockBytesRun(2n, 5n, 1)).toHaveLength(1);
      await file.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a run through the index block by block when the file holds a record that is no block between them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blockstore-run-'));
    try {
      const file = await RecordLog.open(join(dir, 'blocks.dat'));
      for await (const record of file.scan()) void record;
      const { store, blocks: all } = await storeOf(4, file, 2);
      const hex = (list: readonly Uint8Array[]): string[] => list.map((b) => Buffer.from(b).toString('hex'));
      expect(hex(store.getBlockBytesRun(0n, 3n, 1 << 20))).toEqual(hex(all));
      expect(hex(store.getBlockBytesRun(0n, 3n, 1 << 20, prefix))).toEqual(hex(all.map((b) => Buffer.concat([prefix(b.length), b]))));
      await file.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('copies a block kept in memory behind the prefix', async () => {
    const { store, blocks } = await storeOf(3, undefined);
    const wrapped = store.getBlockBytesRun(0n, 2n, 1 << 20, prefix);
    expect(wrapped.map((b) => b.toString('hex'))).toEqual(blocks.map((b) => Buffer.concat([prefix(b.length), b]).toString('hex')));
  });
});
