/**
 * Fabric's transaction simulator over the devnet ledger: reads see committed state
 * only (no read-your-writes), every access is recorded for the rwset, and the read-only rules for
 * paginated and private-data queries apply with Fabric's texts.
 */
import { createHash } from 'node:crypto';
import { formatVersion, type Ledger, type Version } from '../ledger';
import { SimulationError, UnsupportedTransactionError } from './errors';
import { ArrayIterator, RangeScanIterator } from './iterators';
import { recordCollectionLookup, recordDefinitionLookup } from './lifecycle';
import { InterestRecorder } from './interest';
import { RWSetBuilder, type SimulationResults } from './rwset-builder';

/** One entry of a key's history, newest first. */
export interface HistoryEntry {
  txId: string;
  value: Buffer;
  isDelete: boolean;
  timestamp: { seconds: bigint; nanos: number };
}

function keyHash(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

function sameVersion(a: Version | undefined, b: Version | undefined): boolean {
  if (!a || !b) return a === b;
  return a.blockNum === b.blockNum && a.txNum === b.txNum;
}

/** Simulates one transaction on one peer (the peer's org decides which private data it holds). */
export class TxSimulator {
  private readonly rw = new RWSetBuilder();
  private readonly scans: Array<{ ns: string; itr: RangeScanIterator }> = [];
  private writePerformed = false;
  private paginatedQueryPerformed = false;
  private pvtQueryPerformed = false;
  private readonly definitionsLooked = new Set<string>();
  private readonly collectionsLooked = new Set<string>();
  /**
   * Committed metadata of public keys written so far, by namespace NUL key (undefined: no such key).
   * Commits wait for the simulation, so it cannot change meanwhile; a key written twice (a value
   * and its key-level policy, as every commissioned pack is) is read from the ledger once.
   */
  private readonly writtenMetadata = new Map<string, ReadonlyMap<string, Buffer> | undefined>();
  private finished: SimulationResults | undefined;
  /** Private reads and the committed metadata of written keys: what the ChaincodeInterest is built from. */
  readonly interest = new InterestRecorder();

  constructor(
    private readonly ledger: Ledger,
    /** Org of the simulating peer: its private store is the one read. */
    private readonly mspId: string,
    readonly txId: string,
  ) {}

  /** `_lifecycle` read of the chaincode's Sequence (once per chaincode per transaction). */
  lookUpDefinition(name: string, version: Version): void {
    if (this.definitionsLooked.has(name)) return;
    this.definitionsLooked.add(name);
    recordDefinitionLookup(this.rw, name, version);
  }

  /** `_lifecycle` reads of a collection lookup (first private-data API use). */
  lookUpCollections(name: string, version: Version): void {
    if (this.collectionsLooked.has(name)) return;
    this.collectionsLooked.add(name);
    recordCollectionLookup(this.rw, name, version);
  }

  getState(ns: string, key: string): Buffer | undefined {
    const entry = this.ledger.state.get(ns, key);
    this.rw.addRead(ns, key, entry?.version);
    return entry?.value;
  }

  /** Metadata reads go through a normal read of the key, so they record a KVRead. */
  getStateMetadata(ns: string, key: string): ReadonlyMap<string, Buffer> {
    const entry = this.ledger.state.get(ns, key);
    this.rw.addRead(ns, key, entry?.version);
    return entry?.metadata ?? new Map();
  }

  setState(ns: string, key: string, value: Uint8Array): void {
    this.checkBeforeWrite();
    this.rw.addWrite(ns, key, value);
    this.notePublicWrite(ns, key);
  }

  deleteState(ns: string, key: string): void {
    this.checkBeforeWrite();
    this.rw.addWrite(ns, key, undefined);
    this.notePublicWrite(ns, key);
  }

  setStateMetadata(ns: string, key: string, metadata: ReadonlyMap<string, Uint8Array>): void {
    this.checkBeforeWrite();
    this.rw.addMetadataWrite(ns, key, metadata);
    this.notePublicWrite(ns, key);
  }

  /** Public range scan, recorded for phantom protection. */
  rangeScan(ns: string, startKey: string, endKey: string): RangeScanIterator {
    const itr = new RangeScanIterator(this.ledger.state.range(ns, startKey, endKey), startKey, endKey, true);
    this.scans.push({ ns, itr });
    return itr;
  }

  /** Paginated public range scan: allowed only in a read-only transaction. */
  rangeScanWithPagination(ns: string, startKey: string, endKey: string, pageSize: number): RangeScanIterator {
    this.beginPaginatedQuery();
    const itr = new RangeScanIterator(this.ledger.state.range(ns, startKey, endKey), startKey, endKey, true, pageSize);
    this.scans.push({ ns, itr });
    return itr;
  }

  /**
   * Private read on this peer. A hashed version that this peer's private copy does not match
   * means the peer is not a member (or missed the data): Fabric fails rather than guess.
   */
  getPrivateData(ns: string, coll: string, key: string): Buffer | undefined {
    const priv = this.ledger.privateStore(this.mspId).get(ns, coll, key);
    const hashed = this.ledger.state.getHashed(ns, coll, keyHash(key));
    if (!sameVersion(hashed?.version, priv?.version)) {
      throw new SimulationError(
        'private data matching public hash version is not available. ' +
          `Public hash version = ${formatVersion(hashed?.version)}, Private data version = ${formatVersion(priv?.version)}`,
      );
    }
    this.rw.addHashedRead(ns, coll, key, hashed?.version);
    // Only a read of the value counts as a private read (Fabric's PrivateReads); a hash read does not.
    this.interest.privateRead(ns, coll);
    return priv?.value;
  }

  /** Hash of a private value from the hashed state: no membership needed. */
  getPrivateDataHash(ns: string, coll: string, key: string): Buffer | undefined {
    const hashed = this.ledger.state.getHashed(ns, coll, keyHash(key));
    this.rw.addHashedRead(ns, coll, key, hashed?.version);
    return hashed?.valueHash;
  }

  getPrivateDataMetadata(ns: string, coll: string, key: string): ReadonlyMap<string, Buffer> {
    const hashed = this.ledger.state.getHashed(ns, coll, keyHash(key));
    this.rw.addHashedRead(ns, coll, key, hashed?.version);
    return hashed?.metadata ?? new Map();
  }

  setPrivateData(ns: string, coll: string, key: string, value: Uint8Array): void {
    this.checkBeforeWrite();
    this.rw.addPrivateWrite(ns, coll, key, value);
    this.notePrivateWrite(ns, coll, key);
  }

  deletePrivateData(ns: string, coll: string, key: string): void {
    this.checkBeforeWrite();
    this.rw.addPrivateWrite(ns, coll, key, undefined);
    this.notePrivateWrite(ns, coll, key);
  }

  purgePrivateData(ns: string, coll: string, key: string): void {
    this.checkBeforeWrite();
    this.rw.addPrivateWrite(ns, coll, key, undefined, true);
    this.notePrivateWrite(ns, coll, key);
  }

  setPrivateDataMetadata(ns: string, coll: string, key: string, metadata: ReadonlyMap<string, Uint8Array>): void {
    this.checkBeforeWrite();
    this.rw.addPrivateMetadataWrite(ns, coll, key, metadata);
    this.notePrivateWrite(ns, coll, key);
  }

  /** As Fabric's checkStateMetadata: a written key's committed metadata decides its policy. */
  private notePublicWrite(ns: string, key: string): void {
    const id = `${ns}\0${key}`;
    let metadata = this.writtenMetadata.get(id);
    if (metadata === undefined && !this.writtenMetadata.has(id)) {
      metadata = this.ledger.state.get(ns, key)?.metadata;
      this.writtenMetadata.set(id, metadata);
    }
    this.interest.write(ns, '', metadata);
  }

  private notePrivateWrite(ns: string, coll: string, key: string): void {
    this.interest.write(ns, coll, this.ledger.state.getHashed(ns, coll, keyHash(key))?.metadata);
  }

  /** Private range scan over this peer's store: read-only transactions only, not recorded. */
  privateRangeScan(ns: string, coll: string, startKey: string, endKey: string): RangeScanIterator {
    this.beginPrivateQuery();
    const records = this.ledger.privateStore(this.mspId).range(ns, coll, startKey, endKey);
    return new RangeScanIterator(records, startKey, endKey, false);
  }

  /** History of a key (valid writes, newest first); not recorded in the rwset. */
  async history(ns: string, key: string): Promise<ArrayIterator<HistoryEntry>> {
    return new ArrayIterator(await this.ledger.history.get(ns, key));
  }

  /** A paginated query (range or rich) starts: only in a read-only transaction, and no writes after it. */
  beginPaginatedQuery(): void {
    if (this.writePerformed) {
      throw new UnsupportedTransactionError(this.txId, 'Paginated queries are supported only in a read-only transaction');
    }
    this.paginatedQueryPerformed = true;
  }

  /** A private-data range or rich query starts: same rule as paginated queries. */
  beginPrivateQuery(): void {
    if (this.writePerformed) {
      throw new UnsupportedTransactionError(this.txId, 'Queries on pvt data is supported only in a read-only transaction');
    }
    this.pvtQueryPerformed = true;
  }

  private checkBeforeWrite(): void {
    if (this.paginatedQueryPerformed) {
      throw new UnsupportedTransactionError(this.txId, 'Transaction has already performed a paginated query. Writes are not allowed');
    }
    if (this.pvtQueryPerformed) {
      throw new UnsupportedTransactionError(this.txId, 'Transaction has already performed queries on pvt data. Writes are not allowed');
    }
    this.writePerformed = true;
  }

  /** Ends the simulation: closes the scans, records their range infos, builds the rwsets. */
  done(): SimulationResults {
    if (!this.finished) {
      for (const { ns, itr } of this.scans) {
        itr.close();
        const info = itr.rangeQueryInfo();
        if (info) this.rw.addRangeQuery(ns, info);
      }
      this.finished = this.rw.build();
    }
    return this.finished;
  }
}
