import { createHash } from 'node:crypto';
import { common, ledger, peer } from '@hyperledger/fabric-protos';
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { blockHeaderHash } from '@healthledger/fabric-core/crypto';

/*
 * Builds realistic blocks for ledger tests: endorser transactions wrapped exactly as in a Fabric
 * block (Envelope → Payload → Transaction → ChaincodeActionPayload → ProposalResponsePayload →
 * ChaincodeAction → TxReadWriteSet), private write sets with matching `pvt_rwset_hash`, hash chain
 * and TRANSACTIONS_FILTER. Signatures are left empty: the ledger does not verify them.
 */

type Bytes = string | Uint8Array;

const bytes = (value: Bytes): Uint8Array => (typeof value === 'string' ? Buffer.from(value, 'utf8') : value);
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest();

/** A public write; `value` undefined (or `delete`) makes it a delete. */
export interface TestWrite {
  readonly key: string;
  readonly value?: Bytes;
  readonly delete?: boolean;
}

/** A metadata write; an empty `entries` removes the metadata. */
export interface TestMetadataWrite {
  readonly key: string;
  readonly entries: Readonly<Record<string, Bytes>>;
}

/** A private write; `purge` yields a private delete plus a hashed write with `is_purge`. */
export interface TestPrivateWrite extends TestWrite {
  readonly purge?: boolean;
}

export interface TestCollection {
  readonly name: string;
  readonly writes?: readonly TestPrivateWrite[];
  readonly metadataWrites?: readonly TestMetadataWrite[];
}

export interface TestNamespace {
  readonly namespace: string;
  readonly writes?: readonly TestWrite[];
  readonly metadataWrites?: readonly TestMetadataWrite[];
  readonly collections?: readonly TestCollection[];
}

export interface TestTx {
  readonly txId: string;
  readonly namespaces?: readonly TestNamespace[];
  /** Validation code for TRANSACTIONS_FILTER (default 0, VALID). */
  readonly code?: number;
  readonly timestamp?: { readonly seconds: number; readonly nanos: number };
}

function metadataEntries(entries: Readonly<Record<string, Bytes>>): ledger.rwset.kvrwset.KVMetadataEntry[] {
  return Object.keys(entries)
    .sort()
    .map((name) => {
      const entry = new ledger.rwset.kvrwset.KVMetadataEntry();
      entry.setName(name);
      entry.setValue(bytes(entries[name] ?? ''));
      return entry;
    });
}

function kvWrite(w: TestWrite): ledger.rwset.kvrwset.KVWrite {
  const write = new ledger.rwset.kvrwset.KVWrite();
  write.setKey(w.key);
  if (w.delete === true || w.value === undefined) write.setIsDelete(true);
  else write.setValue(bytes(w.value));
  return write;
}

function kvMetadataWrite(m: TestMetadataWrite): ledger.rwset.kvrwset.KVMetadataWrite {
  const write = new ledger.rwset.kvrwset.KVMetadataWrite();
  write.setKey(m.key);
  write.setEntriesList(metadataEntries(m.entries));
  return write;
}

/** The collection's private KVRWSet (writes sorted by key, as the simulator emits them). */
function privateRwset(coll: TestCollection): Uint8Array {
  const kv = new ledger.rwset.kvrwset.KVRWSet();
  const sorted = [...(coll.writes ?? [])].sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
  kv.setWritesList(sorted.map((w) => kvWrite(w.purge === true ? { key: w.key, delete: true } : w)));
  kv.setMetadataWritesList((coll.metadataWrites ?? []).map(kvMetadataWrite));
  return kv.serializeBinary();
}

function hashedRwset(coll: TestCollection): ledger.rwset.kvrwset.HashedRWSet {
  const hashed = new ledger.rwset.kvrwset.HashedRWSet();
  for (const w of coll.writes ?? []) {
    const write = new ledger.rwset.kvrwset.KVWriteHash();
    write.setKeyHash(sha256(w.key));
    const isDelete = w.purge === true || w.delete === true || w.value === undefined;
    write.setIsDelete(isDelete);
    if (!isDelete && w.value !== undefined) write.setValueHash(sha256(bytes(w.value)));
    if (w.purge === true) write.setIsPurge(true);
    hashed.addHashedWrites(write);
  }
  for (const m of coll.metadataWrites ?? []) {
    const write = new ledger.rwset.kvrwset.KVMetadataWriteHash();
    write.setKeyHash(sha256(m.key));
    write.setEntriesList(metadataEntries(m.entries));
    hashed.addMetadataWrites(write);
  }
  return hashed;
}

/** The public TxReadWriteSet and, when collections are written, the private one. */
export function buildRwsets(namespaces: readonly TestNamespace[]): {
  rwset: ledger.rwset.TxReadWriteSet;
  pvt?: ledger.rwset.TxPvtReadWriteSet;
} {
  const rwset = new ledger.rwset.TxReadWriteSet();
  rwset.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
  const pvt = new ledger.rwset.TxPvtReadWriteSet();
  pvt.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
  for (const ns of namespaces) {
    const kv = new ledger.rwset.kvrwset.KVRWSet();
    kv.setWritesList((ns.writes ?? []).map(kvWrite));
    kv.setMetadataWritesList((ns.metadataWrites ?? []).map(kvMetadataWrite));
    const nsSet = new ledger.rwset.NsReadWriteSet();
    nsSet.setNamespace(ns.namespace);
    nsSet.setRwset(kv.serializeBinary());
    const nsPvt = new ledger.rwset.NsPvtReadWriteSet();
    nsPvt.setNamespace(ns.namespace);
    for (const coll of ns.collections ?? []) {
      const pvtBytes = privateRwset(coll);
      const hashedSet = new ledger.rwset.CollectionHashedReadWriteSet();
      hashedSet.setCollectionName(coll.name);
      hashedSet.setHashedRwset(hashedRwset(coll).serializeBinary());
      hashedSet.setPvtRwsetHash(sha256(pvtBytes));
      nsSet.addCollectionHashedRwset(hashedSet);
      const collPvt = new ledger.rwset.CollectionPvtReadWriteSet();
      collPvt.setCollectionName(coll.name);
      collPvt.setRwset(pvtBytes);
      nsPvt.addCollectionPvtRwset(collPvt);
    }
    rwset.addNsRwset(nsSet);
    if (nsPvt.getCollectionPvtRwsetList().length > 0) pvt.addNsPvtRwset(nsPvt);
  }
  return pvt.getNsPvtRwsetList().length > 0 ? { rwset, pvt } : { rwset };
}

function envelope(type: number, channelId: string, txId: string, ts: { seconds: number; nanos: number }, data: Uint8Array): Uint8Array {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(type);
  channelHeader.setChannelId(channelId);
  channelHeader.setTxId(txId);
  const timestamp = new Timestamp();
  timestamp.setSeconds(ts.seconds);
  timestamp.setNanos(ts.nanos);
  channelHeader.setTimestamp(timestamp);
  const signatureHeader = new common.SignatureHeader();
  signatureHeader.setCreator(Buffer.from('creator'));
  signatureHeader.setNonce(sha256(txId).subarray(0, 24));
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  header.setSignatureHeader(signatureHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  payload.setData(data);
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  env.setSignature(Buffer.from('signature'));
  return env.serializeBinary();
}

/** A serialized endorser-transaction envelope carrying `rwset`. */
export function endorserEnvelope(channelId: string, txId: string, ts: { seconds: number; nanos: number }, rwset: ledger.rwset.TxReadWriteSet): Uint8Array {
  const chaincodeAction = new peer.ChaincodeAction();
  chaincodeAction.setResults(rwset.serializeBinary());
  const responsePayload = new peer.ProposalResponsePayload();
  responsePayload.setProposalHash(sha256(txId));
  responsePayload.setExtension$(chaincodeAction.serializeBinary());
  const endorsed = new peer.ChaincodeEndorsedAction();
  endorsed.setProposalResponsePayload(responsePayload.serializeBinary());
  const actionPayload = new peer.ChaincodeActionPayload();
  actionPayload.setAction(endorsed);
  const action = new peer.TransactionAction();
  action.setPayload(actionPayload.serializeBinary());
  const tx = new peer.Transaction();
  tx.addActions(action);
  return envelope(common.HeaderType.ENDORSER_TRANSACTION, channelId, txId, ts, tx.serializeBinary());
}

/** A block as the committer hands it over, plus the private write sets by tx index. */
export interface BuiltBlock {
  readonly block: common.Block;
  readonly pvtData: Map<number, ledger.rwset.TxPvtReadWriteSet>;
}

/** Builds a chain of blocks: block 0 is a CONFIG block, later blocks carry endorser transactions. */
export class TestChain {
  #height: bigint;
  #previousHash: Uint8Array;
  #clock = 1_700_000_000;

  constructor(
    readonly channelId = 'healthchannel',
    start: { height: bigint; currentHash: Uint8Array } = { height: 0n, currentHash: new Uint8Array(0) },
  ) {
    this.#height = start.height;
    this.#previousHash = start.currentHash;
  }

  get height(): bigint {
    return this.#height;
  }

  /** Block 0: one CONFIG envelope, TRANSACTIONS_FILTER left empty unless `filter` is given. */
  genesis(filter?: Uint8Array): common.Block {
    const config = envelope(common.HeaderType.CONFIG, this.channelId, '', { seconds: this.#clock, nanos: 0 }, Buffer.from('config'));
    return this.raw([config], filter ?? new Uint8Array(0));
  }

  /** The next block with these transactions (each one envelope, in order). */
  next(txs: readonly TestTx[]): BuiltBlock {
    const pvtData = new Map<number, ledger.rwset.TxPvtReadWriteSet>();
    const envelopes = txs.map((tx, txNum) => {
      const { rwset, pvt } = buildRwsets(tx.namespaces ?? []);
      if (pvt !== undefined) pvtData.set(txNum, pvt);
      const ts = tx.timestamp ?? { seconds: ++this.#clock, nanos: 1000 * txNum };
      return endorserEnvelope(this.channelId, tx.txId, ts, rwset);
    });
    const block = this.raw(envelopes, Uint8Array.from(txs.map((tx) => tx.code ?? 0)));
    return { block, pvtData };
  }

  /** The next block with exactly these envelope bytes and this filter (for malformed input). */
  raw(envelopes: readonly Uint8Array[], filter: Uint8Array): common.Block {
    const dataHash = createHash('sha256');
    for (const env of envelopes) dataHash.update(env);
    const header = new common.BlockHeader();
    header.setNumber(Number(this.#height));
    header.setPreviousHash(this.#previousHash);
    header.setDataHash(dataHash.digest());
    const data = new common.BlockData();
    data.setDataList([...envelopes]);
    const metadata = new common.BlockMetadata();
    metadata.setMetadataList([new Uint8Array(0), new Uint8Array(0), filter, new Uint8Array(0), new Uint8Array(0)]);
    const block = new common.Block();
    block.setHeader(header);
    block.setData(data);
    block.setMetadata(metadata);
    this.#previousHash = blockHeaderHash(this.#height, this.#previousHash, header.getDataHash_asU8());
    this.#height++;
    return block;
  }
}

/** An envelope carrying only a channel header (type and txid): enough for indexes and notifications. */
export function headerOnlyEnvelope(type: number, txId: string): Uint8Array {
  const channelHeader = new common.ChannelHeader();
  channelHeader.setType(type);
  channelHeader.setTxId(txId);
  const header = new common.Header();
  header.setChannelHeader(channelHeader.serializeBinary());
  const payload = new common.Payload();
  payload.setHeader(header);
  const env = new common.Envelope();
  env.setPayload(payload.serializeBinary());
  return env.serializeBinary();
}
