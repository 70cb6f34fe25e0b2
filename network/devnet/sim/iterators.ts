/**
 * Iterators a simulation hands to the chaincode handler. A public range scan records what it
 * pulled, like Fabric's `resultsItr`: every pulled record is a KVRead in the scan's
 * RangeQueryInfo, `end_key` follows the last pulled key, and reaching the end sets
 * `itr_exhausted` with the requested end key.
 */
import type { Version } from '../ledger';
import { RangeQueryResults, rangeQueryInfo } from './range-query';
import { kvRead } from './rwset-builder';
import type { ledger } from '@hyperledger/fabric-protos';

/** One record of a state scan. */
export interface StateRecord {
  key: string;
  value: Buffer;
  version: Version;
}

/** A pull iterator with a one-record peek (used for bookmarks, which record nothing). */
class Peekable<T> {
  private peeked: IteratorResult<T> | undefined;

  constructor(private readonly source: AsyncIterator<T>) {}

  async next(): Promise<T | undefined> {
    const result = this.peeked ?? (await this.source.next());
    this.peeked = undefined;
    return result.done === true ? undefined : result.value;
  }

  async peek(): Promise<T | undefined> {
    this.peeked ??= await this.source.next();
    return this.peeked.done === true ? undefined : this.peeked.value;
  }

  /** Ends the source (its store iterator is released in the background). */
  close(): void {
    void this.source.return?.(undefined);
  }
}

/** The common shape of every simulation iterator. */
export interface ResultsIterator<T> {
  next(): Promise<T | undefined>;
  close(): void;
}

/** A public (or private, unrecorded) range scan over committed state. */
export class RangeScanIterator implements ResultsIterator<StateRecord> {
  private readonly source: Peekable<StateRecord>;
  private readonly results: RangeQueryResults | undefined;
  private endKey: string;
  private exhausted = false;
  private closed = false;
  private returned = 0;

  /**
   * @param recorded whether to keep phantom-protection bookkeeping (public scans only)
   */
  constructor(
    records: AsyncIterable<StateRecord>,
    readonly startKey: string,
    private readonly requestedEndKey: string,
    recorded: boolean,
    private readonly pageSize = 0,
  ) {
    this.source = new Peekable(records[Symbol.asyncIterator]());
    this.results = recorded ? new RangeQueryResults() : undefined;
    this.endKey = requestedEndKey;
  }

  async next(): Promise<StateRecord | undefined> {
    if (this.closed) return undefined;
    // A paginated scan's database iterator ends after pageSize records (Fabric's requestedLimit).
    const record = this.pageSize > 0 && this.returned >= this.pageSize ? undefined : await this.source.next();
    if (!record) {
      this.exhausted = true;
      this.endKey = this.requestedEndKey;
      return undefined;
    }
    this.returned++;
    this.results?.add(kvRead(record.key, record.version));
    this.endKey = record.key;
    return record;
  }

  /** Key of the next record after what was pulled ('' when none); records nothing. */
  async bookmarkAndClose(): Promise<string> {
    const next = this.closed ? undefined : await this.source.peek();
    this.close();
    return next?.key ?? '';
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.source.close();
  }

  private info: ledger.rwset.kvrwset.RangeQueryInfo | undefined;

  /**
   * The scan's RangeQueryInfo, final once asked for (the simulation asks when it ends);
   * undefined for unrecorded (private) scans.
   */
  rangeQueryInfo(): ledger.rwset.kvrwset.RangeQueryInfo | undefined {
    if (!this.results) return undefined;
    this.info ??= rangeQueryInfo(this.startKey, this.endKey, this.exhausted, this.results.done());
    return this.info;
  }
}

/** A plain iterator over an array (history). */
export class ArrayIterator<T> implements ResultsIterator<T> {
  private index = 0;

  constructor(private readonly items: readonly T[]) {}

  next(): Promise<T | undefined> {
    return Promise.resolve(this.index < this.items.length ? this.items[this.index++] : undefined);
  }

  close(): void {
    this.index = this.items.length;
  }
}
