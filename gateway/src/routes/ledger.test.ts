import { common } from '@hyperledger/fabric-protos';
import type { RecordedCall } from '../testing/scripted-ledger';
import { chainOf, envelope } from '../testing/chain';
import { testApp, type TestApp } from '../testing/test-app';
import { blockHeaderHash } from '@healthledger/fabric-core/crypto';
import { ledgerRoutes } from './ledger';
import { operationRoutes } from './operations';

/** `count` blocks, one createRecord each, hash-linked (the shared ledger-view fixture, no writes). */
function chain(count: number): common.Block[] {
  return chainOf(Array.from({ length: count }, (_, n) => ({ txId: `${n}`.padStart(64, 'a'), fn: 'records:createRecord', writes: [] })), '');
}

let t: TestApp;
let blocks: common.Block[];
beforeEach(async () => {
  blocks = chain(4);
  t = await testApp({
    routes: [ledgerRoutes, operationRoutes],
    handler: ({ call }: RecordedCall) => {
      if (call.fn === 'GetChainInfo') {
        const last = blocks[blocks.length - 1]!.getHeader()!;
        const info = new common.BlockchainInfo();
        info.setHeight(blocks.length);
        info.setCurrentblockhash(blockHeaderHash(BigInt(last.getNumber()), last.getPreviousHash_asU8(), last.getDataHash_asU8()));
        info.setPreviousblockhash(last.getPreviousHash_asU8());
        return info.serializeBinary();
      }
      if (call.fn === 'GetBlockByNumber' || call.fn === 'Deliver') return blocks[Number(call.args![0])]?.serializeBinary();
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
  data.setDataList([envelope({ txId: 'f'.repeat(64), fn: 'records:eraseRecord', writes: [] }, '')]);
  const res = await t.inject({ method: 'POST', url: '/ledger/verification', payload: {}, headers: { authorization: await t.bearer('auditor1') } });
  expect(res.json()).toMatchObject({ valid: false, failure: { block: '2', reason: 'DATA_HASH_MISMATCH' } });
});

/** Starts the whole-chain verification (`Prefer: respond-async`) and polls the operation until it ends. */
async function verifyAsync(payload: object = {}) {
  const headers = { authorization: await t.bearer('auditor1'), prefer: 'respond-async' };
  const accepted = await t.inject({ method: 'POST', url: '/ledger/verification', payload, headers });
  expect(accepted.statusCode).toBe(202);
  const location = accepted.headers['location']!;
  for (;;) {
    const operation = (await t.inject({ method: 'GET', url: location, headers })).json<{ kind: string; status: string; progress: { done: number; total: number }; result?: unknown }>();
    if (operation.status !== 'accepted' && operation.status !== 'running') return operation;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

test('the whole chain is verified in one operation over the Deliver stream, not block by block over qscc', async () => {
  const operation = await verifyAsync();
  expect(operation).toMatchObject({ kind: 'ledger-verification', status: 'succeeded', progress: { done: 4, total: 4, unit: 'blocks' } });
  expect(operation.result).toEqual({ valid: true, from: '0', to: '3', height: '4', checkedBlocks: 4 });
  expect(t.ledger.calls.filter((c) => c.call.fn === 'GetBlockByNumber')).toHaveLength(0);
});

test('the operation reports the first tampered block', async () => {
  const data = blocks[2]!.getData()!;
  data.setDataList([envelope({ txId: 'f'.repeat(64), fn: 'records:eraseRecord', writes: [] }, '')]);
  const operation = await verifyAsync();
  expect(operation).toMatchObject({ status: 'succeeded', result: { valid: false, checkedBlocks: 2, failure: { block: '2', reason: 'DATA_HASH_MISMATCH' } } });
});

test('a broken header link is reported at the block whose previous hash does not match', async () => {
  blocks = chain(5); // the chain info is computed from the last header, so only the link is wrong
  blocks[4]!.getHeader()!.setPreviousHash(Buffer.alloc(32, 7));
  const operation = await verifyAsync({ from: '3' });
  expect(operation.result).toMatchObject({ valid: false, from: '3', to: '4', failure: { block: '4', reason: 'PREVIOUS_HASH_MISMATCH' } });
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
