import type { ChaincodeStub, Iterators } from 'fabric-shim-api';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { fromBytes, toBytes } from './json';
import { DEFAULT_PAGE_SIZE } from '@healthledger/contract-api';

/** Index entries need a non-empty value: Fabric treats an empty value as a delete. */
const INDEX_MARKER = Uint8Array.of(0);

/** One page of a paginated query; `bookmark` is empty when there is nothing more. */
export interface Page<T> {
  items: T[];
  bookmark: string;
}

/**
 * Typed access to world state for one transaction.
 *
 * Fabric does not let a transaction read its own writes; this class keeps the transaction's
 * pending writes and answers point reads (`get`, `exists`) from them first, so a contract that
 * writes then re-reads a key inside one transaction behaves as its author expects. Range and
 * composite-key scans still see committed state only, as on a peer.
 *
 * Values are written as canonical JSON (sorted keys), so every endorser writes identical bytes.
 */
export class LedgerState {
  private readonly pending = new Map<string, Uint8Array | null>();

  constructor(private readonly stub: ChaincodeStub) {}

  /** A composite key `objectType` + attributes, as the shim builds it. */
  key(objectType: string, ...attributes: string[]): string {
    return this.stub.createCompositeKey(objectType, attributes);
  }

  async get<T>(key: string): Promise<T | undefined> {
    const bytes = await this.getBytes(key);
    return bytes ? fromBytes<T>(bytes) : undefined;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.getBytes(key)) !== undefined;
  }

  async put(key: string, value: unknown): Promise<void> {
    const bytes = toBytes(value);
    this.pending.set(key, bytes);
    await this.stub.putState(key, bytes);
  }

  async delete(key: string): Promise<void> {
    this.pending.set(key, null);
    await this.stub.deleteState(key);
  }

  /** Writes an index entry (composite key → marker). */
  async putIndex(objectType: string, ...attributes: string[]): Promise<void> {
    const key = this.key(objectType, ...attributes);
    this.pending.set(key, INDEX_MARKER);
    await this.stub.putState(key, INDEX_MARKER);
  }

  async deleteIndex(objectType: string, ...attributes: string[]): Promise<void> {
    await this.delete(this.key(objectType, ...attributes));
  }

  /**
   * Every entry under a partial composite key, in key order (committed state). For index entries,
   * `attributes` holds the indexed attributes; `value` is undefined for marker values.
   */
  async *scan<T>(objectType: string, ...prefix: string[]): AsyncGenerator<{ key: string; attributes: string[]; value: T | undefined }> {
    const iterator = await this.stub.getStateByPartialCompositeKey(objectType, prefix);
    try {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
        yield this.entryOf<T>(r.value);
      }
    } finally {
      await iterator.close();
    }
  }

  /**
   * The committed keys in `[startKey, endKey)`, composite keys included: one range read (two
   * round trips to the peer, open and close) where a point read per key would take one each.
   * The range goes into the read set, so a key written into it by another transaction before
   * this one commits invalidates this one (Fabric's phantom check), as a point read would.
   */
  async keysInRange(startKey: string, endKey: string): Promise<string[]> {
    const iterator = await compositeRange(this.stub, startKey, endKey);
    const keys: string[] = [];
    try {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) keys.push(r.value.key);
    } finally {
      await iterator.close();
    }
    return keys;
  }

  /** One page under a partial composite key. Only allowed in read-only (evaluated) transactions. */
  async page<T>(objectType: string, prefix: string[], pageSize = DEFAULT_PAGE_SIZE, bookmark = ''): Promise<Page<{ key: string; attributes: string[]; value: T | undefined }>> {
    const { iterator, metadata } = await this.stub.getStateByPartialCompositeKeyWithPagination(objectType, prefix, pageSize, bookmark);
    const items: { key: string; attributes: string[]; value: T | undefined }[] = [];
    try {
      for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
        items.push(this.entryOf<T>(r.value));
      }
    } finally {
      await iterator.close();
    }
    // With an empty page the shim gives no metadata at all (observed on Fabric 2.5).
    return { items, bookmark: metadata?.bookmark ?? '' };
  }

  /** Restricts future writes of `key` to endorsements from every one of `mspIds` (state-based endorsement). */
  async setEndorsers(key: string, mspIds: string[]): Promise<void> {
    await this.stub.setStateValidationParameter(key, endorsementPolicyOf(mspIds));
  }

  /** The organisations a key's state-based endorsement policy requires, or [] if it has none. */
  async endorsers(key: string): Promise<string[]> {
    const bytes = await this.stub.getStateValidationParameter(key);
    if (!bytes || bytes.length === 0) return [];
    return new KeyEndorsementPolicy(Buffer.from(bytes)).listOrgs().sort();
  }

  // --- private data ---------------------------------------------------------------------------

  async getPrivate(collection: string, key: string): Promise<Uint8Array | undefined> {
    const bytes = await this.stub.getPrivateData(collection, key);
    return bytes && bytes.length > 0 ? bytes : undefined;
  }

  async putPrivate(collection: string, key: string, value: Uint8Array): Promise<void> {
    await this.stub.putPrivateData(collection, key, value);
  }

  /** SHA-256 of a private value, readable by any organisation; undefined if absent. */
  async privateHash(collection: string, key: string): Promise<string | undefined> {
    const bytes = await this.stub.getPrivateDataHash(collection, key);
    return bytes && bytes.length > 0 ? Buffer.from(bytes).toString('hex') : undefined;
  }

  /** Removes a private value and its history from every peer (Fabric 2.5 purge). */
  async purgePrivate(collection: string, key: string): Promise<void> {
    await this.stub.purgePrivateData(collection, key);
  }

  private async getBytes(key: string): Promise<Uint8Array | undefined> {
    if (this.pending.has(key)) return this.pending.get(key) ?? undefined;
    const bytes = await this.stub.getState(key);
    return bytes && bytes.length > 0 ? bytes : undefined;
  }

  private entryOf<T>(kv: Iterators.KV): { key: string; attributes: string[]; value: T | undefined } {
    const { attributes } = this.stub.splitCompositeKey(kv.key);
    const isMarker = kv.value.length === 1 && kv.value[0] === 0;
    return { key: kv.key, attributes, value: isMarker ? undefined : fromBytes<T>(kv.value) };
  }
}

/** Policy bytes by organisation list: the same few lists recur on every pack a transaction writes. */
const POLICIES = new Map<string, Uint8Array>();
const MAX_CACHED_POLICIES = 256;

/**
 * The state-based endorsement policy "a peer of every one of `mspIds`", serialised. Building it
 * (a signature policy envelope, protobuf-encoded) was a third of the chaincode's CPU per
 * commissioned pack, for bytes that depend on the list alone; the cache is bounded, since
 * organisation lists come from the ledger's data.
 */
function endorsementPolicyOf(mspIds: readonly string[]): Uint8Array {
  const orgs = [...new Set(mspIds)].sort();
  const id = orgs.join('\n');
  let bytes = POLICIES.get(id);
  if (!bytes) {
    const policy = new KeyEndorsementPolicy();
    policy.addOrgs('PEER', ...orgs);
    bytes = policy.getPolicy();
    if (POLICIES.size >= MAX_CACHED_POLICIES) POLICIES.clear();
    POLICIES.set(id, bytes);
  }
  return bytes;
}

/** fabric-shim's stub carries the handler that speaks to the peer (not part of fabric-shim-api's types). */
interface ShimHandler {
  handleGetStateByRange(collection: string, startKey: string, endKey: string, channelId: string, txId: string): Promise<{ iterator: Iterators.StateQueryIterator }>;
}

/**
 * A range read between two composite keys. fabric-shim's `getStateByRange` refuses composite
 * keys on the client side only (the peer serves any range: `getStateByPartialCompositeKey` is
 * this same request over a prefix), so with fabric-shim the request goes to its handler exactly
 * as `getStateByPartialCompositeKey` sends it; other stubs (the unit tests') take the range as is.
 */
async function compositeRange(stub: ChaincodeStub, startKey: string, endKey: string): Promise<Iterators.StateQueryIterator> {
  const handler = (stub as ChaincodeStub & { handler?: Partial<ShimHandler> }).handler;
  if (typeof handler?.handleGetStateByRange !== 'function') return stub.getStateByRange(startKey, endKey);
  const { iterator } = await handler.handleGetStateByRange('', startKey, endKey, stub.getChannelID(), stub.getTxID());
  return iterator;
}

/** The implicit private data collection of an organisation. */
export function implicitCollection(mspId: string): string {
  return `_implicit_org_${mspId}`;
}
