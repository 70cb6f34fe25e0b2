/**
 * Whole-chain verification in one pass: the blocks of a range arrive in order over one Deliver
 * stream (not one qscc call each), and each is checked as it arrives — its data hash, and its
 * previous hash against the header hash of the block before (integrity.ts). The bounded
 * `POST /ledger/verification` checks a range over qscc; this is its asynchronous form's work
 * (docs/design/operations.md, "Whole-chain verification").
 */
import { collectBeforeLongRead, LONG_READ_BLOCKS } from '@healthledger/fabric-core/memory';
import type { Ledger } from '../fabric/ledger';
import type { OperationKind } from '../operations/runner';
import { checkLink, type IntegrityFailure } from './integrity';
import { chainLinkOfBytes } from './raw-block';

/** The answer of a verification, bounded or whole-chain: the range, how far it got, the first failure. */
export interface VerificationResult {
  valid: boolean;
  from: string;
  to: string;
  height: string;
  checkedBlocks: number;
  failure?: IntegrityFailure;
}

/** What a whole-chain verification is started with: the range and the head the peer reported. */
export interface ChainVerificationInput {
  from: string;
  to: string;
  height: string;
  /** The last block's header hash (hex) when the range reaches it: the chain must end there. */
  head: string;
}

/** Blocks checked between two progress updates of the operation. */
const PROGRESS_EVERY = 1000;

/**
 * Checks the serialized blocks of `blocks` (starting at `from`) up to `to`, read without decoding
 * (raw-block.ts); stops at the first failure, or early (incomplete) when `stopped()` says so.
 * `progress` hears the count now and then.
 */
export async function verifyBlocks(
  blocks: AsyncIterable<Uint8Array>,
  input: ChainVerificationInput,
  progress: (checked: number) => void,
  stopped: () => boolean,
): Promise<VerificationResult | undefined> {
  const from = BigInt(input.from);
  const to = BigInt(input.to);
  let checked = 0;
  const result = (failure?: IntegrityFailure): VerificationResult => ({
    valid: failure === undefined,
    from: input.from,
    to: input.to,
    height: input.height,
    checkedBlocks: checked,
    ...(failure ? { failure } : {}),
  });
  let previous: Buffer | undefined;
  let expected = from;
  for await (const block of blocks) {
    const outcome = checkLink(chainLinkOfBytes(block), expected, previous);
    if (!Buffer.isBuffer(outcome)) return result(outcome);
    previous = outcome;
    checked++;
    if (expected === to) break;
    expected++;
    if (checked % PROGRESS_EVERY === 0) {
      progress(checked);
      if (stopped()) return undefined;
    }
  }
  // A stream that ended early is a chain shorter than its peer said.
  if (expected !== to || previous === undefined) return result({ block: expected.toString(), reason: 'NUMBER_GAP' });
  if (input.head !== '' && previous.toString('hex') !== input.head) return result({ block: input.to, reason: 'CHAIN_HEAD_MISMATCH' });
  return result();
}

/**
 * The `ledger-verification` kind: one Deliver stream over the range, checked as it arrives. Not
 * durable — it only reads, so after a restart it is simply asked for again; the result names
 * blocks and hashes only.
 */
export function chainVerificationKind(ledger: Ledger): OperationKind<ChainVerificationInput> {
  return {
    unit: 'blocks',
    durable: false,
    run: async (op) => {
      // The heaps a load before left grown: a full collection first (fabric-core memory/garbage.ts).
      if (BigInt(op.input.to) - BigInt(op.input.from) >= BigInt(LONG_READ_BLOCKS)) collectBeforeLongRead();
      const stream = await ledger.blocks(op.user, BigInt(op.input.from));
      let result: VerificationResult | undefined;
      try {
        result = await verifyBlocks(stream, op.input, (checked) => op.progress(checked), () => op.stopped());
      } finally {
        stream.close();
      }
      if (!result) return { complete: false };
      op.progress(result.checkedBlocks);
      return { complete: true, result };
    },
  };
}

/** The input for a range, with the head hash to end on when the range reaches the last block. */
export function verificationInput(from: bigint, to: bigint, height: bigint, head: Buffer): ChainVerificationInput {
  return { from: from.toString(), to: to.toString(), height: height.toString(), head: to === height - 1n ? head.toString('hex') : '' };
}
