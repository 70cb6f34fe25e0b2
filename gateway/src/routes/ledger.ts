/**
 * Ledger-level audit over qscc (no contract involved): chain info, blocks and transactions, and
 * integrity verification walking the header hash chain. The chaincode is not asked, so the
 * gateway itself limits these to auditors and admins.
 */
import { compareContractMetadata, StringEnum, TRANSACTIONS } from '@healthledger/contract-api';
import { Type } from '@sinclair/typebox';
import { common, peer } from '@hyperledger/fabric-protos';
import type { RouteModule } from './context';
import { requireRole } from '../auth/principal';
import { HttpProblem } from '../errors/problem';
import type { Ledger } from '../fabric/ledger';
import type { FabricUser } from '../fabric/wallet';
import { blockView, transactionView } from '../audit/blocks';
import { chainLinkOf, checkLink } from '../audit/integrity';
import { chainVerificationKind, verificationInput } from '../audit/chain-verification';
import { prefersAsync, sendAccepted } from '../operations/accepted';
import { viewOf } from '../operations/model';
import { OperationSchema } from '../operations/schema';

/** Who may read blocks and verify the chain (the console's ledger views use the same routes). */
export const LEDGER_ROLES = ['auditor', 'admin'];
const ROLES = LEDGER_ROLES;
const tags = ['ledger'];
/** Blocks checked per verification request (bounded work per HTTP call; page with `from`). */
export const MAX_VERIFY_BLOCKS = 5000;

const HASH = '4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce';
const TX_ID = '9b2e61f0c4d84a3f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4938271';
export const Hex = (description: string) => Type.String({ pattern: '^[0-9a-f]*$', description, examples: [HASH] });
/** Block numbers and heights are decimal strings: they can exceed JavaScript's safe integers. */
export const Decimal = (description: string, example: string) => Type.String({ description, examples: [example] });
export const Transaction = Type.Object(
  {
    txId: Type.String({ description: 'Transaction id', examples: [TX_ID] }),
    type: Type.String({ description: 'Fabric header type', examples: ['ENDORSER_TRANSACTION'] }),
    timestamp: Type.Optional(Type.String({ description: 'Client timestamp (ISO 8601 UTC)', examples: ['2026-12-05T10:15:00.000Z'] })),
    creatorMspId: Type.Optional(Type.String({ description: "The submitter's MSP id", examples: ['Hospital1MSP'] })),
    creatorRole: Type.Optional(Type.String({ description: "The `role` attribute of the submitter's certificate", examples: ['clinician'] })),
    chaincode: Type.Optional(Type.String({ description: 'Chaincode name', examples: ['healthledger'] })),
    function: Type.Optional(Type.String({ description: 'Transaction name (`contract:name`)', examples: ['records:createRecord'] })),
    validationCode: Type.Integer({ description: "Fabric's validation code (0 = VALID)", examples: [0] }),
    validation: Type.String({ description: "The validation code's name", examples: ['VALID'] }),
    writes: Type.Array(Type.String(), {
      description: "Public-state keys the transaction wrote in the chaincode's namespace (composite key parts joined by `/`); identifiers only, never values",
      examples: [['record/rec-7f3a', 'patient~record/pt-0c5f1a9e/rec-7f3a']],
    }),
  },
  { additionalProperties: false, description: 'One transaction of a block' },
);
export const Block = Type.Object(
  {
    number: Decimal('Block number', '7'),
    headerHash: Hex('SHA-256 of the DER block header'),
    previousHash: Hex("The previous block's header hash"),
    dataHash: Hex("SHA-256 of the block's data"),
    transactions: Type.Array(Transaction, { description: 'Its transactions, in order' }),
  },
  { additionalProperties: false, description: 'One block' },
);
export const ChainInfo = Type.Object(
  { height: Decimal('Number of blocks', '42'), currentBlockHash: Hex("The last block's header hash"), previousBlockHash: Hex("The one before's header hash") },
  { additionalProperties: false, description: 'Chain height and head' },
);
const Verification = Type.Object(
  {
    valid: Type.Boolean({ description: 'Every data hash and header hash link in the range checks', examples: [true] }),
    from: Decimal('First block checked', '0'),
    to: Decimal('Last block checked', '41'),
    height: Decimal('Chain height when checked', '42'),
    checkedBlocks: Type.Integer({ description: 'Blocks checked', examples: [42] }),
    failure: Type.Optional(
      Type.Object(
        { block: Decimal('The first block that fails', '17'), reason: Type.String({ description: 'What fails', examples: ['data hash mismatch'] }) },
        { additionalProperties: false, description: 'Where the check failed (absent when valid)' },
      ),
    ),
  },
  { additionalProperties: false, description: 'The hash chain check over a block range (also the `result` of a `ledger-verification` operation)' },
);
const ContractCheck = Type.Object(
  {
    chaincode: Type.String({ description: 'Chaincode name', examples: ['healthledger'] }),
    matchesCatalogue: Type.Boolean({ description: "True when the deployed chaincode serves exactly this gateway's transaction catalogue", examples: [true] }),
    transactions: Type.Integer({ description: 'Transactions in the catalogue', examples: [62] }),
    differences: Type.Array(
      Type.Object(
        {
          transaction: Type.String({ description: 'The transaction (`contract:name`)', examples: ['records:createRecord'] }),
          problem: StringEnum(['missing-from-chaincode', 'missing-from-catalogue', 'mode-differs'], { description: 'How the two disagree' }),
          catalogue: Type.Optional(Type.String({ description: "The catalogue's mode (submit or evaluate)", examples: ['submit'] })),
          chaincode: Type.Optional(Type.String({ description: "The chaincode's transaction tag", examples: ['EVALUATE'] })),
        },
        { additionalProperties: false, description: 'A difference' },
      ),
      { description: 'Every difference; empty when they match' },
    ),
  },
  { additionalProperties: false, description: "The deployed chaincode's contract metadata against this gateway's catalogue", examples: [{ chaincode: 'healthledger', matchesCatalogue: true, transactions: 62, differences: [] }] },
);
export const TransactionInBlock = Type.Object({ ...Transaction.properties, blockNumber: Decimal('The block that holds it', '7') }, { additionalProperties: false, description: 'One transaction, its validation code and its block' });
export const BlockNumber = Type.String({ pattern: '^(0|[1-9][0-9]{0,18})$', description: 'A block number (decimal string)', examples: ['7'] });

export async function chainInfo(ledger: Ledger, user: FabricUser) {
  const info = common.BlockchainInfo.deserializeBinary(await ledger.qscc(user, 'GetChainInfo'));
  return {
    height: BigInt(info.getHeight()),
    currentBlockHash: Buffer.from(info.getCurrentblockhash_asU8()),
    previousBlockHash: Buffer.from(info.getPreviousblockhash_asU8()),
  };
}

export async function block(ledger: Ledger, user: FabricUser, number: bigint): Promise<common.Block> {
  return common.Block.deserializeBinary(await ledger.qscc(user, 'GetBlockByNumber', number.toString()));
}

export const ledgerRoutes: RouteModule = (app, { ledger, operations }) => {
  operations.define('ledger-verification', chainVerificationKind(ledger));

  app.get('/ledger', { schema: { tags, summary: 'Chain height and head hash', response: { 200: ChainInfo } } }, async (request) => {
    const info = await chainInfo(ledger, requireRole(request, ROLES));
    return { height: info.height.toString(), currentBlockHash: info.currentBlockHash.toString('hex'), previousBlockHash: info.previousBlockHash.toString('hex') };
  });

  // Operators see at once whether the chaincode on the channel is the one this gateway speaks to.
  app.get(
    '/ledger/contract',
    { schema: { tags, summary: "The deployed chaincode's contract metadata checked against this gateway's transaction catalogue", response: { 200: ContractCheck } } },
    async (request) => {
      const metadata = await ledger.evaluate(requireRole(request, ROLES), { fn: 'org.hyperledger.fabric:GetMetadata', args: [] });
      const differences = compareContractMetadata(TRANSACTIONS, JSON.parse(Buffer.from(metadata).toString('utf8')));
      return { chaincode: ledger.chaincode, matchesCatalogue: differences.length === 0, transactions: TRANSACTIONS.length, differences };
    },
  );

  app.get(
    '/ledger/blocks/:number',
    { schema: { tags, summary: 'One block', params: Type.Object({ number: BlockNumber }, { additionalProperties: false }), response: { 200: Block } } },
    async (request) => {
      const user = requireRole(request, ROLES);
      const number = BigInt((request.params as { number: string }).number);
      const { height } = await chainInfo(ledger, user);
      if (number >= height) throw new HttpProblem('BLOCK_NOT_FOUND', `The ledger has ${height} blocks`);
      return blockView(await block(ledger, user, number));
    },
  );

  app.get(
    '/ledger/transactions/:txId',
    {
      schema: {
        tags,
        summary: 'One transaction and its validation code',
        params: Type.Object({ txId: Type.String({ pattern: '^[0-9a-f]{64}$', description: 'The transaction id (64 hex digits)', examples: [TX_ID] }) }, { additionalProperties: false }),
        response: { 200: TransactionInBlock },
      },
    },
    async (request) => {
      const found = await transactionById(ledger, requireRole(request, ROLES), (request.params as { txId: string }).txId);
      if (!found) throw new HttpProblem('TRANSACTION_NOT_FOUND');
      return found;
    },
  );

  app.post(
    '/ledger/verification',
    {
      schema: {
        tags,
        summary: 'Verify the hash chain (data hashes and header hash links) over a block range',
        description:
          `Synchronously: at most ${MAX_VERIFY_BLOCKS} blocks per request, read one by one. With \`Prefer: respond-async\`: any range, the whole chain by default, ` +
          'answered 202 with a `ledger-verification` operation (`Location: /operations/{id}`) that reads the blocks over one Deliver stream; ' +
          'its `progress` counts blocks checked and its `result` is this same verification (kept in memory only, for the caller).',
        body: Type.Object(
          {
            from: Type.Optional({ ...BlockNumber, description: 'First block to check (default 0)', examples: ['0'] }),
            to: Type.Optional({ ...BlockNumber, description: `Last block to check (default: the last block); a range holds at most ${MAX_VERIFY_BLOCKS} blocks (else RANGE_TOO_LARGE)`, examples: ['41'] }),
          },
          { additionalProperties: false, description: `The block range; empty: the whole chain (a longer chain than ${MAX_VERIFY_BLOCKS} blocks is checked in ranges)` },
        ),
        response: { 200: Verification, 202: OperationSchema },
      },
    },
    async (request, reply) => {
      const user = requireRole(request, ROLES);
      const body = (request.body ?? {}) as { from?: string; to?: string };
      const info = await chainInfo(ledger, user);
      const from = BigInt(body.from ?? '0');
      const last = info.height - 1n;
      const to = body.to === undefined ? last : BigInt(body.to);
      if (from > to || to > last) throw new HttpProblem('INVALID_RANGE', `Give 0 ≤ from ≤ to ≤ ${last}`);
      if (prefersAsync(request)) {
        const input = verificationInput(from, to, info.height, info.currentBlockHash);
        return sendAccepted(request, reply, viewOf(operations.start(user, 'ledger-verification', input, Number(to - from + 1n))));
      }
      if (to - from + 1n > BigInt(MAX_VERIFY_BLOCKS)) throw new HttpProblem('RANGE_TOO_LARGE', `At most ${MAX_VERIFY_BLOCKS} blocks per request (or ask with Prefer: respond-async)`);
      return verifyRange(ledger, user, from, to, info);
    },
  );
};

/** One transaction and the number of its block, or undefined when the ledger has no such id. */
export async function transactionById(ledger: Ledger, user: FabricUser, txId: string) {
  let processed: peer.ProcessedTransaction;
  let containing: common.Block;
  try {
    processed = peer.ProcessedTransaction.deserializeBinary(await ledger.qscc(user, 'GetTransactionByID', txId));
    containing = common.Block.deserializeBinary(await ledger.qscc(user, 'GetBlockByTxID', txId));
  } catch (err) {
    if (err instanceof Error && /no such transaction ID/.test(err.message + JSON.stringify((err as { details?: unknown }).details ?? ''))) return undefined;
    throw err;
  }
  const envelope = processed.getTransactionenvelope() ?? new common.Envelope();
  return { ...transactionView(envelope, processed.getValidationcode()), blockNumber: String(containing.getHeader()?.getNumber() ?? 0) };
}

async function verifyRange(ledger: Ledger, user: FabricUser, from: bigint, to: bigint, info: Awaited<ReturnType<typeof chainInfo>>) {
  let previous: Buffer | undefined;
  let checked = 0;
  const result = (failure?: { block: string; reason: string }) => ({
    valid: failure === undefined,
    from: from.toString(),
    to: to.toString(),
    height: info.height.toString(),
    checkedBlocks: checked,
    ...(failure ? { failure } : {}),
  });
  for (let n = from; n <= to; n++) {
    const outcome = checkLink(chainLinkOf(await block(ledger, user, n)), n, previous);
    if (!Buffer.isBuffer(outcome)) return result(outcome);
    previous = outcome;
    checked++;
  }
  // The last block checked must be the head the peer reports, when the range reaches it.
  if (to === info.height - 1n && previous && !previous.equals(info.currentBlockHash)) return result({ block: to.toString(), reason: 'CHAIN_HEAD_MISMATCH' });
  return result();
}
