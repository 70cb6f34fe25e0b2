/*
 * Child process of the ledger's crash test: commits blocks to a persistent ledger as fast as it
 * can and prints `ack <n>` once block n's commitBlock has resolved (so n is durable). The test
 * kills it with SIGKILL at an arbitrary moment and checks the reopened ledger.
 *
 * Usage: node crash-writer.js <dir>
 */
import { Ledger } from '../ledger';
import { TestChain, type TestTx } from './block-builder';

export const CRASH_ORG = 'Org1MSP';
export const CRASH_NS = 'crashcc';
export const CRASH_COLL = `_implicit_org_${CRASH_ORG}`;
const TXS_PER_BLOCK = 100;

/** Private values are large enough to be stored as blobs (blob-store.ts). */
const PVT_PADDING = 'y'.repeat(70_000);

/** The block that purges `p~n` (every fourth block purges the value of two blocks before), if any. */
export function purgedBy(n: bigint): bigint | undefined {
  return (n + 2n) % 4n === 0n ? n + 2n : undefined;
}

/**
 * The transactions of block `n`: public writes `k~n~t` = `n` (padded), and one private write
 * `p~n` = `n` (padded: a blob), which in every fourth block also purges `p~(n-2)` (its blob is
 * deleted).
 */
export function crashBlockTxs(n: bigint): TestTx[] {
  const padding = 'x'.repeat(1000); // big enough blocks that a kill often lands mid-write
  const txs: TestTx[] = Array.from({ length: TXS_PER_BLOCK - 1 }, (_, t) => ({
    txId: `crash-${n}-${t}`,
    namespaces: [{ namespace: CRASH_NS, writes: [{ key: `k~${n}~${t}`, value: `${n}|${padding}` }] }],
  }));
  txs.push({ txId: `crash-${n}-pvt`, namespaces: [{ namespace: CRASH_NS, collections: [{ name: CRASH_COLL, writes: [{ key: `p~${n}`, value: `${n}|${PVT_PADDING}` }, ...(n % 4n === 0n ? [{ key: `p~${n - 2n}`, purge: true }] : [])] }] }] });
  return txs;
}

async function main(dir: string): Promise<void> {
  const ledger = await Ledger.open({ dir, orgs: [CRASH_ORG], log: (m) => process.stderr.write(`${m}\n`) });
  const chain = new TestChain('healthchannel', { height: ledger.blocks.height, currentHash: ledger.blocks.currentHash() });
  if (chain.height === 0n) {
    await ledger.commitBlock(chain.genesis());
    process.stdout.write('ack 0\n');
  }
  for (;;) {
    const n = chain.height;
    const { block, pvtData } = chain.next(crashBlockTxs(n));
    await ledger.commitBlock(block, pvtData, { collectionMembers: () => [CRASH_ORG] });
    process.stdout.write(`ack ${n}\n`);
  }
}

const dir = process.argv[2];
if (dir !== undefined && process.argv[1]?.endsWith('crash-writer.js') === true) {
  main(dir).catch((err: unknown) => {
    process.stderr.write(`crash-writer failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  });
}
