/**
 * Query iterators of one transaction and the `QueryResponse` batching of Fabric's
 * `QueryResponseGenerator`, docs/design/fabric-conformance.md f): batches of at most 100 with one record read ahead (so
 * `has_more` is only set when a further record exists), a total cap of 100 000, and pagination
 * that stops at `pageSize` and reports the next key as bookmark.
 */
import { randomUUID } from 'node:crypto';
import { peer } from '@hyperledger/fabric-protos';
import type { RangeScanIterator, ResultsIterator } from '../sim';

/** The peer's batch size for query responses (Fabric's `maxResultLimit`). */
export const MAX_RESULT_LIMIT = 100;
/** core.yaml `ledger.state.totalQueryLimit`. */
export const TOTAL_QUERY_LIMIT = 100_000;

interface QueryContext {
  iterator: ResultsIterator<unknown>;
  encode: (item: unknown) => Uint8Array;
  pending: Uint8Array[];
  returned: number;
  limit: number;
  /** Set for paginated range scans: the bookmark comes from peeking this iterator. */
  paginated?: RangeScanIterator;
}

/** Thrown when QUERY_STATE_NEXT/CLOSE name an iterator this transaction does not have. */
export class QueryIteratorNotFoundError extends Error {
  override readonly name = 'QueryIteratorNotFoundError';

  constructor() {
    super('query iterator not found');
  }
}

function resultBytes(bytes: Uint8Array): peer.QueryResultBytes {
  const result = new peer.QueryResultBytes();
  result.setResultbytes(bytes);
  return result;
}

/** The open query iterators of one transaction on one chaincode stream. */
export class QueryContexts {
  private readonly contexts = new Map<string, QueryContext>();

  /**
   * Registers `iterator` and answers the first batch. `pageSize > 0` (with `paginated` set)
   * makes it a paginated query: one response, with metadata, and the iterator is released.
   */
  open<T>(
    iterator: ResultsIterator<T>,
    encode: (item: T) => Uint8Array,
    pagination?: { pageSize: number; iterator: RangeScanIterator },
  ): Promise<peer.QueryResponse> {
    const id = randomUUID();
    const limit = pagination && pagination.pageSize > 0 ? Math.min(pagination.pageSize, TOTAL_QUERY_LIMIT) : TOTAL_QUERY_LIMIT;
    this.contexts.set(id, {
      iterator,
      encode: encode as (item: unknown) => Uint8Array,
      pending: [],
      returned: 0,
      limit,
      paginated: pagination?.iterator,
    });
    return this.nextBatch(id);
  }

  /** QUERY_STATE_NEXT. */
  next(id: string): Promise<peer.QueryResponse> {
    if (!this.contexts.has(id)) throw new QueryIteratorNotFoundError();
    return this.nextBatch(id);
  }

  /** QUERY_STATE_CLOSE. */
  close(id: string): peer.QueryResponse {
    this.release(id);
    const response = new peer.QueryResponse();
    response.setHasMore(false);
    response.setId(id);
    return response;
  }

  /** Releases every iterator (the transaction finished). */
  closeAll(): void {
    for (const id of [...this.contexts.keys()]) this.release(id);
  }

  private release(id: string): void {
    this.contexts.get(id)?.iterator.close();
    this.contexts.delete(id);
  }

  private async nextBatch(id: string): Promise<peer.QueryResponse> {
    const ctx = this.contexts.get(id) as QueryContext;
    for (;;) {
      if (ctx.returned >= ctx.limit) return await this.finalResponse(id, ctx);
      const item = await ctx.iterator.next();
      if (item === undefined) return await this.finalResponse(id, ctx);
      if (!ctx.paginated && ctx.pending.length === MAX_RESULT_LIMIT) {
        const batch = ctx.pending;
        ctx.pending = [ctx.encode(item)];
        ctx.returned++;
        const response = new peer.QueryResponse();
        response.setResultsList(batch.map(resultBytes));
        response.setHasMore(true);
        response.setId(id);
        return response;
      }
      ctx.pending.push(ctx.encode(item));
      ctx.returned++;
    }
  }

  private async finalResponse(id: string, ctx: QueryContext): Promise<peer.QueryResponse> {
    const response = new peer.QueryResponse();
    response.setResultsList(ctx.pending.map(resultBytes));
    response.setHasMore(false);
    response.setId(id);
    ctx.pending = [];
    if (ctx.paginated) {
      const metadata = new peer.QueryResponseMetadata();
      metadata.setFetchedRecordsCount(ctx.returned);
      metadata.setBookmark(await ctx.paginated.bookmarkAndClose());
      response.setMetadata(metadata.serializeBinary());
      this.contexts.delete(id);
    } else {
      this.release(id);
    }
    return response;
  }
}
