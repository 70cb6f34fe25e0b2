import { common, msp, peer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import type { RecordedCall } from '../testing/scripted-ledger';
import { testApp, type TestApp } from '../testing/test-app';
import { blockHeaderHash } from '@healthledger/fabric-core/crypto';
import { blockDataHash } from '../audit/integrity';
import { ledgerRoutes } from './ledger';

function envelope(txId: string, fn: string): Uint8Array {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
  channelHeader.setTxId(txId);
  channelHeader.setChannelId('healthchannel');
  channelHeader.setTimestamp(Timestamp.fromDate(new Date('2026-01-01T00:00:00Z')));
  const creator = new msp.SerializedIdentity();
  creator.setMspid('Hospital1MSP');
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(creator.serializeBinary());
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());

  const input = new peer.ChaincodeInput();
  input.setArgsList([Buffer.from(fn), Buffer.from('{}')]);
  const ccId = new peer.ChaincodeID();
  ccId.setName('healthledger');
  const spec = new peer.ChaincodeSpec();
  spec.setChaincodeId(ccId);
  spec.setInput(input);
  const invocation = new peer.ChaincodeInvocationSpec();
  invocation.setChaincodeSpec(spec);
  const proposalPayload = new peer.ChaincodeProposalPayload();
  proposalPayload.setInput(invocation.serializeBinary());
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setChaincodeProposalPayload(proposalPayload.serializeBinary());
  const action = new peer.TransactionAction();
  action.setPayload(actionPayload.serializeBinary());
  const tx = new peer.Transaction();
  tx.setActionsList([action]);

  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(tx.serializeBinary());
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  return env.serializeBinary();
}

function chain(count: number): common.Block[] {
  const blocks: common.Block[] = [];
  let previous: Uint8Array = new Uint8Array();
  for (let n = 0; n < count; n++) {
    const data = [envelope(`${n}`.padStart(64, 'a'), 'records:createRecord')];
    const header = new common.BlockHeader();
    header.setNumber(n);
    header.setPreviousHash(previous);
    header.setDataHash(blockDataHash(data));
    const blockData = new common.BlockData();
    blockData.setDataList(data);
    const metadata = new common.BlockMetadata();
    metadata.setMetadataList([new Uint8Array(), new Uint8Array(), Uint8Array.from([0]), new Uint8Array(), new Uint8Array()]);
    const block = new common.Block();
    block.setHeader(header);
    block.setData(blockData);
    block.setMetadata(metadata);
    blocks.push(block);
    previous = blockHeaderHash(BigInt(n), previous, header.getDataHash_asU8());
  }
  return blocks;
}

let t: TestApp;
let blocks: common.Block[];
beforeEach(async () => {
  blocks = chain(4);
  t = await testApp({
    routes: [ledgerRoutes],
    handler: ({ call }: RecordedCall) => {
      if (call.fn === 'GetChainInfo') {
        const last = blocks[blocks.length - 1]!.getHeader()!;
        const info = new common.BlockchainInfo();
        info.setHeight(blocks.length);
        info.setCurrentblockhash(blockHeaderHash(BigInt(last.getNumber()), last.getPreviousHash_asU8(), last.getDataHash_asU8()));
        info.setPreviousblockhash(last.getPreviousHash_asU8());
        return info.serializeBinary();
      }
      if (call.fn === 'GetBlockByNumber') return blocks[Number(call.args![0])]!.serializeBinary();
      throw new Error(`unexpected ${call.fn}`);
    },
  });
});
afterEach(async () => t.close());

test('an auditor verifies an intact chain', async () => {
  const res = await t.inject({ method: 'POST', url: '/ledger/verification', payload: {}, headers: { authorization: await t.bearer('auditor1') } });
  expect(res.json()).toEqual({ valid: true, from: '0', to: '3', height: '4', checkedBlocks: 4 });
});

test('a tampered block is reported with its number', async () => {
  const data = blocks[2]!.getData()!;
  data.setDataList([envelope('f'.repeat(64), 'records:eraseRecord')]);
  const res = await t.inject({ method: 'POST', url: '/ledger/verification', payload: {}, headers: { authorization: await t.bearer('auditor1') } });
  expect(res.json()).toMatchObject({ valid: false, failure: { block: '2', reason: 'DATA_HASH_MISMATCH' } });
});

test('a block decodes to its transactions without arguments', async () => {
  const res = await t.inject({ method: 'GET', url: '/ledger/blocks/1', headers: { authorization: await t.bearer('auditor1') } });
  expect(res.statusCode).toBe(200);
  expect(res.json()).toMatchObject({
    number: '1',
    transactions: [{ type: 'ENDORSER_TRANSACTION', creatorMspId: 'Hospital1MSP', chaincode: 'healthledger', function: 'records:createRecord', validation: 'VALID', timestamp: '2026-01-01T00:00:00.000Z' }],
  });
  expect((await t.inject({ method: 'GET', url: '/ledger/blocks/9', headers: { authorization: await t.bearer('auditor1') } })).statusCode).toBe(404);
});

test('clinicians may not read raw blocks', async () => {
  const res = await t.inject({ method: 'GET', url: '/ledger/blocks/1', headers: { authorization: await t.bearer('clinician1') } });
  expect(res.statusCode).toBe(403);
  expect(t.ledger.calls).toHaveLength(0);
});
