/**
 * `POST /ledger/audit-package`: exports the audit package (audit/package.ts) for a set of
 * transactions, for `node scripts/verify-audit-package.js` to re-check offline. Auditors and admins,
 * like every qscc view.
 */
import { Type } from '@sinclair/typebox';
import type { RouteModule } from './context';
import { requireRole } from '../auth/principal';
import { HttpProblem } from '../errors/problem';
import { AUDIT_PACKAGE_FORMAT, packagedHeader, type AuditPackage } from '../audit/package';
import type { Ledger } from '../fabric/ledger';
import type { FabricUser } from '../fabric/wallet';
import { block, chainInfo, Decimal, Hex, LEDGER_ROLES, MAX_VERIFY_BLOCKS, Transaction, transactionById } from './ledger';
import { blockView } from '../audit/blocks';

/** Transactions per package: each brings its whole block. */
export const MAX_PACKAGE_TRANSACTIONS = 50;

const TX_ID = '9b2e61f0c4d84a3f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c6b5a4938271';
/** Example block hashes (the documented shape: SHA-256, hex). */
const HASHES = ['1', '2', '3', '4', '5'].map((d) => d.repeat(64));
/** An envelope's bytes as the package carries them (base64 of a protobuf Envelope; shortened). */
const ENVELOPE = 'CtsHCmgIAxoMCOKzwroGEMCv1JUCIg1oZWFsdGhjaGFubmVs';
const Header = Type.Object(
  { number: Decimal('Block number', '7'), previousHash: Hex("The previous block's header hash"), dataHash: Hex("SHA-256 of the block's envelopes") },
  { additionalProperties: false },
);
const Package = Type.Object(
  {
    format: Type.Literal(AUDIT_PACKAGE_FORMAT, { description: 'The package format and its version: what the verifier script reads' }),
    channel: Type.String({ description: 'The channel whose blocks the package carries', examples: ['healthchannel'] }),
    exportedAt: Type.String({ description: 'When the gateway built the package (ISO 8601 UTC)', examples: ['2026-12-05T10:15:00.000Z'] }),
    head: Type.Object(
      { height: Decimal('Chain height when exported', '42'), currentBlockHash: Hex("The head block's header hash, to compare with another organisation's `GET /ledger`") },
      { additionalProperties: false, description: 'The chain head when the package was built: the verified headers chain up to it' },
    ),
    headers: Type.Array(Header, { description: 'Every block header from the oldest selected transaction to the head' }),
    blocks: Type.Array(
      Type.Object(
        {
          number: Decimal('Block number', '7'),
          envelopes: Type.Array(Type.String({ contentEncoding: 'base64', description: 'One envelope: its protobuf bytes, base64', examples: [ENVELOPE] }), {
            description: "All of the block's envelopes (the data hash covers them all)",
          }),
        },
        { additionalProperties: false },
      ),
      { description: 'Each block holding a selected transaction, whole, so its data hash can be recomputed' },
    ),
    transactions: Type.Array(
      Type.Object({ ...Transaction.properties, blockNumber: Decimal('Its block', '7'), index: Type.Integer({ minimum: 0, description: 'Its position in the block', examples: [0] }) }, { additionalProperties: false }),
      { description: 'The selected transactions, decoded, each with its block number and position in the block' },
    ),
  },
  {
    additionalProperties: false,
    description: 'An audit package (format healthledger-audit-package/1); verify with `node scripts/verify-audit-package.js FILE`',
    examples: [
      {
        format: AUDIT_PACKAGE_FORMAT,
        channel: 'healthchannel',
        exportedAt: '2026-12-05T10:15:00.000Z',
        head: { height: '9', currentBlockHash: HASHES[2] },
        headers: [
          { number: '7', previousHash: HASHES[0], dataHash: HASHES[3] },
          { number: '8', previousHash: HASHES[1], dataHash: HASHES[4] },
        ],
        blocks: [{ number: '7', envelopes: [ENVELOPE] }],
        transactions: [
          {
            txId: TX_ID,
            type: 'ENDORSER_TRANSACTION',
            timestamp: '2026-12-05T10:14:58.000Z',
            creatorMspId: 'Hospital1MSP',
            creatorRole: 'clinician',
            chaincode: 'healthledger',
            function: 'records:createRecord',
            validationCode: 0,
            validation: 'VALID',
            writes: ['record/rec-7f3a', 'patient~record/pt-0c5f1a9e/rec-7f3a'],
            blockNumber: '7',
            index: 0,
          },
        ],
      },
    ],
  },
);

async function buildPackage(ledger: Ledger, user: FabricUser, txIds: readonly string[]): Promise<AuditPackage> {
  const info = await chainInfo(ledger, user);
  const transactions: AuditPackage['transactions'] = [];
  const blocks = new Map<string, string[]>();
  for (const txId of new Set(txIds)) {
    const found = await transactionById(ledger, user, txId);
    if (!found) throw new HttpProblem('TRANSACTION_NOT_FOUND', `No transaction ${txId}`);
    const containing = await block(ledger, user, BigInt(found.blockNumber));
    const envelopes = containing.getData()?.getDataList_asU8() ?? [];
    const view = blockView(containing);
    const index = view.transactions.findIndex((tx) => tx.txId === txId);
    // GetTransactionByID answers the valid copy; its view from the block carries the same fields.
    transactions.push({ ...(view.transactions[index] ?? found), blockNumber: found.blockNumber, index });
    blocks.set(found.blockNumber, envelopes.map((bytes) => Buffer.from(bytes).toString('base64')));
  }
  const from = [...blocks.keys()].map(BigInt).reduce((a, b) => (b < a ? b : a));
  if (info.height - from > BigInt(MAX_VERIFY_BLOCKS)) throw new HttpProblem('RANGE_TOO_LARGE', `A package spans at most ${MAX_VERIFY_BLOCKS} blocks up to the head`);
  const headers = [];
  for (let n = from; n < info.height; n++) headers.push(packagedHeader(await block(ledger, user, n)));
  return {
    format: AUDIT_PACKAGE_FORMAT,
    channel: ledger.channel,
    exportedAt: new Date().toISOString(),
    head: { height: info.height.toString(), currentBlockHash: info.currentBlockHash.toString('hex') },
    headers,
    blocks: [...blocks].map(([number, envelopes]) => ({ number, envelopes })),
    transactions,
  };
}

export const auditPackageRoutes: RouteModule = (app, { ledger }) => {
  app.post(
    '/ledger/audit-package',
    {
      schema: {
        tags: ['ledger'],
        summary: 'Export an audit package (block headers to the head plus the selected transactions and their blocks) for offline verification',
        body: Type.Object(
          {
            txIds: Type.Array(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'A transaction id (64 hex characters)' }), {
              minItems: 1,
              maxItems: MAX_PACKAGE_TRANSACTIONS,
              description: `The transactions to package (1 to ${MAX_PACKAGE_TRANSACTIONS}); each brings its whole block`,
              examples: [[TX_ID]],
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Package },
      },
    },
    async (request) => buildPackage(ledger, requireRole(request, LEDGER_ROLES), (request.body as { txIds: string[] }).txIds),
  );
};
