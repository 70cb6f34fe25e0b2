import { CommitLock } from './commit-lock';
import { Ledger } from './ledger';
import { TestChain } from './testing/block-builder';

describe('CommitLock', () => {
  it('makes a commit wait for running simulations and later simulations wait for the commit', async () => {
    const lock = new CommitLock();
    const order: string[] = [];
    const releaseSim = await lock.acquireShared();
    const commit = lock.acquireExclusive().then((release) => {
      order.push('commit');
      release();
    });
    const laterSim = lock.acquireShared().then((release) => {
      order.push('later simulation');
      release();
    });
    await Promise.resolve();
    expect(order).toEqual([]);
    releaseSim();
    await Promise.all([commit, laterSim]);
    expect(order).toEqual(['commit', 'later simulation']);
  });
});

describe('Ledger commit lock', () => {
  it('applies a block only once every simulation hold is released, and holds taken meanwhile see it', async () => {
    const ledger = await Ledger.open({ orgs: ['Org1MSP'] });
    const chain = new TestChain();
    await ledger.commitBlock(chain.genesis());
    const release = await ledger.holdForSimulation();
    const { block } = chain.next([{ txId: 'tx1', namespaces: [{ namespace: 'cc', writes: [{ key: 'k', value: 'v' }] }] }]);
    const committed = ledger.commitBlock(block);
    // Let the queued commit reach the lock before the later simulation asks for it.
    await new Promise((resolve) => setImmediate(resolve));
    const later = ledger.holdForSimulation().then((releaseLater) => {
      releaseLater();
      return ledger.blocks.height;
    });
    expect(ledger.blocks.height).toBe(1n);
    release();
    await committed;
    await expect(later).resolves.toBe(2n);
    await ledger.close();
  });
});
