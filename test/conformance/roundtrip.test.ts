/**
 * Conformance (docs/design/fabric-conformance.md a, b, c, i, l and "Other observations"): round trip, contract
 * errors, no read-your-writes, duplicate transaction ids, qscc, block events from block 0.
 */
import { EndorseError, GatewayError, type Contract, type Gateway } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import { blockHeaderHash } from '@healthledger/fabric-core/crypto';
import { CHAINCODE, CHANNEL, startNetwork, text, unique, until, type ConformanceNetwork } from './harness';

let net: ConformanceNetwork;
let gateway: Gateway;
let probe: Contract;
let qscc: Contract;

beforeAll(async () => {
  net = await startNetwork();
  gateway = net.gateway('Org1MSP');
  probe = gateway.getNetwork(CHANNEL).getContract(CHAINCODE);
  qscc = gateway.getNetwork(CHANNEL).getContract('qscc');
});

afterAll(async () => {
  await net?.stop();
});

function org1PeerAddress(): string {
  return net.peer('Org1MSP').address;
}

describe('evaluate / submit round trip', () => {
  it('evaluates a contract function and returns its bytes', async () => {
    expect(text(await probe.evaluateTransaction('echo', 'hello'))).toBe('hello');
    expect(text(await probe.evaluateTransaction('probe:echo', 'hi'))).toBe('hi');
    expect(await probe.evaluateTransaction('get', unique('missing'))).toHaveLength(0);
  });

  it('submits, commits VALID in a new block, and the value is readable afterwards', async () => {
    const key = unique('rt');
    const heightBefore = await net.height();
    const submitted = await probe.submitAsync('put', { arguments: [key, 'v1'] });
    const status = await submitted.getStatus();
    expect(status).toMatchObject({ code: peer.TxValidationCode.VALID, successful: true });
    expect(status.blockNumber).toBeGreaterThanOrEqual(heightBefore);
    expect(text(await probe.evaluateTransaction('get', key))).toBe('v1');
  });

  it('has no read-your-writes inside one transaction', async () => {
    const key = unique('ryw');
    await probe.submitTransaction('put', key, 'committed');
    const result = JSON.parse(text(await probe.submitTransaction('readYourWrite', key, 'new'))) as unknown;
    expect(result).toEqual({ before: 'committed', after: 'committed' });
    expect(text(await probe.evaluateTransaction('get', key))).toBe('new');
  });
});

describe('contract errors', () => {
  it('Evaluate: GatewayError 2 with the chaincode message and one detail from the gateway peer', async () => {
    const err = await probe.evaluateTransaction('fail', 'asset X does not exist').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    const gwErr = err as GatewayError;
    expect(gwErr.code).toBe(2);
    expect(gwErr.message).toBe('2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, asset X does not exist');
    expect(gwErr.details).toEqual([{ address: org1PeerAddress(), mspId: 'Org1MSP', message: 'chaincode response 500, asset X does not exist' }]);
  });

  it('Submit: EndorseError 10 "failed to endorse transaction" and no block', async () => {
    const height = await net.height();
    const err = await probe.submitTransaction('fail', 'boom').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EndorseError);
    expect((err as EndorseError).code).toBe(10);
    expect((err as EndorseError).message).toBe('10 ABORTED: failed to endorse transaction, see attached details for more info');
    expect((err as EndorseError).details.map((d) => d.message)).toEqual(['chaincode response 500, boom']);
    expect(await net.height()).toBe(height);
  });
});

describe('the same signed transaction twice (DUPLICATE_TXID)', () => {
  it('orders the replay into a new block marked 9 while getStatus reports the first occurrence', async () => {
    const key = unique('dup');
    const transaction = await probe.newProposal('put', { arguments: [key, 'once'] }).endorse();
    const first = await (await transaction.submit()).getStatus();
    expect(first.code).toBe(peer.TxValidationCode.VALID);
    const replay = await transaction.submit();
    const again = await replay.getStatus();
    expect(again).toMatchObject({ code: peer.TxValidationCode.VALID, blockNumber: first.blockNumber });
    // The replay sits in a later block with DUPLICATE_TXID.
    await until(async () => (await net.height()) > first.blockNumber + 1n);
    const height = await net.height();
    let found: number | undefined;
    for (let n = first.blockNumber + 1n; n < height && found === undefined; n++) {
      const block = await net.block(n);
      const txIds = (block.getData()?.getDataList_asU8() ?? []).map((e) => common.ChannelHeader.deserializeBinary(common.Payload.deserializeBinary(common.Envelope.deserializeBinary(e).getPayload_asU8()).getHeader()?.getChannelHeader_asU8() ?? new Uint8Array()).getTxId());
      const index = txIds.indexOf(transaction.getTransactionId());
      if (index >= 0) found = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER]?.[index];
    }
    expect(found).toBe(peer.TxValidationCode.DUPLICATE_TXID);
  });

  it('rejects evaluating an already committed proposal as a duplicate', async () => {
    const proposal = probe.newProposal('put', { arguments: [unique('dup2'), 'x'] });
    await (await proposal.endorse()).submit().then((s) => s.getStatus());
    const err = await proposal.evaluate().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).code).toBe(9);
    expect((err as GatewayError).message).toMatch(new RegExp(`^9 FAILED_PRECONDITION: evaluate call to endorser returned error: duplicate transaction found \\[${proposal.getTransactionId()}\\]\\. Creator \\[[0-9a-f]+\\]$`));
  });
});

describe('qscc', () => {
  it('GetChainInfo, GetBlockByNumber, GetBlockByHash and GetTransactionByID decode with the client protobufs', async () => {
    const submitted = await probe.submitAsync('put', { arguments: [unique('q'), 'v'] });
    const txId = submitted.getTransactionId();
    const { blockNumber } = await submitted.getStatus();
    const info = common.BlockchainInfo.deserializeBinary(await qscc.evaluateTransaction('GetChainInfo', CHANNEL));
    // Nothing else submits meanwhile: the last block is the one that committed the transaction.
    expect(BigInt(info.getHeight())).toBe(blockNumber + 1n);
    const last = common.Block.deserializeBinary(await qscc.evaluateTransaction('GetBlockByNumber', CHANNEL, String(info.getHeight() - 1)));
    const header = last.getHeader() as common.BlockHeader;
    expect(Buffer.from(info.getCurrentblockhash_asU8())).toEqual(blockHeaderHash(BigInt(header.getNumber()), header.getPreviousHash_asU8(), header.getDataHash_asU8()));
    expect(Buffer.from(info.getPreviousblockhash_asU8())).toEqual(Buffer.from(header.getPreviousHash_asU8()));
    const byHash = common.Block.deserializeBinary(await qscc.evaluateTransaction('GetBlockByHash', CHANNEL, info.getCurrentblockhash_asU8()));
    expect(byHash.getHeader()?.getNumber()).toBe(header.getNumber());
    const processed = peer.ProcessedTransaction.deserializeBinary(await qscc.evaluateTransaction('GetTransactionByID', CHANNEL, txId));
    expect(processed.getValidationcode()).toBe(peer.TxValidationCode.VALID);
    const byTx = common.Block.deserializeBinary(await qscc.evaluateTransaction('GetBlockByTxID', CHANNEL, txId));
    expect(Buffer.from(byTx.getData()?.getDataList_asU8().find((e) => Buffer.from(e).equals(Buffer.from(processed.getTransactionenvelope()?.serializeBinary() ?? []))) ?? [])).not.toHaveLength(0);
  });

  it('reports failures with Fabric\'s texts', async () => {
    const failure = async (...args: string[]): Promise<string> => {
      const err = (await qscc.evaluateTransaction(...(args as [string, ...string[]])).catch((e: unknown) => e)) as GatewayError;
      expect(err).toBeInstanceOf(GatewayError);
      expect(err.code).toBe(2);
      return err.message;
    };
    const prefix = '2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, ';
    expect(await failure('GetBlockByNumber', CHANNEL, '987654')).toBe(`${prefix}Failed to get block number 987654, error no such block number [987654] in index`);
    expect(await failure('GetBlockByNumber', CHANNEL, 'abc')).toBe(`${prefix}Failed to parse block number with error strconv.ParseUint: parsing "abc": invalid syntax`);
    expect(await failure('GetTransactionByID', CHANNEL, 'deadbeef')).toBe(`${prefix}Failed to get transaction with id deadbeef, error no such transaction ID [deadbeef] in index`);
    expect(await failure('GetChainInfo')).toBe(`${prefix}Incorrect number of arguments, 1`);
    expect(await failure('GetBlockByNumber', CHANNEL)).toBe(`${prefix}missing 3rd argument for GetBlockByNumber`);
    expect(await failure('NoSuchFn', CHANNEL, 'x')).toBe(`${prefix}access denied for [NoSuchFn][${CHANNEL}]: [Unmapped policy for qscc/NoSuchFn]`);
    expect(await failure('GetChainInfo', 'otherchannel')).toBe(`${prefix}Invalid chain ID, otherchannel`);
  });
});

describe('block events', () => {
  it('delivers every block from block 0 with a valid previous-hash chain and filled filters', async () => {
    await probe.submitTransaction('put', unique('be'), 'v');
    const height = await net.height();
    const events = await gateway.getNetwork(CHANNEL).getBlockEvents({ startBlock: 0n });
    const blocks: common.Block[] = [];
    try {
      for await (const block of events) {
        blocks.push(block);
        if (BigInt(blocks.length) === height) break;
      }
    } finally {
      events.close();
    }
    expect(blocks[0]?.getMetadata()?.getMetadataList_asU8().map((m) => Buffer.from(m).toString('hex'))).toEqual(['0a020a00', '', '00', '', '']);
    for (let i = 1; i < blocks.length; i++) {
      const prev = blocks[i - 1]?.getHeader() as common.BlockHeader;
      const header = blocks[i]?.getHeader() as common.BlockHeader;
      expect(header.getNumber()).toBe(i);
      expect(Buffer.from(header.getPreviousHash_asU8())).toEqual(blockHeaderHash(BigInt(prev.getNumber()), prev.getPreviousHash_asU8(), prev.getDataHash_asU8()));
      const metadata = blocks[i]?.getMetadata()?.getMetadataList_asU8() ?? [];
      expect(metadata[common.BlockMetadataIndex.TRANSACTIONS_FILTER]).toHaveLength(blocks[i]?.getData()?.getDataList().length ?? -1);
      expect(Buffer.from(metadata[common.BlockMetadataIndex.COMMIT_HASH] ?? []).subarray(0, 2).toString('hex')).toBe('0a20');
    }
  });

  it('filtered block events carry txid, type, code and the event without payload', async () => {
    const events = await gateway.getNetwork(CHANNEL).getFilteredBlockEvents();
    try {
      const key = unique('fe');
      const submitted = await probe.submitAsync('putWithEvent', { arguments: [key, 'payload', 'created'] });
      for await (const block of events) {
        const tx = block.getFilteredTransactionsList().find((t) => t.getTxid() === submitted.getTransactionId());
        if (!tx) continue;
        expect(tx.getType()).toBe(common.HeaderType.ENDORSER_TRANSACTION);
        expect(tx.getTxValidationCode()).toBe(peer.TxValidationCode.VALID);
        const event = tx.getTransactionActions()?.getChaincodeActionsList()[0]?.getChaincodeEvent();
        expect(event?.getEventName()).toBe('created');
        expect(event?.getChaincodeId()).toBe(CHAINCODE);
        expect(event?.getPayload_asU8()).toHaveLength(0);
        break;
      }
    } finally {
      events.close();
    }
  });

  it('answers 404 for a start block beyond the height', async () => {
    const height = await net.height();
    const events = await gateway.getNetwork(CHANNEL).getBlockEvents({ startBlock: height + 5n });
    const it = events[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toThrow('Unexpected status response: 404');
    events.close();
  });
});
