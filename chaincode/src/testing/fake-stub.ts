import { createHash } from 'node:crypto';
import type { ChaincodeStub, Iterators, SerializedIdentity, SplitCompositekey, StateQueryResponse, Timestamp } from 'fabric-shim-api';
import Long from 'long';
import type { InMemoryChannel } from './in-memory-channel';

/** What one simulated transaction did, for commit and for the privacy scan. */
export interface TxEffects {
  writes: Map<string, Uint8Array | null>;
  validationParameters: Map<string, Uint8Array>;
  /** collection → key → value (null = delete, 'purge' = purge) */
  privateWrites: Map<string, Map<string, Uint8Array | null | 'purge'>>;
  event?: { name: string; payload: Uint8Array };
}

const COMPOSITE_NS = '\x00';
const MIN_RUNE = '\u0000';
const MAX_RUNE = '\u{10ffff}';

/** Orders keys by their UTF-8 bytes, as Fabric's Go strings are ordered. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function queryPromise<T>(items: T[], metadata?: { fetchedRecordsCount: number; bookmark: string }, withMetadata = true): Promise<never> & AsyncIterable<T> {
  let i = 0;
  const iterator = {
    next: () => Promise.resolve(i < items.length ? { value: items[i++] as T, done: false } : { value: undefined as unknown as T, done: true }),
    close: () => Promise.resolve(),
  };
  const result = metadata ? (withMetadata ? { iterator, metadata } : { iterator }) : iterator;
  const promise = Promise.resolve(result) as unknown as Promise<never> & AsyncIterable<T>;
  (promise as unknown as Record<symbol, unknown>)[Symbol.asyncIterator] = function* () {
    yield* items;
  };
  return promise;
}

/**
 * A ChaincodeStub that behaves like a Fabric 2.5 peer where contracts can tell the difference:
 * reads see committed state only (no read-your-writes), keys are ordered by UTF-8 bytes,
 * paginated queries and writes exclude each other, private data is readable only on member
 * peers, transient data is never stored, and only the last event counts.
 */
export class FakeStub implements ChaincodeStub {
  readonly effects: TxEffects = { writes: new Map(), validationParameters: new Map(), privateWrites: new Map() };
  private paginated = false;

  constructor(
    private readonly ledger: InMemoryChannel,
    private readonly txId: string,
    private readonly creator: SerializedIdentity,
    /** The MSP of the peer this simulation runs on. */
    private readonly peerMsp: string,
    private readonly fcn: string,
    private readonly params: string[],
    private readonly transient: Map<string, Uint8Array>,
    private readonly epochMs: number,
  ) {}

  getArgs(): string[] {
    return [this.fcn, ...this.params];
  }
  getStringArgs(): string[] {
    return this.getArgs();
  }
  getFunctionAndParameters(): { params: string[]; fcn: string } {
    return { fcn: this.fcn, params: this.params };
  }
  getTxID(): string {
    return this.txId;
  }
  getChannelID(): string {
    return this.ledger.channel;
  }
  getCreator(): SerializedIdentity {
    return this.creator;
  }
  getMspID(): string {
    return this.peerMsp;
  }
  getTransient(): Map<string, Uint8Array> {
    return this.transient;
  }
  getSignedProposal(): never {
    throw new Error('getSignedProposal is not supported by the test stub');
  }
  getTxTimestamp(): Timestamp {
    return { seconds: Long.fromNumber(Math.floor(this.epochMs / 1000)), nanos: (this.epochMs % 1000) * 1_000_000 };
  }
  getDateTimestamp(): Date {
    return new Date(this.epochMs);
  }
  getBinding(): string {
    return '';
  }

  getState(key: string): Promise<Uint8Array> {
    return Promise.resolve(this.ledger.committedValue(key) ?? new Uint8Array(0));
  }
  putState(key: string, value: Uint8Array): Promise<void> {
    this.assertWritable();
    if (!key) return Promise.reject(new Error('key must not be an empty string'));
    this.effects.writes.set(key, value.length === 0 ? null : Buffer.from(value));
    return Promise.resolve();
  }
  deleteState(key: string): Promise<void> {
    this.assertWritable();
    this.effects.writes.set(key, null);
    return Promise.resolve();
  }
  setStateValidationParameter(key: string, ep: Uint8Array): Promise<void> {
    this.assertWritable();
    this.effects.validationParameters.set(key, Buffer.from(ep));
    return Promise.resolve();
  }
  getStateValidationParameter(key: string): Promise<Uint8Array> {
    return Promise.resolve(this.ledger.validationParameter(key) ?? new Uint8Array(0));
  }

  getStateByRange(startKey: string, endKey: string): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    return queryPromise(this.ledger.range(startKey || '\x01', endKey));
  }
  getStateByRangeWithPagination(startKey: string, endKey: string, pageSize: number, bookmark?: string): Promise<StateQueryResponse<Iterators.StateQueryIterator>> & AsyncIterable<Iterators.KV> {
    return this.paginate(startKey || '\x01', endKey, pageSize, bookmark);
  }
  getStateByPartialCompositeKey(objectType: string, attributes: string[]): Promise<Iterators.StateQueryIterator> & AsyncIterable<Iterators.KV> {
    const start = this.createCompositeKey(objectType, attributes);
    return queryPromise(this.ledger.range(start, start + MAX_RUNE));
  }
  getStateByPartialCompositeKeyWithPagination(objectType: string, attributes: string[], pageSize: number, bookmark?: string): Promise<StateQueryResponse<Iterators.StateQueryIterator>> & AsyncIterable<Iterators.KV> {
    const start = this.createCompositeKey(objectType, attributes);
    return this.paginate(start, start + MAX_RUNE, pageSize, bookmark);
  }
  getQueryResult(): never {
    throw new Error('GET_QUERY_RESULT failed: transaction ID: ' + this.txId + ': ExecuteQuery not supported for leveldb');
  }
  getQueryResultWithPagination(): never {
    throw new Error('GET_QUERY_RESULT failed: transaction ID: ' + this.txId + ': ExecuteQueryWithMetadata not supported for leveldb');
  }
  getHistoryForKey(key: string): Promise<Iterators.HistoryQueryIterator> & AsyncIterable<Iterators.KeyModification> {
    return queryPromise(this.ledger.history(key));
  }
  invokeChaincode(): never {
    throw new Error('invokeChaincode is not supported by the test stub');
  }
  setEvent(name: string, payload: Uint8Array): void {
    if (!name) throw new Error('Event name must be a non-empty string');
    this.effects.event = { name, payload: Buffer.from(payload) };
  }

  createCompositeKey(objectType: string, attributes: string[]): string {
    return COMPOSITE_NS + objectType + MIN_RUNE + attributes.map((a) => a + MIN_RUNE).join('');
  }
  splitCompositeKey(compositeKey: string): SplitCompositekey {
    const parts = compositeKey.substring(1).split(MIN_RUNE);
    return { objectType: parts[0] ?? '', attributes: parts.slice(1, -1) };
  }

  getPrivateData(collection: string, key: string): Promise<Uint8Array> {
    const col = this.ledger.collection(collection, this.txId);
    if (col.memberOnlyRead && !col.members.includes(this.creator.mspid)) {
      throw new Error(`GET_STATE failed: transaction ID: ${this.txId}: tx creator does not have read access permission on privatedata in chaincodeName:${this.ledger.chaincode} collectionName: ${collection}`);
    }
    return Promise.resolve(this.ledger.privateValue(this.peerMsp, collection, key, this.txId) ?? new Uint8Array(0));
  }
  getPrivateDataHash(collection: string, key: string): Promise<Uint8Array> {
    this.ledger.collection(collection, this.txId);
    return Promise.resolve(this.ledger.privateHash(collection, key) ?? new Uint8Array(0));
  }
  putPrivateData(collection: string, key: string, value: Uint8Array): Promise<void> {
    this.assertPrivateWritable(collection);
    if (value.length === 0) throw new Error('value must not be empty');
    this.privateWritesOf(collection).set(key, Buffer.from(value));
    return Promise.resolve();
  }
  deletePrivateData(collection: string, key: string): Promise<void> {
    this.assertPrivateWritable(collection);
    this.privateWritesOf(collection).set(key, null);
    return Promise.resolve();
  }
  purgePrivateData(collection: string, key: string): Promise<void> {
    this.assertPrivateWritable(collection);
    this.privateWritesOf(collection).set(key, 'purge');
    return Promise.resolve();
  }
  setPrivateDataValidationParameter(): never {
    throw new Error('setPrivateDataValidationParameter is not supported by the test stub');
  }
  getPrivateDataValidationParameter(): never {
    throw new Error('getPrivateDataValidationParameter is not supported by the test stub');
  }
  getPrivateDataByRange(): never {
    throw new Error('private range queries are not supported by the test stub');
  }
  getPrivateDataByPartialCompositeKey(): never {
    throw new Error('private range queries are not supported by the test stub');
  }
  getPrivateDataQueryResult(): never {
    throw new Error('GET_QUERY_RESULT failed: ExecuteQuery not supported for leveldb');
  }

  private paginate(start: string, end: string, pageSize: number, bookmark?: string): Promise<never> & AsyncIterable<Iterators.KV> {
    if (this.effects.writes.size > 0 || this.effects.validationParameters.size > 0) {
      throw new Error(`GET_STATE_BY_RANGE failed: transaction ID: ${this.txId}: txid [${this.txId}]: unsuppored transaction. Paginated queries are supported only in a read-only transaction`);
    }
    this.paginated = true;
    const all = this.ledger.range(bookmark ? bookmark : start, end);
    const page = all.slice(0, pageSize);
    const next = all[pageSize];
    // An empty page carries no metadata at all, as on a real peer.
    if (page.length === 0) return queryPromise(page, { fetchedRecordsCount: 0, bookmark: '' }, false);
    return queryPromise(page, { fetchedRecordsCount: page.length, bookmark: next ? next.key : '' });
  }

  private assertWritable(): void {
    if (this.paginated) {
      throw new Error(`PUT_STATE failed: transaction ID: ${this.txId}: txid [${this.txId}]: unsuppored transaction. Transaction has already performed a paginated query. Writes are not allowed`);
    }
  }

  private assertPrivateWritable(collection: string): void {
    this.assertWritable();
    const col = this.ledger.collection(collection, this.txId);
    if (col.memberOnlyWrite && !col.members.includes(this.creator.mspid)) {
      throw new Error(`PUT_STATE failed: transaction ID: ${this.txId}: tx creator does not have write access permission on privatedata in chaincodeName:${this.ledger.chaincode} collectionName: ${collection}`);
    }
  }

  private privateWritesOf(collection: string): Map<string, Uint8Array | null | 'purge'> {
    let writes = this.effects.privateWrites.get(collection);
    if (!writes) {
      writes = new Map();
      this.effects.privateWrites.set(collection, writes);
    }
    return writes;
  }
}

export function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest();
}
