/**
 * Collects what a simulation read and wrote and builds the rwsets (Fabric's
 * `rwsetutil.RWSetBuilder`): namespaces, keys and collections sorted, range queries in first-use
 * order, last read/write of a key wins, collection hashed rwsets with `pvt_rwset_hash`.
 */
import { createHash } from 'node:crypto';
import { ledger } from '@hyperledger/fabric-protos';
import type { Version } from '../ledger';
import { toKvVersion } from '@healthledger/fabric-core/protos';
import { sortedKeys } from './keys';

const kv = ledger.rwset.kvrwset;
type KVRead = ledger.rwset.kvrwset.KVRead;

function sha256(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest();
}

/** A `KVRead`; no version when the key did not exist. */
export function kvRead(key: string, version: Version | undefined): KVRead {
  const read = new kv.KVRead();
  read.setKey(key);
  if (version) read.setVersion(toKvVersion(version));
  return read;
}

function kvWrite(key: string, value: Uint8Array | undefined): ledger.rwset.kvrwset.KVWrite {
  const write = new kv.KVWrite();
  write.setKey(key);
  // An empty value is a delete, as in Fabric's newKVWrite.
  if (value && value.length > 0) write.setValue(value);
  else write.setIsDelete(true);
  return write;
}

function metadataEntries(metadata: ReadonlyMap<string, Uint8Array>): ledger.rwset.kvrwset.KVMetadataEntry[] {
  return sortedKeys(metadata).map((name) => {
    const entry = new kv.KVMetadataEntry();
    entry.setName(name);
    entry.setValue(metadata.get(name) as Uint8Array);
    return entry;
  });
}

function metadataWrite(key: string, metadata: ReadonlyMap<string, Uint8Array>): ledger.rwset.kvrwset.KVMetadataWrite {
  const write = new kv.KVMetadataWrite();
  write.setKey(key);
  write.setEntriesList(metadataEntries(metadata));
  return write;
}

interface CollectionRw {
  hashedReads: Map<string, Version | undefined>;
  /** key → value (undefined = delete), plus the purge flag for the hashed write. */
  writes: Map<string, { value: Uint8Array | undefined; purge: boolean }>;
  metadataWrites: Map<string, ReadonlyMap<string, Uint8Array>>;
}

interface NamespaceRw {
  reads: Map<string, Version | undefined>;
  rangeQueries: Map<string, ledger.rwset.kvrwset.RangeQueryInfo>;
  writes: Map<string, Uint8Array | undefined>;
  metadataWrites: Map<string, ReadonlyMap<string, Uint8Array>>;
  collections: Map<string, CollectionRw>;
}

/** The two outputs of a simulation. */
export interface SimulationResults {
  /** Goes into the proposal response (and the block). */
  publicRwset: ledger.rwset.TxReadWriteSet;
  /** Private writes, kept off-chain; undefined when the transaction wrote no private data. */
  pvtRwset: ledger.rwset.TxPvtReadWriteSet | undefined;
}

/** Accumulates one transaction's reads and writes across all namespaces it touches. */
export class RWSetBuilder {
  private readonly namespaces = new Map<string, NamespaceRw>();

  private ns(name: string): NamespaceRw {
    let ns = this.namespaces.get(name);
    if (!ns) {
      ns = { reads: new Map(), rangeQueries: new Map(), writes: new Map(), metadataWrites: new Map(), collections: new Map() };
      this.namespaces.set(name, ns);
    }
    return ns;
  }

  private coll(ns: string, name: string): CollectionRw {
    const namespace = this.ns(ns);
    let coll = namespace.collections.get(name);
    if (!coll) {
      coll = { hashedReads: new Map(), writes: new Map(), metadataWrites: new Map() };
      namespace.collections.set(name, coll);
    }
    return coll;
  }

  addRead(ns: string, key: string, version: Version | undefined): void {
    this.ns(ns).reads.set(key, version);
  }

  /** Identical (start, end, exhausted) scans are recorded once, in first-use order. */
  addRangeQuery(ns: string, info: ledger.rwset.kvrwset.RangeQueryInfo): void {
    const id = JSON.stringify([info.getStartKey(), info.getEndKey(), info.getItrExhausted()]);
    const queries = this.ns(ns).rangeQueries;
    if (!queries.has(id)) queries.set(id, info);
  }

  addWrite(ns: string, key: string, value: Uint8Array | undefined): void {
    this.ns(ns).writes.set(key, value);
  }

  addMetadataWrite(ns: string, key: string, metadata: ReadonlyMap<string, Uint8Array>): void {
    this.ns(ns).metadataWrites.set(key, metadata);
  }

  addHashedRead(ns: string, coll: string, key: string, version: Version | undefined): void {
    this.coll(ns, coll).hashedReads.set(key, version);
  }

  addPrivateWrite(ns: string, coll: string, key: string, value: Uint8Array | undefined, purge = false): void {
    this.coll(ns, coll).writes.set(key, { value: value && value.length > 0 ? value : undefined, purge });
  }

  addPrivateMetadataWrite(ns: string, coll: string, key: string, metadata: ReadonlyMap<string, Uint8Array>): void {
    this.coll(ns, coll).metadataWrites.set(key, metadata);
  }

  /** Builds both rwsets. */
  build(): SimulationResults {
    const publicRwset = new ledger.rwset.TxReadWriteSet();
    publicRwset.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
    const pvtRwset = new ledger.rwset.TxPvtReadWriteSet();
    pvtRwset.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
    for (const nsName of sortedKeys(this.namespaces)) {
      const ns = this.namespaces.get(nsName) as NamespaceRw;
      const nsRw = new ledger.rwset.NsReadWriteSet();
      nsRw.setNamespace(nsName);
      nsRw.setRwset(this.publicKvRwset(ns).serializeBinary());
      const nsPvt = new ledger.rwset.NsPvtReadWriteSet();
      nsPvt.setNamespace(nsName);
      for (const collName of sortedKeys(ns.collections)) {
        const coll = ns.collections.get(collName) as CollectionRw;
        const hashed = new ledger.rwset.CollectionHashedReadWriteSet();
        hashed.setCollectionName(collName);
        hashed.setHashedRwset(hashedRwset(coll).serializeBinary());
        if (coll.writes.size > 0 || coll.metadataWrites.size > 0) {
          const pvtBytes = privateKvRwset(coll).serializeBinary();
          hashed.setPvtRwsetHash(sha256(pvtBytes));
          const collPvt = new ledger.rwset.CollectionPvtReadWriteSet();
          collPvt.setCollectionName(collName);
          collPvt.setRwset(pvtBytes);
          nsPvt.addCollectionPvtRwset(collPvt);
        }
        nsRw.addCollectionHashedRwset(hashed);
      }
      publicRwset.addNsRwset(nsRw);
      if (nsPvt.getCollectionPvtRwsetList().length > 0) pvtRwset.addNsPvtRwset(nsPvt);
    }
    return { publicRwset, pvtRwset: pvtRwset.getNsPvtRwsetList().length > 0 ? pvtRwset : undefined };
  }

  private publicKvRwset(ns: NamespaceRw): ledger.rwset.kvrwset.KVRWSet {
    const set = new kv.KVRWSet();
    set.setReadsList(sortedKeys(ns.reads).map((key) => kvRead(key, ns.reads.get(key))));
    set.setRangeQueriesInfoList([...ns.rangeQueries.values()]);
    set.setWritesList(sortedKeys(ns.writes).map((key) => kvWrite(key, ns.writes.get(key))));
    set.setMetadataWritesList(
      sortedKeys(ns.metadataWrites).map((key) => metadataWrite(key, ns.metadataWrites.get(key) as ReadonlyMap<string, Uint8Array>)),
    );
    return set;
  }
}

function hashedRwset(coll: CollectionRw): ledger.rwset.kvrwset.HashedRWSet {
  const set = new kv.HashedRWSet();
  set.setHashedReadsList(
    sortedKeys(coll.hashedReads).map((key) => {
      const read = new kv.KVReadHash();
      read.setKeyHash(sha256(key));
      const version = coll.hashedReads.get(key);
      if (version) read.setVersion(toKvVersion(version));
      return read;
    }),
  );
  set.setHashedWritesList(
    sortedKeys(coll.writes).map((key) => {
      const { value, purge } = coll.writes.get(key) as { value: Uint8Array | undefined; purge: boolean };
      const write = new kv.KVWriteHash();
      write.setKeyHash(sha256(key));
      if (value) write.setValueHash(sha256(value));
      else write.setIsDelete(true);
      if (purge) write.setIsPurge(true);
      return write;
    }),
  );
  set.setMetadataWritesList(
    sortedKeys(coll.metadataWrites).map((key) => {
      const write = new kv.KVMetadataWriteHash();
      write.setKeyHash(sha256(key));
      write.setEntriesList(metadataEntries(coll.metadataWrites.get(key) as ReadonlyMap<string, Uint8Array>));
      return write;
    }),
  );
  return set;
}

/** The collection's private `KVRWSet{writes, metadata_writes}`, whose hash is `pvt_rwset_hash`. */
function privateKvRwset(coll: CollectionRw): ledger.rwset.kvrwset.KVRWSet {
  const set = new kv.KVRWSet();
  set.setWritesList(sortedKeys(coll.writes).map((key) => kvWrite(key, coll.writes.get(key)?.value)));
  set.setMetadataWritesList(
    sortedKeys(coll.metadataWrites).map((key) => metadataWrite(key, coll.metadataWrites.get(key) as ReadonlyMap<string, Uint8Array>)),
  );
  return set;
}

