/**
 * Serves the requests a chaincode sends during one transaction against the
 * transaction's simulator: state, ranges, history, metadata, private data, chaincode-to-chaincode
 * calls. Failures become ERROR "<TYPE> failed: transaction ID: <txid>: <reason>".
 */
import { Timestamp } from 'google-protobuf/google/protobuf/timestamp_pb';
import { ledger, peer } from '@hyperledger/fabric-protos';
import { UnknownCollectionError, collectionPermission, requireAccess } from '../pvtdata';
import { QueryNotSupportedError, type HistoryEntry, type RangeScanIterator } from '../sim';
import { messageTypeName, requestError } from './connection';
import { signaturePolicy, type TransactionContext } from './context';
import { ChaincodeRequestError } from './errors';
import { QueryContexts } from './queries';

const Type = peer.ChaincodeMessage.Type;
type ChaincodeMessage = peer.ChaincodeMessage;

/** Calls another chaincode within the same transaction (provided by the executor). */
export type ChaincodeInvoker = (spec: peer.ChaincodeSpec) => Promise<ChaincodeMessage>;

function response(request: ChaincodeMessage, payload?: Uint8Array): ChaincodeMessage {
  const reply = new peer.ChaincodeMessage();
  reply.setType(Type.RESPONSE);
  reply.setTxid(request.getTxid());
  reply.setChannelId(request.getChannelId());
  if (payload && payload.length > 0) reply.setPayload(payload);
  return reply;
}

function kvBytes(ns: string) {
  return (record: { key: string; value: Buffer }): Uint8Array => {
    const kv = new ledger.queryresult.KV();
    kv.setNamespace(ns);
    kv.setKey(record.key);
    kv.setValue(record.value);
    return kv.serializeBinary();
  };
}

function keyModificationBytes(entry: HistoryEntry): Uint8Array {
  const modification = new ledger.queryresult.KeyModification();
  modification.setTxId(entry.txId);
  if (!entry.isDelete) modification.setValue(entry.value);
  const timestamp = new Timestamp();
  timestamp.setSeconds(Number(entry.timestamp.seconds));
  timestamp.setNanos(entry.timestamp.nanos);
  // Always present: the shim calls toObject() on it.
  modification.setTimestamp(timestamp);
  modification.setIsDelete(entry.isDelete);
  return modification.serializeBinary();
}

function queryMetadata(bytes: Uint8Array): peer.QueryMetadata | undefined {
  return bytes.length > 0 ? peer.QueryMetadata.deserializeBinary(bytes) : undefined;
}

/** Handles the requests of one chaincode (namespace) in one transaction. */
export class TransactionHandler {
  private readonly queries = new QueryContexts();

  constructor(
    private readonly ctx: TransactionContext,
    /** The chaincode whose stream this is: its namespace in the rwset. */
    private readonly namespace: string,
    private readonly invoke: ChaincodeInvoker,
  ) {}

  /** Answers one request; never rejects (failures are ERROR replies). */
  async handle(request: ChaincodeMessage): Promise<ChaincodeMessage> {
    try {
      return response(request, await this.dispatch(request));
    } catch (err) {
      return requestError(request, err instanceof Error ? err.message : String(err));
    }
  }

  /** The transaction finished: release its iterators. */
  finish(): void {
    this.queries.closeAll();
  }

  private async dispatch(request: ChaincodeMessage): Promise<Uint8Array | undefined> {
    const payload = request.getPayload_asU8();
    const ns = this.namespace;
    const sim = this.ctx.simulator;
    switch (request.getType()) {
      case Type.GET_STATE: {
        const m = peer.GetState.deserializeBinary(payload);
        if (!m.getCollection()) return sim.getState(ns, m.getKey());
        this.checkAccess(m.getCollection(), 'read');
        return sim.getPrivateData(ns, m.getCollection(), m.getKey());
      }
      case Type.PUT_STATE: {
        const m = peer.PutState.deserializeBinary(payload);
        if (!m.getCollection()) {
          sim.setState(ns, m.getKey(), m.getValue_asU8());
          return undefined;
        }
        this.checkAccess(m.getCollection(), 'write');
        sim.setPrivateData(ns, m.getCollection(), m.getKey(), m.getValue_asU8());
        return undefined;
      }
      case Type.DEL_STATE: {
        const m = peer.DelState.deserializeBinary(payload);
        if (!m.getCollection()) {
          sim.deleteState(ns, m.getKey());
          return undefined;
        }
        this.checkAccess(m.getCollection(), 'write');
        sim.deletePrivateData(ns, m.getCollection(), m.getKey());
        return undefined;
      }
      case Type.PURGE_PRIVATE_DATA: {
        const m = peer.PurgePrivateState.deserializeBinary(payload);
        if (!m.getCollection()) throw new ChaincodeRequestError('only applicable for private data');
        this.checkAccess(m.getCollection(), 'write');
        sim.purgePrivateData(ns, m.getCollection(), m.getKey());
        return undefined;
      }
      case Type.GET_PRIVATE_DATA_HASH: {
        const m = peer.GetState.deserializeBinary(payload);
        if (!m.getCollection()) throw new ChaincodeRequestError('only applicable for private data');
        this.lookUpCollections();
        if (!this.ctx.collections(ns).has(m.getCollection())) {
          throw new ChaincodeRequestError(`collection [${m.getCollection()}] not defined in the collection config for chaincode [${ns}]`);
        }
        return sim.getPrivateDataHash(ns, m.getCollection(), m.getKey());
      }
      case Type.GET_STATE_METADATA:
        return this.getStateMetadata(peer.GetStateMetadata.deserializeBinary(payload));
      case Type.PUT_STATE_METADATA:
        return this.putStateMetadata(peer.PutStateMetadata.deserializeBinary(payload));
      case Type.GET_STATE_BY_RANGE:
        return await this.getStateByRange(peer.GetStateByRange.deserializeBinary(payload));
      case Type.QUERY_STATE_NEXT:
        return (await this.queries.next(peer.QueryStateNext.deserializeBinary(payload).getId())).serializeBinary();
      case Type.QUERY_STATE_CLOSE:
        return this.queries.close(peer.QueryStateClose.deserializeBinary(payload).getId()).serializeBinary();
      case Type.GET_QUERY_RESULT:
        return this.getQueryResult(peer.GetQueryResult.deserializeBinary(payload));
      case Type.GET_HISTORY_FOR_KEY: {
        const key = peer.GetHistoryForKey.deserializeBinary(payload).getKey();
        return (await this.queries.open(await sim.history(ns, key), keyModificationBytes)).serializeBinary();
      }
      case Type.INVOKE_CHAINCODE: {
        const reply = await this.invoke(peer.ChaincodeSpec.deserializeBinary(payload));
        return reply.serializeBinary();
      }
      default:
        // WRITE_BATCH_STATE and GET_STATE_MULTIPLE are Fabric 3.x; a 2.5 shim never sends them.
        throw new ChaincodeRequestError(`unsupported message type ${messageTypeName(request.getType())}`);
    }
  }

  private getStateMetadata(m: peer.GetStateMetadata): Uint8Array {
    let metadata: ReadonlyMap<string, Buffer>;
    if (m.getCollection()) {
      this.checkAccess(m.getCollection(), 'read');
      metadata = this.ctx.simulator.getPrivateDataMetadata(this.namespace, m.getCollection(), m.getKey());
    } else {
      metadata = this.ctx.simulator.getStateMetadata(this.namespace, m.getKey());
    }
    const result = new peer.StateMetadataResult();
    for (const name of [...metadata.keys()].sort()) {
      const entry = new peer.StateMetadata();
      entry.setMetakey(name);
      entry.setValue(metadata.get(name) as Buffer);
      result.addEntries(entry);
    }
    return result.serializeBinary();
  }

  private putStateMetadata(m: peer.PutStateMetadata): undefined {
    const entry = m.getMetadata();
    // Fabric builds a one-entry map from the request: the metadata write carries only this entry.
    const metadata = new Map<string, Uint8Array>(entry ? [[entry.getMetakey(), entry.getValue_asU8()]] : []);
    if (m.getCollection()) {
      this.checkAccess(m.getCollection(), 'write');
      this.ctx.simulator.setPrivateDataMetadata(this.namespace, m.getCollection(), m.getKey(), metadata);
    } else {
      this.ctx.simulator.setStateMetadata(this.namespace, m.getKey(), metadata);
    }
    return undefined;
  }

  private async getStateByRange(m: peer.GetStateByRange): Promise<Uint8Array> {
    const ns = this.namespace;
    const sim = this.ctx.simulator;
    const metadata = queryMetadata(m.getMetadata_asU8());
    if (m.getCollection()) {
      this.checkAccess(m.getCollection(), 'read');
      const itr = sim.privateRangeScan(ns, m.getCollection(), m.getStartkey(), m.getEndkey());
      return (await this.queries.open(itr, kvBytes(ns))).serializeBinary();
    }
    if (metadata && (metadata.getPagesize() > 0 || metadata.getBookmark() !== '')) {
      const start = metadata.getBookmark() || m.getStartkey();
      const itr: RangeScanIterator = sim.rangeScanWithPagination(ns, start, m.getEndkey(), metadata.getPagesize());
      return (await this.queries.open(itr, kvBytes(ns), { pageSize: metadata.getPagesize(), iterator: itr })).serializeBinary();
    }
    return (await this.queries.open(sim.rangeScan(ns, m.getStartkey(), m.getEndkey()), kvBytes(ns))).serializeBinary();
  }

  /** LevelDB has no rich queries; the read-only rules still apply first, as in Fabric. */
  private getQueryResult(m: peer.GetQueryResult): never {
    const metadata = queryMetadata(m.getMetadata_asU8());
    const paginated = metadata !== undefined && (metadata.getPagesize() > 0 || metadata.getBookmark() !== '');
    if (m.getCollection()) {
      this.checkAccess(m.getCollection(), 'read');
      this.ctx.simulator.beginPrivateQuery();
    } else if (paginated) {
      this.ctx.simulator.beginPaginatedQuery();
    }
    throw new QueryNotSupportedError(paginated ? 'ExecuteQueryWithMetadata not supported for leveldb' : 'ExecuteQuery not supported for leveldb');
  }

  private lookUpCollections(): void {
    const def = this.ctx.support.chaincodes.get(this.namespace);
    if (def) this.ctx.simulator.lookUpCollections(this.namespace, def.definitionVersion);
  }

  /** Collection exists and the creator may read/write it (cached per transaction). */
  private checkAccess(collection: string, mode: 'read' | 'write'): void {
    if (this.ctx.isInit) throw new ChaincodeRequestError('private data APIs are not allowed in chaincode Init()');
    this.lookUpCollections();
    const config = this.ctx.collections(this.namespace).get(collection);
    if (!config) throw new UnknownCollectionError(this.ctx.channelId, this.namespace, collection);
    const cacheKey = `${this.namespace}\u0000${collection}`;
    let permission = this.ctx.permissions.get(cacheKey);
    if (!permission) {
      permission = collectionPermission(config, (policy) => this.ctx.creatorSatisfies(signaturePolicy(policy)));
      this.ctx.permissions.set(cacheKey, permission);
    }
    requireAccess(permission, mode, this.namespace, collection);
  }
}
