/**
 * Conformance (docs/design/fabric-conformance.md d, e, h "same block"): MVCC and phantom-read conflicts. The
 * harness orders chosen transactions into one block deterministically (see inOneBlock).
 */
import { CommitError, type Commit, type Contract, type Gateway } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import { CHAINCODE, CHANNEL, startNetwork, text, unique, until, type ConformanceNetwork } from './harness';

let net: ConformanceNetwork;
let gateway: Gateway;
let probe: Contract;

beforeAll(async () => {
  net = await startNetwork();
  gateway = net.gateway('Org1MSP');
  probe = gateway.getNetwork(CHANNEL).getContract(CHAINCODE);
});

afterAll(async () => {
  await net?.stop();
});

async function filterOf(blockNumber: bigint): Promise<number[]> {
  const block = await net.block(blockNumber);
  return [...(block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? [])];
}

describe('MVCC_READ_CONFLICT', () => {
  it('two concurrently endorsed updates of one key in one block: filter [0, 11]', async () => {
    const key = unique('ctr');
    await probe.submitTransaction('put', key, '0');
    const a = await probe.newProposal('incr', { arguments: [key] }).endorse();
    const b = await probe.newProposal('incr', { arguments: [key] }).endorse();
    const [sa, sb] = (await net.inOneBlock(gateway, a, b)) as [Commit, Commit];
    const [first, second] = [await sa.getStatus(), await sb.getStatus()];
    expect(first.blockNumber).toBe(second.blockNumber);
    expect(await filterOf(first.blockNumber)).toEqual([0, 11]);
    expect(second).toMatchObject({ code: peer.TxValidationCode.MVCC_READ_CONFLICT, successful: false });
    // getResult() still returns the simulated result of the invalid transaction.
    expect(text(b.getResult())).toBe('1');
    expect(text(await probe.evaluateTransaction('get', key))).toBe('1');
  });

  it('the second update submitted after the first committed lands alone with [11]', async () => {
    const key = unique('ctr');
    await probe.submitTransaction('put', key, '0');
    const a = await probe.newProposal('incr', { arguments: [key] }).endorse();
    const b = await probe.newProposal('incr', { arguments: [key] }).endorse();
    await (await a.submit()).getStatus();
    const status = await (await b.submit()).getStatus();
    expect(status.code).toBe(peer.TxValidationCode.MVCC_READ_CONFLICT);
    expect(await filterOf(status.blockNumber)).toEqual([11]);
  });

  it('submitTransaction race: one succeeds, the others throw CommitError 11', async () => {
    const key = unique('race');
    await probe.submitTransaction('put', key, '0');
    // Hold block cutting until Org2, the last endorser of each, has had all three proposals: with
    // nothing committing meanwhile, they endorse against the same state.
    const before = await net.proposalsReceived('Org2MSP');
    await net.pauseOrderer();
    const racing = Promise.allSettled([1, 2, 3].map(() => probe.submitTransaction('incr', key)));
    try {
      await until(async () => (await net.proposalsReceived('Org2MSP')) >= before + 3);
    } finally {
      await net.resumeOrderer();
    }
    const results = await racing;
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    expect(failures).toHaveLength(2);
    for (const err of failures) {
      expect(err).toBeInstanceOf(CommitError);
      const commitError = err as CommitError;
      expect(commitError.code).toBe(11);
      expect(commitError.message).toBe(`Transaction ${commitError.transactionId} failed to commit with status code 11 (MVCC_READ_CONFLICT)`);
    }
  });
});

describe('PHANTOM_READ_CONFLICT', () => {
  async function scanThen(prefix: string, change: () => Promise<unknown>): Promise<number> {
    const scan = await probe.newProposal('range', { arguments: [prefix, `${prefix}z`] }).endorse();
    await change();
    return (await (await scan.submit()).getStatus()).code;
  }

  it('an insert, update or delete inside a scanned range between endorsement and commit gives 12', async () => {
    const p = unique('ph');
    await probe.submitTransaction('putMany', p, '3');
    expect(await scanThen(p, () => probe.submitTransaction('put', `${p}5`, 'new'))).toBe(12);
    expect(await scanThen(p, () => probe.submitTransaction('put', `${p}001`, 'changed'))).toBe(12);
    expect(await scanThen(p, () => probe.submitTransaction('del', `${p}000`))).toBe(12);
  });

  it('an insert outside the range keeps the scan VALID', async () => {
    const p = unique('ph');
    await probe.submitTransaction('putMany', p, '2');
    expect(await scanThen(p, () => probe.submitTransaction('put', `zz${p}`, 'x'))).toBe(0);
  });

  it('insert and scan in the same block, insert first: filter [0, 12]', async () => {
    const p = unique('ph');
    await probe.submitTransaction('putMany', p, '2');
    const insert = await probe.newProposal('put', { arguments: [`${p}1`, 'x'] }).endorse();
    const scan = await probe.newProposal('range', { arguments: [p, `${p}z`] }).endorse();
    const [si, ss] = (await net.inOneBlock(gateway, insert, scan)) as [Commit, Commit];
    const status = await ss.getStatus();
    expect((await si.getStatus()).blockNumber).toBe(status.blockNumber);
    expect(await filterOf(status.blockNumber)).toEqual([0, 12]);
  });
});

describe('key-level policy changed earlier in the same block', () => {
  it('invalidates a later write of that key: filter [0, 10]', async () => {
    const key = unique('sbe');
    await probe.submitTransaction('put', key, 'v');
    const setPolicy = await probe.newProposal('setKeyPolicy', { arguments: [key, 'Org1MSP,Org2MSP'] }).endorse();
    const write = await probe.newProposal('put', { arguments: [key, 'w'] }).endorse();
    const [a, b] = (await net.inOneBlock(gateway, setPolicy, write)) as [Commit, Commit];
    const status = await b.getStatus();
    expect((await a.getStatus()).blockNumber).toBe(status.blockNumber);
    expect(await filterOf(status.blockNumber)).toEqual([0, 10]);
  });
});
