/**
 * Range-query bookkeeping for phantom-read protection (Fabric's
 * `rwsetutil.RangeQueryResultsHelper` and its Merkle tree). The simulator records what a scan
 * pulled; the committer re-runs the scan over committed state and calls
 * {@link rangeQueryReadsMatch} to decide PHANTOM_READ_CONFLICT.
 */
import { createHash } from 'node:crypto';
import { ledger } from '@hyperledger/fabric-protos';

type KVRead = ledger.rwset.kvrwset.KVRead;
type QueryReadsMerkleSummary = ledger.rwset.kvrwset.QueryReadsMerkleSummary;

/** Fabric's `maxDegree` for range-query Merkle summaries (core.yaml default). */
export const RANGE_QUERY_MAX_DEGREE = 50;

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

function combinedHash(hashes: readonly Buffer[]): Buffer {
  return sha256(Buffer.concat(hashes));
}

/** Fabric's `merkleTree`: level 1 holds hashes of read batches; full levels fold upward. */
class MerkleTree {
  private readonly levels = new Map<number, Buffer[]>();
  maxLevel = 1;

  constructor(private readonly maxDegree: number) {}

  private hashesAt(level: number): Buffer[] {
    let hashes = this.levels.get(level);
    if (!hashes) {
      hashes = [];
      this.levels.set(level, hashes);
    }
    return hashes;
  }

  update(leafHash: Buffer): void {
    this.hashesAt(1).push(leafHash);
    let level = 1;
    for (;;) {
      const hashes = this.hashesAt(level);
      if (hashes.length <= this.maxDegree) return;
      const up = combinedHash(hashes);
      this.levels.delete(level);
      level++;
      this.hashesAt(level).push(up);
      if (level > this.maxLevel) this.maxLevel = level;
    }
  }

  isEmpty(): boolean {
    return this.maxLevel === 1 && this.hashesAt(1).length === 0;
  }

  /** Folds the lower levels into the top one, as Fabric's `done()`. */
  done(): void {
    for (let level = 1; level < this.maxLevel; level++) {
      const hashes = this.hashesAt(level);
      if (hashes.length === 0) continue;
      const h = hashes.length === 1 ? (hashes[0] as Buffer) : combinedHash(hashes);
      this.levels.delete(level);
      this.hashesAt(level + 1).push(h);
    }
    const top = this.hashesAt(this.maxLevel);
    if (top.length > this.maxDegree) {
      this.levels.delete(this.maxLevel);
      this.maxLevel++;
      this.levels.set(this.maxLevel, [combinedHash(top)]);
    }
  }

  summary(): QueryReadsMerkleSummary {
    const summary = new ledger.rwset.kvrwset.QueryReadsMerkleSummary();
    summary.setMaxDegree(this.maxDegree);
    summary.setMaxLevel(this.maxLevel);
    summary.setMaxLevelHashesList(this.hashesAt(this.maxLevel));
    return summary;
  }
}

/** The reads of one scan, either raw or (more than `maxDegree` of them) as a Merkle summary. */
export interface RangeQueryReads {
  rawReads?: KVRead[];
  merkleSummary?: QueryReadsMerkleSummary;
}

/**
 * Accumulates the KVReads of one scan in the order they were pulled. Every batch of
 * `maxDegree + 1` reads is serialized as `QueryReads` and hashed into the tree.
 */
export class RangeQueryResults {
  private pending: KVRead[] = [];
  private readonly tree: MerkleTree;

  constructor(private readonly maxDegree = RANGE_QUERY_MAX_DEGREE) {
    this.tree = new MerkleTree(maxDegree);
  }

  add(read: KVRead): void {
    this.pending.push(read);
    if (this.pending.length > this.maxDegree) this.hashPending();
  }

  private hashPending(): void {
    const batch = new ledger.rwset.kvrwset.QueryReads();
    batch.setKvReadsList(this.pending);
    this.pending = [];
    this.tree.update(sha256(batch.serializeBinary()));
  }

  /** Ends the scan. Raw reads when nothing was hashed yet, else the Merkle summary. */
  done(): RangeQueryReads {
    if (this.tree.isEmpty()) return this.pending.length > 0 ? { rawReads: this.pending } : {};
    if (this.pending.length > 0) this.hashPending();
    this.tree.done();
    return { merkleSummary: this.tree.summary() };
  }
}

/** Builds the `RangeQueryInfo` of a finished scan. */
export function rangeQueryInfo(
  startKey: string,
  endKey: string,
  itrExhausted: boolean,
  reads: RangeQueryReads,
): ledger.rwset.kvrwset.RangeQueryInfo {
  const info = new ledger.rwset.kvrwset.RangeQueryInfo();
  info.setStartKey(startKey);
  info.setEndKey(endKey);
  info.setItrExhausted(itrExhausted);
  if (reads.rawReads) {
    const raw = new ledger.rwset.kvrwset.QueryReads();
    raw.setKvReadsList(reads.rawReads);
    info.setRawReads(raw);
  } else if (reads.merkleSummary) {
    info.setReadsMerkleHashes(reads.merkleSummary);
  }
  return info;
}

/**
 * True when `reads` — the committer's re-run of `info`'s scan over current state, from
 * `start_key` to `end_key` (end inclusive unless `itr_exhausted`) — yields exactly what the
 * simulation recorded: same keys, versions and count, or the same Merkle summary.
 */
export function rangeQueryReadsMatch(info: ledger.rwset.kvrwset.RangeQueryInfo, reads: readonly KVRead[]): boolean {
  const summary = info.getReadsMerkleHashes();
  const results = new RangeQueryResults(summary ? summary.getMaxDegree() : RANGE_QUERY_MAX_DEGREE);
  for (const read of reads) results.add(read);
  const now = results.done();
  if (summary) {
    if (!now.merkleSummary) return false;
    return Buffer.from(now.merkleSummary.serializeBinary()).equals(Buffer.from(summary.serializeBinary()));
  }
  if (now.merkleSummary) return false;
  const recorded = info.getRawReads()?.getKvReadsList() ?? [];
  const actual = now.rawReads ?? [];
  return (
    recorded.length === actual.length &&
    recorded.every((r, i) => Buffer.from(r.serializeBinary()).equals(Buffer.from((actual[i] as KVRead).serializeBinary())))
  );
}
