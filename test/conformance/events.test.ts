/**
 * Conformance (docs/design/fabric-conformance.md j): chaincode events from a start block, resumed from a
 * checkpoint without loss or duplicates, only valid transactions, ACL and unknown channel.
 */
import { checkpointers, GatewayError, type ChaincodeEvent, type CloseableAsyncIterable, type Commit, type Contract, type Gateway, type Network } from '@hyperledger/fabric-gateway';
import { CHAINCODE, CHANNEL, startNetwork, text, unique, type ConformanceNetwork } from './harness';

let net: ConformanceNetwork;
let gateway: Gateway;
let network: Network;
let probe: Contract;

beforeAll(async () => {
  net = await startNetwork();
  gateway = net.gateway('Org1MSP');
  network = gateway.getNetwork(CHANNEL);
  probe = network.getContract(CHAINCODE);
});

afterAll(async () => {
  await net?.stop();
});

/** Reads `count` events, then closes the stream. */
async function take(events: CloseableAsyncIterable<ChaincodeEvent>, count: number): Promise<ChaincodeEvent[]> {
  const result: ChaincodeEvent[] = [];
  try {
    for await (const event of events) {
      result.push(event);
      if (result.length === count) break;
    }
  } finally {
    events.close();
  }
  return result;
}

describe('chaincode events', () => {
  it('delivers events from a start block, oldest first, with the payload and block number', async () => {
    const start = await net.height();
    const a = await probe.submitAsync('putWithEvent', { arguments: [unique('e'), 'one', 'created'] });
    await a.getStatus();
    const b = await probe.submitAsync('putWithEvent', { arguments: [unique('e'), 'two', 'updated'] });
    const status = await b.getStatus();
    const events = await take(await network.getChaincodeEvents(CHAINCODE, { startBlock: start }), 2);
    expect(events.map((e) => [e.transactionId, e.eventName, text(e.payload), e.chaincodeName])).toEqual([
      [a.getTransactionId(), 'created', 'one', CHAINCODE],
      [b.getTransactionId(), 'updated', 'two', CHAINCODE],
    ]);
    expect(events[1]?.blockNumber).toBe(status.blockNumber);
  });

  it('resumes from a checkpoint inside a two-event block with the second event, without loss or duplicates', async () => {
    const start = await net.height();
    const first = await probe.newProposal('putWithEvent', { arguments: [unique('e'), 'a', 'first'] }).endorse();
    const second = await probe.newProposal('putWithEvent', { arguments: [unique('e'), 'b', 'second'] }).endorse();
    const [s1, s2] = (await net.inOneBlock(gateway, first, second)) as [Commit, Commit];
    expect((await s1.getStatus()).blockNumber).toBe((await s2.getStatus()).blockNumber);
    const third = await probe.submitAsync('putWithEvent', { arguments: [unique('e'), 'c', 'third'] });
    await third.getStatus();

    const checkpointer = checkpointers.inMemory();
    const [seen] = await take(await network.getChaincodeEvents(CHAINCODE, { startBlock: start }), 1);
    expect(seen?.transactionId).toBe(first.getTransactionId());
    await checkpointer.checkpointChaincodeEvent(seen as ChaincodeEvent);

    const resumed = await take(await network.getChaincodeEvents(CHAINCODE, { checkpoint: checkpointer, startBlock: 0n }), 2);
    expect(resumed.map((e) => e.transactionId)).toEqual([second.getTransactionId(), third.getTransactionId()]);
  });

  it('resumes after a checkpointed block at the next block', async () => {
    const s = await probe.submitAsync('putWithEvent', { arguments: [unique('e'), 'x', 'blk'] });
    const { blockNumber } = await s.getStatus();
    const next = await probe.submitAsync('putWithEvent', { arguments: [unique('e'), 'y', 'blk2'] });
    await next.getStatus();
    const checkpointer = checkpointers.inMemory();
    await checkpointer.checkpointBlock(blockNumber);
    const [event] = await take(await network.getChaincodeEvents(CHAINCODE, { checkpoint: checkpointer }), 1);
    expect(event?.transactionId).toBe(next.getTransactionId());
  });

  it('does not deliver events of invalid transactions', async () => {
    const key = unique('sbe');
    await probe.submitTransaction('put', key, '0');
    await probe.submitTransaction('setKeyPolicy', key, 'Org2MSP');
    const start = await net.height();
    const rejected = await probe.submitAsync('putWithEvent', { arguments: [key, '1', 'rejected'], endorsingOrganizations: ['Org1MSP'] });
    expect((await rejected.getStatus()).code).toBe(10);
    const marker = await probe.submitAsync('setEvent', { arguments: ['marker', 'm'] });
    await marker.getStatus();
    const [event] = await take(await network.getChaincodeEvents(CHAINCODE, { startBlock: start }), 1);
    expect(event?.eventName).toBe('marker');
  });

  it('without a start position delivers only events committed after the call', async () => {
    await probe.submitTransaction('setEvent', 'before', 'x');
    const events = await network.getChaincodeEvents(CHAINCODE);
    const after = await probe.submitAsync('setEvent', { arguments: ['after', 'y'] });
    const [event] = await take(events, 1);
    expect(event?.transactionId).toBe(after.getTransactionId());
  });

  it('refuses an unknown channel with PERMISSION_DENIED', async () => {
    const events = await net.gateway('Org1MSP').getNetwork('nochannel').getChaincodeEvents(CHAINCODE);
    const err = (await events[Symbol.asyncIterator]().next().catch((e: unknown) => e)) as GatewayError;
    events.close();
    expect(err).toBeInstanceOf(GatewayError);
    expect(err.code).toBe(7);
    expect(err.message).toBe('7 PERMISSION_DENIED: Failed to get policy manager for channel [nochannel]');
  });
});
