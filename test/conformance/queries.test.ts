/**
 * Conformance (docs/design/fabric-conformance.md f, g): pagination bookmarks, iteration over more than 100
 * results, read-only rules, LevelDB rich queries, history order.
 */
import { GatewayError, type Contract } from '@hyperledger/fabric-gateway';
import { CHAINCODE, CHANNEL, startNetwork, text, unique, type ConformanceNetwork } from './harness';

let net: ConformanceNetwork;
let probe: Contract;
const p = unique('pg');

beforeAll(async () => {
  net = await startNetwork();
  probe = net.gateway('Org1MSP').getNetwork(CHANNEL).getContract(CHAINCODE);
  await probe.submitTransaction('putMany', p, '150');
});

afterAll(async () => {
  await net?.stop();
});

interface Page {
  results: Array<{ key: string; value: string }>;
  metadata: { fetchedRecordsCount: number; bookmark: string } | null;
}

async function page(size: number, bookmark: string, end = `${p}z`): Promise<Page> {
  return JSON.parse(text(await probe.evaluateTransaction('page', p, end, String(size), bookmark))) as Page;
}

const key = (i: number): string => `${p}${String(i).padStart(3, '0')}`;

describe('pagination', () => {
  it('pages through 150 keys with bookmarks = next unreturned key, then an empty bookmark', async () => {
    const first = await page(60, '');
    expect(first.results.map((r) => r.key)).toEqual(Array.from({ length: 60 }, (_, i) => key(i)));
    expect(first.metadata).toEqual({ fetchedRecordsCount: 60, bookmark: key(60) });
    const second = await page(60, key(60));
    expect(second.results).toHaveLength(60);
    expect(second.metadata).toEqual({ fetchedRecordsCount: 60, bookmark: key(120) });
    const last = await page(60, key(120));
    expect(last.results.map((r) => r.key)).toEqual(Array.from({ length: 30 }, (_, i) => key(120 + i)));
    expect(last.metadata?.bookmark ?? '').toBe('');
    expect(last.metadata?.fetchedRecordsCount).toBe(30);
  });

  it('gives no metadata object at all for a bookmark beyond the end key', async () => {
    const beyond = await page(10, `${p}zz`, `${p}z`);
    expect(beyond).toEqual({ results: [], metadata: null });
  });

  it('commits a submitted partial page VALID', async () => {
    const status = await (await probe.submitAsync('page', { arguments: [p, `${p}z`, '50', ''] })).getStatus();
    expect(status.code).toBe(0);
  });

  it('rejects a write after a paginated query, and a paginated query after a write', async () => {
    const pageThenPut = probe.newProposal('pageThenPut', { arguments: [p, `${p}z`, unique('w')] });
    const err1 = (await pageThenPut.evaluate().catch((e: unknown) => e)) as GatewayError;
    const txId1 = pageThenPut.getTransactionId();
    expect(err1.message).toBe(
      `2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, PUT_STATE failed: transaction ID: ${txId1}: txid [${txId1}]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed`,
    );
    const putThenPage = probe.newProposal('putThenPage', { arguments: [unique('w'), p, `${p}z`] });
    const err2 = (await putThenPage.evaluate().catch((e: unknown) => e)) as GatewayError;
    const txId2 = putThenPage.getTransactionId();
    expect(err2.message).toBe(
      `2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, GET_STATE_BY_RANGE failed: transaction ID: ${txId2}: txid [${txId2}]: unsuppored transaction. Paginated queries are supported only in a read-only transaction`,
    );
  });
});

describe('large scans', () => {
  it('iterates all 150 results in key order (more than one 100-result batch), and the submitted scan is VALID', async () => {
    const all = JSON.parse(text(await probe.evaluateTransaction('range', p, `${p}z`))) as Array<{ key: string }>;
    expect(all.map((r) => r.key)).toEqual(Array.from({ length: 150 }, (_, i) => key(i)));
    const status = await (await probe.submitAsync('range', { arguments: [p, `${p}z`] })).getStatus();
    expect(status.code).toBe(0);
  });

  it('answers a rich query with LevelDB\'s "not supported" error', async () => {
    const proposal = probe.newProposal('richQuery', { arguments: ['{"selector":{}}'] });
    const err = (await proposal.evaluate().catch((e: unknown) => e)) as GatewayError;
    expect(err).toBeInstanceOf(GatewayError);
    expect(err.message).toBe(
      `2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, GET_QUERY_RESULT failed: transaction ID: ${proposal.getTransactionId()}: ExecuteQuery not supported for leveldb`,
    );
  });
});

describe('history', () => {
  it('returns every valid write newest first, deletes included, with the proposal timestamps', async () => {
    const k = unique('hist');
    const txIds: string[] = [];
    for (const [fn, args] of [['put', [k, 'v1']], ['put', [k, 'v2']], ['del', [k]], ['put', [k, 'v3']]] as const) {
      const submitted = await probe.submitAsync(fn, { arguments: [...args] });
      await submitted.getStatus();
      txIds.push(submitted.getTransactionId());
    }
    const history = JSON.parse(text(await probe.evaluateTransaction('history', k))) as Array<{ txId: string; value: string; isDelete: boolean; nanos: number }>;
    expect(history.map((h) => [h.txId, h.value, h.isDelete])).toEqual([
      [txIds[3], 'v3', false],
      [txIds[2], '', true],
      [txIds[1], 'v2', false],
      [txIds[0], 'v1', false],
    ]);
    for (const h of history) expect(h.nanos % 1_000_000).toBe(0);
    expect(JSON.parse(text(await probe.evaluateTransaction('history', unique('never'))))).toEqual([]);
  });
});
