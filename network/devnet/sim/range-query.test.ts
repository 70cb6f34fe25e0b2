import { createHash } from 'node:crypto';
import { ledger } from '@hyperledger/fabric-protos';
import { RangeQueryResults, rangeQueryInfo, rangeQueryReadsMatch } from './range-query';
import { kvRead } from './rwset-builder';

const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();

function reads(n: number): ledger.rwset.kvrwset.KVRead[] {
  return Array.from({ length: n }, (_, i) => kvRead(`k${String(i).padStart(5, '0')}`, { blockNum: 1n, txNum: i }));
}

/** SHA-256 of `QueryReads{kv_reads}` for each batch of 51 consecutive reads. */
function batchHashes(all: ledger.rwset.kvrwset.KVRead[]): Buffer[] {
  const hashes: Buffer[] = [];
  for (let i = 0; i < all.length; i += 51) {
    const batch = new ledger.rwset.kvrwset.QueryReads();
    batch.setKvReadsList(all.slice(i, i + 51));
    hashes.push(sha256(batch.serializeBinary()));
  }
  return hashes;
}

function summarize(all: ledger.rwset.kvrwset.KVRead[]) {
  const results = new RangeQueryResults();
  all.forEach((r) => results.add(r));
  return results.done();
}

describe('RangeQueryResults (Fabric merkle summary, max_degree 50)', () => {
  it('keeps up to 50 reads raw', () => {
    expect(summarize(reads(50)).rawReads).toHaveLength(50);
    expect(summarize([])).toEqual({});
  });

  it('51 × 51 reads fold into one level-2 hash', () => {
    const all = reads(51 * 51);
    const summary = summarize(all).merkleSummary;
    expect(summary?.getMaxLevel()).toBe(2);
    expect(summary?.getMaxLevelHashesList_asU8().map((h) => Buffer.from(h))).toEqual([sha256(Buffer.concat(batchHashes(all)))]);
  });

  it('a single leftover level-1 hash is promoted as is', () => {
    const all = reads(51 * 51 + 10);
    const hashes = batchHashes(all);
    const summary = summarize(all).merkleSummary;
    expect(summary?.getMaxLevel()).toBe(2);
    expect(summary?.getMaxLevelHashesList_asU8().map((h) => Buffer.from(h))).toEqual([sha256(Buffer.concat(hashes.slice(0, 51))), hashes[51]]);
  });

  it('rangeQueryReadsMatch compares versions too', () => {
    const all = reads(3);
    const info = rangeQueryInfo('k', 'l', true, summarize(all));
    expect(rangeQueryReadsMatch(info, all)).toBe(true);
    expect(rangeQueryReadsMatch(info, [all[0], all[1], kvRead('k00002', { blockNum: 2n, txNum: 0 })] as ledger.rwset.kvrwset.KVRead[])).toBe(false);
    expect(rangeQueryReadsMatch(info, all.slice(0, 2))).toBe(false);
  });
});
