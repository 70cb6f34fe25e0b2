/**
 * Browsing the ledger over qscc, for auditors and operators (the console's ledger views): the
 * newest blocks page by page, and one search box that takes a block number, a transaction id, a
 * block hash or an asset id. Same callers and same block decoding as ledger.ts — identifiers,
 * functions and validation codes, never arguments or values.
 */
import { StringEnum } from '@healthledger/contract-api';
import { Type } from '@sinclair/typebox';
import { common } from '@hyperledger/fabric-protos';
import type { RouteModule } from './context';
import { requireRole } from '../auth/principal';
import { blockView, type BlockView, type TransactionView } from '../audit/blocks';
import type { Ledger } from '../fabric/ledger';
import type { FabricUser } from '../fabric/wallet';
import { Block, block, chainInfo, Decimal, LEDGER_ROLES, transactionById, TransactionInBlock } from './ledger';

const tags = ['ledger'];
/** Blocks per page of the block list. */
export const MAX_BLOCK_PAGE = 20;
/** How far back (in blocks) a search by asset id looks: bounded work per request. */
export const ASSET_SEARCH_BLOCKS = 200;

const BlockPage = Type.Object(
  {
    height: Decimal('Number of blocks', '42'),
    blocks: Type.Array(Block, { description: 'Newest first' }),
    next: Type.Optional(Decimal('`before` for the next (older) page; absent at block 0', '22')),
  },
  { additionalProperties: false, description: 'A page of blocks, newest first' },
);

const SearchResult = Type.Object(
  {
    query: Type.String({ description: 'What was searched for', examples: ['rec-7f3a'] }),
    kind: StringEnum(['block-number', 'transaction-id', 'block-hash', 'asset-id', 'none'], {
      description: 'What the query matched: a block by number or header hash, a transaction by id, transactions writing an asset, or nothing',
      examples: ['asset-id'],
    }),
    blocks: Type.Array(Block, { description: 'The block found (by number or hash)' }),
    transactions: Type.Array(TransactionInBlock, { description: 'The transaction found by id, or those that wrote the asset (newest first)' }),
    scannedFrom: Type.Optional(Decimal(`First block an asset search looked at (it looks at the last ${ASSET_SEARCH_BLOCKS})`, '0')),
  },
  { additionalProperties: false, description: 'What a search found' },
);

/** A search query: block numbers, 64-hex ids and hashes, asset ids (letters, digits and `-_.:~`). */
const Query = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9._:~-]+$', description: 'Block number, transaction id, block hash or asset id' });

async function blockPage(ledger: Ledger, user: FabricUser, before: bigint | undefined, limit: number) {
  const { height } = await chainInfo(ledger, user);
  const top = before === undefined || before > height ? height : before;
  const blocks: BlockView[] = [];
  for (let n = top - 1n; n >= 0n && blocks.length < limit; n--) blocks.push(blockView(await block(ledger, user, n)));
  const oldest = blocks[blocks.length - 1];
  return { height: height.toString(), blocks, ...(oldest && oldest.number !== '0' ? { next: oldest.number } : {}) };
}

/** True when a readable key (`type/part/…`) names the asset: one of its parts is the id. */
function keyNames(key: string, id: string): boolean {
  return key === id || key.split('/').includes(id);
}

type Found = TransactionView & { blockNumber: string };

async function search(ledger: Ledger, user: FabricUser, query: string) {
  const none = { query, blocks: [] as BlockView[], transactions: [] as Found[] };
  const { height } = await chainInfo(ledger, user);
  if (/^(0|[1-9][0-9]{0,18})$/.test(query)) {
    const number = BigInt(query);
    if (number < height) return { ...none, kind: 'block-number' as const, blocks: [blockView(await block(ledger, user, number))] };
  }
  if (/^[0-9a-f]{64}$/.test(query)) {
    const transaction = await transactionById(ledger, user, query);
    if (transaction) return { ...none, kind: 'transaction-id' as const, transactions: [transaction] };
    const found = await blockByHash(ledger, user, query);
    if (found) return { ...none, kind: 'block-hash' as const, blocks: [found] };
  }
  const scannedFrom = height > BigInt(ASSET_SEARCH_BLOCKS) ? height - BigInt(ASSET_SEARCH_BLOCKS) : 0n;
  const transactions: Found[] = [];
  for (let n = height - 1n; n >= scannedFrom; n--) {
    const view = blockView(await block(ledger, user, n));
    for (const tx of view.transactions) if (tx.writes.some((key) => keyNames(key, query))) transactions.push({ ...tx, blockNumber: view.number });
  }
  return { ...none, kind: transactions.length > 0 ? ('asset-id' as const) : ('none' as const), transactions, scannedFrom: scannedFrom.toString() };
}

/** The block whose header hash is `hex`, or undefined (qscc answers an error for an unknown hash). */
async function blockByHash(ledger: Ledger, user: FabricUser, hex: string): Promise<BlockView | undefined> {
  try {
    return blockView(common.Block.deserializeBinary(await ledger.qscc(user, 'GetBlockByHash', Buffer.from(hex, 'hex'))));
  } catch (err) {
    if (err instanceof Error && /no such block hash/.test(err.message + JSON.stringify((err as { details?: unknown }).details ?? ''))) return undefined;
    throw err;
  }
}

export const ledgerBrowseRoutes: RouteModule = (app, { ledger }) => {
  app.get(
    '/ledger/blocks',
    {
      schema: {
        tags,
        summary: 'The newest blocks, a page at a time (newest first)',
        querystring: Type.Object(
          {
            before: Type.Optional(Type.String({ pattern: '^(0|[1-9][0-9]{0,18})$', description: 'Only blocks numbered below this (the `next` of the previous page)' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_BLOCK_PAGE, default: 10, description: `How many blocks per page (1 to ${MAX_BLOCK_PAGE}; default 10)` })),
          },
          { additionalProperties: false },
        ),
        response: { 200: BlockPage },
      },
    },
    async (request) => {
      const { before, limit } = request.query as { before?: string; limit?: number };
      return blockPage(ledger, requireRole(request, LEDGER_ROLES), before === undefined ? undefined : BigInt(before), limit ?? 10);
    },
  );

  app.get(
    '/ledger/search',
    {
      schema: {
        tags,
        summary: `Find a block by number or header hash, a transaction by id, or the transactions of the last ${ASSET_SEARCH_BLOCKS} blocks that wrote an asset`,
        querystring: Type.Object({ q: Query }, { additionalProperties: false }),
        response: { 200: SearchResult },
      },
    },
    async (request) => search(ledger, requireRole(request, LEDGER_ROLES), (request.query as { q: string }).q),
  );
};
