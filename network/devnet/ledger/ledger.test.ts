import { common, ledger as ledgerProtos } from '@hyperledger/fabric-protos';
import { blockHeaderHash } from '@healthledger/fabric-core/crypto';
import { Ledger } from './ledger';
import { LedgerClosedError, LedgerError } from './errors';
import { TestChain } from './testing/block-builder';
import { readBlockTransactions, transactionsFilter } from './transaction';
import { collect } from './testing/collect';

const ORGS = ['Hospital1MSP', 'InsurerMSP'];
const CC = 'healthledger';
const text = (b: Buffer | undefined): string | undefined => b?.toString('utf8');

async function openWithGenesis(): Promise<{ ledger: Ledger; chain: TestChain }> {
  const ledger = await Ledger.open({ orgs: ORGS });
  const chain = new TestChain();
  await ledger.commitBlock(chain.genesis());
  return { ledger, chain };
}

describe('Ledger (in memory): public state, metadata, history, indexes', () => {
  it('commits the CONFIG genesis block, filling its empty TRANSACTIONS_FILTER as a joining peer does', async () => {
    const { ledger } = await openWithGenesis();
    expect(ledger.blocks.height).toBe(1n);
    const stored = ledger.blocks.getBlock(0n);
    expect([...transactionsFilter(stored!)]).toEqual([0]);
    const header = stored!.getHeader()!;
    expect(ledger.blocks.currentHash()).toEqual(blockHeaderHash(0n, new Uint8Array(0), header.getDataHash_asU8()));
    expect(ledger.blocks.previousHash()).toEqual(Buffer.alloc(0));
  });

  it('applies writes and reads them back with versions {blockNum, txNum}', async () => {
    const { ledger, chain } = await openWithGenesis();
    const { block } = chain.next([
      { txId: 'tx1', namespaces: [{ namespace: CC, writes: [{ key: 'patient~1', value: 'p1' }, { key: 'claim~9', value: 'c9' }] }] },
      { txId: 'tx2', namespaces: [{ namespace: CC, writes: [{ key: 'patient~2', value: 'p2' }] }, { namespace: 'other', writes: [{ key: 'patient~1', value: 'o' }] }] },
    ]);
    await ledger.commitBlock(block);
    expect(ledger.state.get(CC, 'patient~1')).toEqual({ value: Buffer.from('p1'), version: { blockNum: 1n, txNum: 0 }, metadata: new Map() });
    expect(ledger.state.get(CC, 'patient~2')?.version).toEqual({ blockNum: 1n, txNum: 1 });
    expect(text(ledger.state.get('other', 'patient~1')?.value)).toBe('o');
    expect(ledger.state.get(CC, 'nope')).toBeUndefined();
    expect((await collect(ledger.state.range(CC, 'patient~', 'patient~\u{10FFFF}'))).map((kv) => kv.key)).toEqual(['patient~1', 'patient~2']);
    expect((await collect(ledger.state.range(CC, '', ''))).map((kv) => kv.key)).toEqual(['claim~9', 'patient~1', 'patient~2']);
  });

  it('orders range results by UTF-8 bytes, not UTF-16', async () => {
    const { ledger, chain } = await openWithGenesis();
    const keys = ['k\u{1F600}', 'k\uFFFD', 'k\uE000', 'ka'];
    await ledger.commitBlock(chain.next([{ txId: 't', namespaces: [{ namespace: CC, writes: keys.map((key) => ({ key, value: 'v' })) }] }]).block);
    expect((await collect(ledger.state.range(CC, 'k', ''))).map((kv) => kv.key)).toEqual(['ka', 'k\uE000', 'k\uFFFD', 'k\u{1F600}']);
    expect((await collect(ledger.state.range(CC, 'k\uE000', 'k\u{1F600}'))).map((kv) => kv.key)).toEqual(['k\uE000', 'k\uFFFD']);
  });

  it('follows Fabric metadata rules: kept on upsert, metadata-only write, removal, delete, missing key', async () => {
    const { ledger, chain } = await openWithGenesis();
    const ns = (n: object): { namespace: string } => ({ namespace: CC, ...n });
    await ledger.commitBlock(
      chain.next([
        { txId: 'a', namespaces: [ns({ writes: [{ key: 'k', value: 'v1' }], metadataWrites: [{ key: 'k', entries: { VALIDATION_PARAMETER: 'p1' } }] })] },
        { txId: 'b', namespaces: [ns({ metadataWrites: [{ key: 'ghost', entries: { VALIDATION_PARAMETER: 'x' } }] })] },
      ]).block,
    );
    expect(ledger.state.get(CC, 'k')?.metadata).toEqual(new Map([['VALIDATION_PARAMETER', Buffer.from('p1')]]));
    expect(ledger.state.get(CC, 'ghost')).toBeUndefined(); // metadata write to a missing key: no-op

    await ledger.commitBlock(chain.next([{ txId: 'c', namespaces: [ns({ writes: [{ key: 'k', value: 'v2' }] })] }]).block);
    expect(ledger.state.get(CC, 'k')).toMatchObject({ value: Buffer.from('v2'), version: { blockNum: 2n, txNum: 0 } });
    expect(ledger.state.get(CC, 'k')?.metadata.get('VALIDATION_PARAMETER')).toEqual(Buffer.from('p1'));

    await ledger.commitBlock(chain.next([{ txId: 'd', namespaces: [ns({ metadataWrites: [{ key: 'k', entries: { VALIDATION_PARAMETER: 'p2' } }] })] }]).block);
    expect(ledger.state.get(CC, 'k')).toMatchObject({ value: Buffer.from('v2'), version: { blockNum: 3n, txNum: 0 } });
    expect(ledger.state.get(CC, 'k')?.metadata.get('VALIDATION_PARAMETER')).toEqual(Buffer.from('p2'));

    await ledger.commitBlock(chain.next([{ txId: 'e', namespaces: [ns({ metadataWrites: [{ key: 'k', entries: {} }] })] }]).block);
    expect(ledger.state.get(CC, 'k')?.metadata.size).toBe(0);

    await ledger.commitBlock(
      chain.next([
        { txId: 'f', namespaces: [ns({ metadataWrites: [{ key: 'k', entries: { VALIDATION_PARAMETER: 'p3' } }] })] },
        { txId: 'g', namespaces: [ns({ writes: [{ key: 'k' }] })] },
        { txId: 'h', namespaces: [ns({ writes: [{ key: 'k', value: 'v3' }] })] },
      ]).block,
    );
    // Delete removed the metadata with the key: the re-created key has none.
    expect(ledger.state.get(CC, 'k')).toMatchObject({ value: Buffer.from('v3'), version: { blockNum: 5n, txNum: 2 } });
    expect(ledger.state.get(CC, 'k')?.metadata.size).toBe(0);
  });

  it('a value and a metadata write of one key in one transaction leave the new metadata, whatever the key had', async () => {
    const { ledger, chain } = await openWithGenesis();
    const ns = (n: object): { namespace: string } => ({ namespace: CC, ...n });
    const both = (txId: string, value: string, entries: Record<string, string>) => ({ txId, namespaces: [ns({ writes: [{ key: 'k', value }], metadataWrites: [{ key: 'k', entries }] })] });
    await ledger.commitBlock(chain.next([both('a', 'v1', { VALIDATION_PARAMETER: 'p1', OTHER: 'o1' })]).block);
    await ledger.commitBlock(chain.next([both('b', 'v2', { VALIDATION_PARAMETER: 'p2' })]).block);
    expect(ledger.state.get(CC, 'k')).toEqual({ value: Buffer.from('v2'), version: { blockNum: 2n, txNum: 0 }, metadata: new Map([['VALIDATION_PARAMETER', Buffer.from('p2')]]) });
    await ledger.commitBlock(chain.next([both('c', 'v3', {})]).block);
    expect(ledger.state.get(CC, 'k')).toEqual({ value: Buffer.from('v3'), version: { blockNum: 3n, txNum: 0 }, metadata: new Map() });
  });

  it('does not let readers mutate committed metadata', async () => {
    const { ledger, chain } = await openWithGenesis();
    await ledger.commitBlock(chain.next([{ txId: 'a', namespaces: [{ namespace: CC, writes: [{ key: 'k', value: 'v' }], metadataWrites: [{ key: 'k', entries: { X: '1' } }] }] }]).block);
    ledger.state.get(CC, 'k')?.metadata.clear();
    expect(ledger.state.get(CC, 'k')?.metadata.size).toBe(1);
  });

  it('keeps history newest first, deletes included, with channel-header timestamps', async () => {
    const { ledger, chain } = await openWithGenesis();
    const w = (txId: string, value: string | undefined, seconds: number) => ({
      txId,
      timestamp: { seconds, nanos: 5 },
      namespaces: [{ namespace: CC, writes: [{ key: 'k', value }] }],
    });
    await ledger.commitBlock(chain.next([w('t1', 'v1', 100)]).block);
    await ledger.commitBlock(chain.next([w('t2', 'v2', 200), w('t3', undefined, 300)]).block);
    await ledger.commitBlock(chain.next([w('t4', 'v3', 400)]).block);
    const history = await ledger.history.get(CC, 'k');
    expect(history.map((h) => [h.txId, text(h.value), h.isDelete])).toEqual([
      ['t4', 'v3', false],
      ['t3', '', true],
      ['t2', 'v2', false],
      ['t1', 'v1', false],
    ]);
    expect(history[0]?.timestamp).toEqual({ seconds: 400n, nanos: 5 });
    expect(history[1]?.version).toEqual({ blockNum: 2n, txNum: 1 });
    expect(await ledger.history.get(CC, 'never')).toEqual([]);
    expect(await ledger.history.get('other', 'k')).toEqual([]);
  });

  it('applies nothing from invalid transactions but indexes their txids with their codes', async () => {
    const { ledger, chain } = await openWithGenesis();
    await ledger.commitBlock(
      chain.next([
        { txId: 'bad', code: 11, namespaces: [{ namespace: CC, writes: [{ key: 'k', value: 'invalid' }] }] },
        { txId: 'good', namespaces: [{ namespace: CC, writes: [{ key: 'j', value: 'valid' }] }] },
      ]).block,
    );
    expect(ledger.state.get(CC, 'k')).toBeUndefined();
    expect(await ledger.history.get(CC, 'k')).toEqual([]);
    expect(text(ledger.state.get(CC, 'j')?.value)).toBe('valid');
    expect(ledger.blocks.txLocation('bad')).toEqual({ blockNum: 1n, txNum: 0, code: 11 });
    // A later valid use of the same txid is a duplicate: the first occurrence stays indexed.
    await ledger.commitBlock(chain.next([{ txId: 'x' }, { txId: 'bad', code: 9 }, { txId: 'good', code: 9 }]).block);
    expect(ledger.blocks.txLocation('bad')).toEqual({ blockNum: 1n, txNum: 0, code: 11 });
    expect(ledger.blocks.txLocation('good')).toEqual({ blockNum: 1n, txNum: 1, code: 0 });
    expect(ledger.blocks.txLocation('x')).toEqual({ blockNum: 2n, txNum: 0, code: 0 });
    expect(ledger.blocks.getBlockByTxId('x')?.getHeader()?.getNumber()).toBe(2);
    expect(ledger.blocks.txLocation('missing')).toBeUndefined();
  });

  it('indexes blocks by number and by header hash, and reports chain info', async () => {
    const { ledger, chain } = await openWithGenesis();
    const { block } = chain.next([{ txId: 'a' }]);
    const bytes = block.serializeBinary();
    await ledger.commitBlock(block);
    expect(Buffer.from(ledger.blocks.getBlockBytes(1n)!)).toEqual(Buffer.from(bytes));
    const hash = ledger.blocks.currentHash();
    expect(ledger.blocks.getBlockByHash(hash)?.getHeader()?.getNumber()).toBe(1);
    expect(ledger.blocks.previousHash()).toEqual(Buffer.from(block.getHeader()!.getPreviousHash_asU8()));
    expect(ledger.blocks.getBlock(2n)).toBeUndefined();
    expect(ledger.blocks.getBlockByHash(Buffer.alloc(32))).toBeUndefined();
    const info = ledger.blocks.blockchainInfo();
    expect(info.getHeight()).toBe(2);
    expect(Buffer.from(info.getCurrentblockhash_asU8())).toEqual(hash);
  });

  it('rejects a block that does not extend the chain, and stays usable', async () => {
    const { ledger, chain } = await openWithGenesis();
    const good = chain.next([{ txId: 'a' }]).block;
    const skipped = new TestChain('healthchannel', { height: 2n, currentHash: Buffer.alloc(32) }).next([{ txId: 'b' }]).block;
    await expect(ledger.commitBlock(skipped)).rejects.toThrow('block 2: expected block 1');
    const forked = new TestChain('healthchannel', { height: 1n, currentHash: Buffer.alloc(32, 7) }).next([{ txId: 'c' }]).block;
    await expect(ledger.commitBlock(forked)).rejects.toThrow('block 1: previous_hash does not match the header hash of block 0');
    const tampered = common.Block.deserializeBinary(good.serializeBinary());
    tampered.getData()!.setDataList([Buffer.from('other envelope')]);
    await expect(ledger.commitBlock(tampered)).rejects.toThrow('data_hash does not match');
    await ledger.commitBlock(good);
    expect(ledger.blocks.height).toBe(2n);
  });

  it('rejects a filter that does not cover the block and a VALID tx without a readable rwset', async () => {
    const { ledger, chain } = await openWithGenesis();
    const { block } = chain.next([{ txId: 'a' }, { txId: 'b' }]);
    const metadata = block.getMetadata()!;
    metadata.setMetadataList([new Uint8Array(0), new Uint8Array(0), new Uint8Array([0]), new Uint8Array(0), new Uint8Array(0)]);
    await expect(ledger.commitBlock(block)).rejects.toThrow(LedgerError);
    await expect(ledger.commitBlock(block)).rejects.toThrow('TRANSACTIONS_FILTER has 1 codes for 2 transactions');
    const garbled = new TestChain('healthchannel', { height: 1n, currentHash: ledger.blocks.currentHash() }).raw([Buffer.from('not an envelope')], new Uint8Array([0]));
    await expect(ledger.commitBlock(garbled)).rejects.toThrow('block 1, tx 0: VALID transaction does not decode');
    const flagged = new TestChain('healthchannel', { height: 1n, currentHash: ledger.blocks.currentHash() }).raw([Buffer.from('not an envelope')], new Uint8Array([1]));
    await ledger.commitBlock(flagged); // NIL_ENVELOPE/BAD_PAYLOAD: stored, not applied, no txid
    expect(ledger.blocks.height).toBe(2n);
  });

  it('wakes height waiters after state is readable, fires listeners in order, supports abort', async () => {
    const { ledger, chain } = await openWithGenesis();
    const seen: Array<[bigint, string | undefined]> = [];
    const off = ledger.onCommit((n) => seen.push([n, text(ledger.state.get(CC, `k${n}`)?.value)]));
    const waited = ledger.blocks.waitForHeight(3n).then(() => text(ledger.state.get(CC, 'k2')?.value));
    const controller = new AbortController();
    const aborted = ledger.blocks.waitForHeight(10n, controller.signal);
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    await ledger.commitBlock(chain.next([{ txId: 'a', namespaces: [{ namespace: CC, writes: [{ key: 'k1', value: 'one' }] }] }]).block);
    await ledger.commitBlock(chain.next([{ txId: 'b', namespaces: [{ namespace: CC, writes: [{ key: 'k2', value: 'two' }] }] }]).block);
    expect(await waited).toBe('two');
    off();
    await ledger.commitBlock(chain.next([{ txId: 'c' }]).block);
    expect(seen).toEqual([[1n, 'one'], [2n, 'two']]);
    await expect(ledger.blocks.waitForHeight(1n)).resolves.toBeUndefined();
  });

  it('serialises concurrent commits and rejects commits after close', async () => {
    const { ledger, chain } = await openWithGenesis();
    const blocks = [1, 2, 3].map((i) => chain.next([{ txId: `t${i}`, namespaces: [{ namespace: CC, writes: [{ key: 'k', value: `${i}` }] }] }]).block);
    await Promise.all(blocks.map((b) => ledger.commitBlock(b)));
    expect(text(ledger.state.get(CC, 'k')?.value)).toBe('3');
    await ledger.close();
    await expect(ledger.commitBlock(chain.next([]).block)).rejects.toThrow(LedgerClosedError);
  });

  it('throws for an unknown org', async () => {
    const { ledger } = await openWithGenesis();
    expect(() => ledger.privateStore('NopeMSP')).toThrow('no private store for NopeMSP');
  });

  it('commits 3,000 simple transactions in blocks of 100', async () => {
    const { ledger, chain } = await openWithGenesis();
    const blocks = Array.from({ length: 30 }, (_, b) =>
      chain.next(Array.from({ length: 100 }, (_unused, t) => ({ txId: `b${b}t${t}`, namespaces: [{ namespace: CC, writes: [{ key: `asset~${b}~${t}`, value: `{"n":${t}}` }] }] }))).block,
    );
    for (const block of blocks) await ledger.commitBlock(block);
    expect(ledger.state.get(CC, 'asset~29~99')).toBeDefined();
    expect(ledger.blocks.height).toBe(31n);
  });

  it('takes the write sets the committer already decoded rather than decoding them a second time', async () => {
    const { ledger, chain } = await openWithGenesis();
    const { block } = chain.next([{ txId: 'tx1', namespaces: [{ namespace: CC, writes: [{ key: 'k', value: 'v' }] }] }]);
    const decoded = readBlockTransactions(block)[0]?.namespaces;
    const decode = jest.spyOn(ledgerProtos.rwset.TxReadWriteSet, 'deserializeBinary');
    try {
      await ledger.commitBlock(block, new Map(), { decodedWrites: new Map([[0, decoded ?? []]]) });
      expect(decode).not.toHaveBeenCalled();
      expect(text(ledger.state.get(CC, 'k')?.value)).toBe('v');
      await ledger.commitBlock(chain.next([{ txId: 'tx2', namespaces: [{ namespace: CC, writes: [{ key: 'k', value: 'w' }] }] }]).block);
      expect(decode).toHaveBeenCalledTimes(1); // without them, the ledger decodes the block itself
      expect(text(ledger.state.get(CC, 'k')?.value)).toBe('w');
    } finally {
      decode.mockRestore();
    }
  });
});
