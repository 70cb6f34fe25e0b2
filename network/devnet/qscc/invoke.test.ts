import { createHash, generateKeyPairSync } from 'node:crypto';
import { common, peer } from '@hyperledger/fabric-protos';
import { Ledger } from '../ledger';
import { createSigningIdentity } from '@healthledger/fabric-core/pki';
import { signedProposal } from '../test/fixtures/probe-chaincode/harness';
import { invoke, type QsccSupport } from './invoke';
import { headerOnlyEnvelope } from '../ledger/testing/block-builder';

// Starts processes, servers or generates certificates: slow on a busy machine.
jest.setTimeout(60_000);

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const reader = createSigningIdentity('Org1MSP', '-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n', privateKey);

async function append(ledger: Ledger, env: Uint8Array, code: number | undefined): Promise<common.Block> {
  const number = ledger.blocks.height;
  const header = new common.BlockHeader();
  header.setNumber(Number(number));
  header.setPreviousHash(number === 0n ? new Uint8Array() : ledger.blocks.currentHash());
  header.setDataHash(createHash('sha256').update(env).digest());
  const data = new common.BlockData();
  data.setDataList([env]);
  const metadata = new common.BlockMetadata();
  metadata.setMetadataList([new Uint8Array(), new Uint8Array(), code === undefined ? new Uint8Array() : Uint8Array.from([code]), new Uint8Array(), new Uint8Array()]);
  const block = new common.Block();
  block.setHeader(header);
  block.setData(data);
  block.setMetadata(metadata);
  await ledger.commitBlock(block);
  return block;
}

describe('qscc', () => {
  let ledger: Ledger;
  let support: QsccSupport;
  const allowed = { value: true };

  beforeAll(async () => {
    ledger = await Ledger.open({ orgs: [] });
    await append(ledger, headerOnlyEnvelope(common.HeaderType.CONFIG, 'genesis'), undefined);
    await append(ledger, headerOnlyEnvelope(common.HeaderType.ENDORSER_TRANSACTION, 'tx1'), peer.TxValidationCode.MVCC_READ_CONFLICT);
    support = {
      config: {
        channelId: 'ch',
        aclPolicy: () => '/Channel/Application/Readers',
        evaluatePolicy: () => (allowed.value ? { ok: true } : { ok: false, message: 'not a reader' }),
      },
      blocks: ledger.blocks,
    } as unknown as QsccSupport;
  });

  afterAll(async () => {
    await ledger.close();
  });

  function call(...args: Array<string | Buffer>): peer.Response {
    const proposal = signedProposal(reader, { channelId: 'ch', chaincode: 'qscc', args });
    return invoke(support, args.map((a) => (typeof a === 'string' ? Buffer.from(a) : a)), proposal);
  }

  it('GetChainInfo, GetBlockByNumber and GetTransactionByID answer from the block store', () => {
    const info = common.BlockchainInfo.deserializeBinary(call('GetChainInfo', 'ch').getPayload_asU8());
    expect(info.getHeight()).toBe(2);
    expect(Buffer.from(info.getCurrentblockhash_asU8())).toEqual(ledger.blocks.currentHash());
    const block = common.Block.deserializeBinary(call('GetBlockByNumber', 'ch', '1').getPayload_asU8());
    expect(block.getHeader()?.getNumber()).toBe(1);
    const processed = peer.ProcessedTransaction.deserializeBinary(call('GetTransactionByID', 'ch', 'tx1').getPayload_asU8());
    expect(processed.getValidationcode()).toBe(peer.TxValidationCode.MVCC_READ_CONFLICT);
    expect(common.Block.deserializeBinary(call('GetBlockByTxID', 'ch', 'tx1').getPayload_asU8()).getHeader()?.getNumber()).toBe(1);
    const byHash = common.Block.deserializeBinary(call('GetBlockByHash', 'ch', ledger.blocks.currentHash()).getPayload_asU8());
    expect(byHash.getHeader()?.getNumber()).toBe(1);
  });

  it.each([
    [['GetChainInfo'], 'Incorrect number of arguments, 1'],
    [['GetBlockByNumber', 'ch'], 'missing 3rd argument for GetBlockByNumber'],
    [['NoSuchFn', 'ch'], 'missing 3rd argument for NoSuchFn'],
    [['GetChainInfo', 'other'], 'Invalid chain ID, other'],
    [['GetChainInfo', ''], 'Invalid chain ID, '],
    [['NoSuchFn', 'ch', 'x'], 'access denied for [NoSuchFn][ch]: [Unmapped policy for qscc/NoSuchFn]'],
    [['GetBlockByNumber', 'ch', '87'], 'Failed to get block number 87, error no such block number [87] in index'],
    [['GetBlockByNumber', 'ch', 'abc'], 'Failed to parse block number with error strconv.ParseUint: parsing "abc": invalid syntax'],
    [['GetTransactionByID', 'ch', 'deadbeef'], 'Failed to get transaction with id deadbeef, error no such transaction ID [deadbeef] in index'],
    [['GetBlockByTxID', 'ch', 'nope'], 'Failed to get block for txID nope, error no such transaction ID [nope] in index'],
    [['GetBlockByHash', 'ch', 'zz'], 'Failed to get block hash zz, error no such block hash [7a7a] in index'],
  ])('%j fails with status 500 "%s"', (args, message) => {
    const response = call(...args);
    expect(response.getStatus()).toBe(500);
    expect(response.getMessage()).toBe(message);
  });

  it('applies the Readers ACL after the argument checks', () => {
    allowed.value = false;
    try {
      expect(call('GetChainInfo', 'ch').getMessage()).toMatch(/^access denied for \[GetChainInfo\]\[ch\]: \[Failed evaluating policy on signed data during check policy on channel \[ch\] with policy \[\/Channel\/Application\/Readers\]: \[not a reader\]\]$/);
    } finally {
      allowed.value = true;
    }
  });

  it('serves cscc GetConfigBlock as block 0', () => {
    const proposal = signedProposal(reader, { channelId: 'ch', chaincode: 'cscc', args: ['GetConfigBlock', 'ch'] });
    const response = invoke(support, [Buffer.from('GetConfigBlock'), Buffer.from('ch')], proposal, 'cscc');
    expect(common.Block.deserializeBinary(response.getPayload_asU8()).getHeader()?.getNumber()).toBe(0);
  });
});
