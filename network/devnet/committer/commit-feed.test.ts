import { common, peer } from '@hyperledger/fabric-protos';
import { blockHeaderHash } from '@healthledger/fabric-core/crypto';
import { Ledger } from '../ledger';
import { CommitFeed, WaitAbortedError } from './commit-feed';
import { headerOnlyEnvelope } from '../ledger/testing/block-builder';

// Starts processes, servers or generates certificates: slow on a busy machine.
jest.setTimeout(60_000);

/** Appends a block of (txid, code) envelopes; codes are never VALID so no rwset is needed. */
async function commit(ledger: Ledger, txs: Array<[string, number]>): Promise<bigint> {
  const number = ledger.blocks.height;
  const header = new common.BlockHeader();
  header.setNumber(Number(number));
  header.setPreviousHash(number === 0n ? new Uint8Array() : ledger.blocks.currentHash());
  const data = new common.BlockData();
  data.setDataList(number === 0n ? [headerOnlyEnvelope(common.HeaderType.CONFIG, 'genesis')] : txs.map(([id]) => headerOnlyEnvelope(common.HeaderType.ENDORSER_TRANSACTION, id)));
  const { createHash } = await import('node:crypto');
  const hash = createHash('sha256');
  for (const d of data.getDataList_asU8()) hash.update(d);
  header.setDataHash(hash.digest());
  const metadata = new common.BlockMetadata();
  metadata.setMetadataList([new Uint8Array(), new Uint8Array(), number === 0n ? new Uint8Array() : Uint8Array.from(txs.map(([, code]) => code)), new Uint8Array(), new Uint8Array()]);
  const block = new common.Block();
  block.setHeader(header);
  block.setData(data);
  block.setMetadata(metadata);
  await ledger.commitBlock(block);
  expect(ledger.blocks.currentHash()).toEqual(blockHeaderHash(number, header.getPreviousHash_asU8(), header.getDataHash_asU8()));
  return number;
}

describe('CommitFeed', () => {
  let ledger: Ledger;
  let feed: CommitFeed;

  beforeEach(async () => {
    ledger = await Ledger.open({ orgs: [] });
    await commit(ledger, []);
    feed = new CommitFeed(ledger.blocks);
  });

  afterEach(async () => {
    await ledger.close();
  });

  const BAD = peer.TxValidationCode.ENDORSEMENT_POLICY_FAILURE;

  it('answers at once for a transaction already in the ledger', async () => {
    const n = await commit(ledger, [['t1', BAD]]);
    await expect(feed.waitForTx('t1')).resolves.toEqual({ code: BAD, blockNum: n });
  });

  it('waits for a transaction, then reports it when its block is announced', async () => {
    const waiting = feed.waitForTx('t2');
    const n = await commit(ledger, [['t2', BAD]]);
    feed.announce(n, [{ txId: 't2', code: BAD }]);
    await expect(waiting).resolves.toEqual({ code: BAD, blockNum: n });
  });

  it('reports the first occurrence of a replayed txid', async () => {
    const first = await commit(ledger, [['dup', BAD]]);
    const waiting = feed.waitForTx('dup');
    await expect(waiting).resolves.toEqual({ code: BAD, blockNum: first });
    const second = await commit(ledger, [['dup', peer.TxValidationCode.DUPLICATE_TXID]]);
    expect(second).toBe(first + 1n);
    await expect(feed.waitForTx('dup')).resolves.toEqual({ code: BAD, blockNum: first });
  });

  it('rejects a wait when its signal aborts', async () => {
    const abort = new AbortController();
    const waiting = feed.waitForTx('never', abort.signal);
    abort.abort();
    await expect(waiting).rejects.toBeInstanceOf(WaitAbortedError);
    await expect(feed.waitForBlock(99n, 'deliver', AbortSignal.abort())).rejects.toBeInstanceOf(WaitAbortedError);
  });

  it('releases block waiters in order: status waiters, then events, then deliver', async () => {
    const order: string[] = [];
    const next = ledger.blocks.height;
    const deliver = feed.waitForBlock(next, 'deliver').then(() => order.push('deliver'));
    const events = feed.waitForBlock(next, 'events').then(() => order.push('events'));
    const status = feed.waitForTx('t3').then(() => order.push('status'));
    await expect(feed.waitForBlock(0n, 'events')).resolves.toBeUndefined();
    const n = await commit(ledger, [['t3', BAD]]);
    feed.announce(n, [{ txId: 't3', code: BAD }]);
    await Promise.all([deliver, events, status]);
    expect(order).toEqual(['status', 'events', 'deliver']);
  });
});
