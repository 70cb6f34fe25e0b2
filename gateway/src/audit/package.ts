/**
 * The audit package: a self-contained JSON file that lets an auditor re-check, offline, that a set
 * of transactions is on the chain. It holds the headers of every block from the first block holding
 * a selected transaction up to the head, the full data (envelopes) of each block holding a selected
 * transaction — Fabric's data hash is a flat SHA-256 over all of a block's envelopes, so there is no
 * smaller proof — and each selected transaction's decoded view. Verification needs nothing but this
 * file: the header hash chain links, the data hashes, and each transaction's presence in its block.
 * What it cannot prove alone is that the head is the network's head: compare `head.currentBlockHash`
 * with `GET /ledger` at another organisation's gateway (docs/design/console.md).
 *
 * No PHI: envelopes carry ids, arguments without PHI (private inputs travel as transient data and
 * private writes as hashes) and the submitters' certificates, as every peer's block store does.
 */
import { createHash } from 'node:crypto';
import { common } from '@hyperledger/fabric-protos';
import { blockHeaderHash } from '@healthledger/fabric-core/crypto';
import { transactionView, type TransactionView } from './blocks';

export const AUDIT_PACKAGE_FORMAT = 'healthledger-audit-package/1';

/** A block header, hashes in hex. */
export interface PackagedHeader {
  number: string;
  previousHash: string;
  dataHash: string;
}

export interface AuditPackage {
  format: typeof AUDIT_PACKAGE_FORMAT;
  channel: string;
  exportedAt: string;
  /** The chain head when exported, as the exporting peer reported it. */
  head: { height: string; currentBlockHash: string };
  headers: PackagedHeader[];
  /** Each block holding a selected transaction: all its envelopes, base64. */
  blocks: { number: string; envelopes: string[] }[];
  /** The selected transactions: where each is, and what the block says of it. */
  transactions: (TransactionView & { blockNumber: string; index: number })[];
}

/** The header and envelopes of one block, as the package takes them. */
export function packagedHeader(block: common.Block): PackagedHeader {
  const header = block.getHeader();
  return {
    number: String(header?.getNumber() ?? 0),
    previousHash: Buffer.from(header?.getPreviousHash_asU8() ?? new Uint8Array()).toString('hex'),
    dataHash: Buffer.from(header?.getDataHash_asU8() ?? new Uint8Array()).toString('hex'),
  };
}

/** A problem the verifier found; `where` names the block or transaction. */
export interface PackageFailure {
  where: string;
  reason: string;
}

export interface PackageVerdict {
  valid: boolean;
  /** Blocks whose header links were checked, transactions found in their blocks. */
  headers: number;
  transactions: number;
  head: string | undefined;
  failures: PackageFailure[];
}

function headerHashOf(header: PackagedHeader): Buffer {
  return blockHeaderHash(BigInt(header.number), Buffer.from(header.previousHash, 'hex'), Buffer.from(header.dataHash, 'hex'));
}

/** Every header links to the one before, and the last is the stated head. */
function checkHeaders(pkg: AuditPackage, failures: PackageFailure[]): Map<string, PackagedHeader> {
  const byNumber = new Map<string, PackagedHeader>();
  let previous: PackagedHeader | undefined;
  for (const header of pkg.headers) {
    if (previous && BigInt(header.number) !== BigInt(previous.number) + 1n) failures.push({ where: `block ${header.number}`, reason: 'NUMBER_GAP' });
    else if (previous && !headerHashOf(previous).equals(Buffer.from(header.previousHash, 'hex'))) failures.push({ where: `block ${header.number}`, reason: 'PREVIOUS_HASH_MISMATCH' });
    byNumber.set(header.number, header);
    previous = header;
  }
  if (!previous) failures.push({ where: 'headers', reason: 'NO_HEADERS' });
  else {
    if (BigInt(previous.number) + 1n !== BigInt(pkg.head.height)) failures.push({ where: `block ${previous.number}`, reason: 'HEAD_HEIGHT_MISMATCH' });
    if (headerHashOf(previous).toString('hex') !== pkg.head.currentBlockHash) failures.push({ where: `block ${previous.number}`, reason: 'CHAIN_HEAD_MISMATCH' });
  }
  return byNumber;
}

/** Each packaged block's envelopes hash to its header's data hash. */
function checkBlocks(pkg: AuditPackage, headers: Map<string, PackagedHeader>, failures: PackageFailure[]): Map<string, Buffer[]> {
  const data = new Map<string, Buffer[]>();
  for (const block of pkg.blocks) {
    const header = headers.get(block.number);
    const envelopes = block.envelopes.map((b64) => Buffer.from(b64, 'base64'));
    if (!header) failures.push({ where: `block ${block.number}`, reason: 'HEADER_MISSING' });
    else if (sha256(envelopes) !== header.dataHash) failures.push({ where: `block ${block.number}`, reason: 'DATA_HASH_MISMATCH' });
    else data.set(block.number, envelopes);
  }
  return data;
}

/** Each selected transaction is the envelope it points at, and the envelope says what the view says. */
function checkTransactions(pkg: AuditPackage, data: Map<string, Buffer[]>, failures: PackageFailure[]): number {
  let found = 0;
  for (const tx of pkg.transactions) {
    const bytes = data.get(tx.blockNumber)?.[tx.index];
    if (!bytes) {
      failures.push({ where: `transaction ${tx.txId}`, reason: 'NOT_IN_A_VERIFIED_BLOCK' });
      continue;
    }
    const decoded = transactionView(common.Envelope.deserializeBinary(bytes), tx.validationCode);
    if (!sameView(decoded, tx)) failures.push({ where: `transaction ${tx.txId}`, reason: 'VIEW_DIFFERS_FROM_ENVELOPE' });
    else found++;
  }
  return found;
}

/** Every field of the decoded view has the claimed value (order-independent). */
function sameView(decoded: TransactionView, claimed: TransactionView): boolean {
  const keys = new Set([...Object.keys(decoded), ...Object.keys(claimed)].filter((key) => key !== 'blockNumber' && key !== 'index'));
  return [...keys].every((key) => JSON.stringify(decoded[key as keyof TransactionView]) === JSON.stringify(claimed[key as keyof TransactionView]));
}

function sha256(parts: readonly Uint8Array[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
}

/** Re-checks a package offline. The validation codes are not covered by any hash (Fabric keeps them in block metadata). */
export function verifyAuditPackage(pkg: AuditPackage): PackageVerdict {
  const failures: PackageFailure[] = [];
  if (pkg.format !== AUDIT_PACKAGE_FORMAT) return { valid: false, headers: 0, transactions: 0, head: undefined, failures: [{ where: 'format', reason: 'UNKNOWN_FORMAT' }] };
  const headers = checkHeaders(pkg, failures);
  const data = checkBlocks(pkg, headers, failures);
  const transactions = checkTransactions(pkg, data, failures);
  return { valid: failures.length === 0, headers: headers.size, transactions, head: pkg.head.currentBlockHash, failures };
}
