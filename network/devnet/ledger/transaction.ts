import { common, ledger, peer } from '@hyperledger/fabric-protos';
import { decodeWire } from '@healthledger/fabric-core/protos';
import { LedgerError } from './errors';
import type { TxTimestamp } from './history';

/** `TxValidationCode.VALID`. */
export const TX_VALID = 0;

/** What the ledger needs to know about one envelope of a block. */
export interface BlockTransaction {
  /** Index in the block, counting every envelope. */
  readonly txNum: number;
  /** Validation code from `TRANSACTIONS_FILTER`. */
  readonly code: number;
  /** '' when the envelope does not decode far enough to name one. */
  readonly txId: string;
  readonly timestamp: TxTimestamp;
  /** The decoded read-write set: present for VALID endorser transactions only. */
  readonly namespaces?: readonly NamespaceWrites[];
}

/** One collection's hashed rwset in a transaction. */
export interface CollectionWrites {
  readonly name: string;
  readonly hashed: ledger.rwset.kvrwset.HashedRWSet;
  /** SHA-256 of the collection's private KVRWSet bytes, as endorsed. */
  readonly pvtRwsetHash: Uint8Array;
}

/** One namespace of a transaction's rwset, decoded down to its KVRWSet. */
export interface NamespaceWrites {
  readonly namespace: string;
  readonly kv: ledger.rwset.kvrwset.KVRWSet;
  readonly collections: readonly CollectionWrites[];
}

const ZERO_TIME: TxTimestamp = { seconds: 0n, nanos: 0 };

/** The `TRANSACTIONS_FILTER` metadata entry: one validation code per envelope. */
export function transactionsFilter(block: common.Block): Uint8Array {
  const metadata = block.getMetadata()?.getMetadataList_asU8() ?? [];
  return metadata[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array(0);
}

/** Envelope → Payload → ChannelHeader, or undefined when any layer is missing or garbled. */
function readHeader(envelopeBytes: Uint8Array): { payload: common.Payload; header: common.ChannelHeader } | undefined {
  try {
    // Every transaction, valid or not, is indexed: walked by the wire check, as it came from a client.
    const payload = decodeWire('Payload', decodeWire('Envelope', envelopeBytes).getPayload_asU8());
    const headerBytes = payload.getHeader()?.getChannelHeader_asU8();
    if (headerBytes === undefined) return undefined;
    return { payload, header: decodeWire('ChannelHeader', headerBytes) };
  } catch {
    return undefined; // invalid envelopes are indexed without a txid (the committer flagged them)
  }
}

/**
 * Payload.data → Transaction → ChaincodeActionPayload → ProposalResponsePayload → ChaincodeAction
 * → TxReadWriteSet → KVRWSet / HashedRWSet. The committer validated this chain, so a failure here
 * is a committer bug; decoding it all before anything is persisted keeps such a block out.
 */
function readWrites(payload: common.Payload): NamespaceWrites[] {
  const actions = peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList();
  const action = actions[0];
  if (actions.length !== 1 || action === undefined) throw new Error(`expected one action, found ${actions.length}`);
  const endorsed = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8()).getAction();
  if (endorsed === undefined) throw new Error('ChaincodeActionPayload has no action');
  const response = peer.ProposalResponsePayload.deserializeBinary(endorsed.getProposalResponsePayload_asU8());
  const chaincodeAction = peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8());
  const rwset = ledger.rwset.TxReadWriteSet.deserializeBinary(chaincodeAction.getResults_asU8());
  return rwset.getNsRwsetList().map((ns) => ({
    namespace: ns.getNamespace(),
    kv: ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8()),
    collections: ns.getCollectionHashedRwsetList().map((coll) => ({
      name: coll.getCollectionName(),
      hashed: ledger.rwset.kvrwset.HashedRWSet.deserializeBinary(coll.getHashedRwset_asU8()),
      pvtRwsetHash: coll.getPvtRwsetHash_asU8(),
    })),
  }));
}

/**
 * Reads every envelope of a block with its validation code. Throws {@link LedgerError} when the
 * filter does not cover the block or a VALID endorser transaction has no readable rwset.
 * `decoded` holds write sets the caller already decoded from this block (by index in the block);
 * those are taken as they are instead of decoded a second time.
 */
export function readBlockTransactions(block: common.Block, decoded: ReadonlyMap<number, readonly NamespaceWrites[]> = new Map()): BlockTransaction[] {
  const blockNum = block.getHeader()?.getNumber() ?? 0;
  const envelopes = block.getData()?.getDataList_asU8() ?? [];
  const filter = transactionsFilter(block);
  if (filter.length !== envelopes.length) {
    throw new LedgerError(`block ${blockNum}: TRANSACTIONS_FILTER has ${filter.length} codes for ${envelopes.length} transactions`);
  }
  return envelopes.map((envelope, txNum) => {
    const code = filter[txNum] ?? TX_VALID;
    const read = readHeader(envelope);
    if (read === undefined) {
      if (code === TX_VALID) throw new LedgerError(`block ${blockNum}, tx ${txNum}: VALID transaction does not decode`);
      return { txNum, code, txId: '', timestamp: ZERO_TIME };
    }
    const ts = read.header.getTimestamp();
    const tx = {
      txNum,
      code,
      txId: read.header.getTxId(),
      timestamp: ts === undefined ? ZERO_TIME : { seconds: BigInt(ts.getSeconds()), nanos: ts.getNanos() },
    };
    if (code !== TX_VALID || read.header.getType() !== common.HeaderType.ENDORSER_TRANSACTION) return tx;
    try {
      return { ...tx, namespaces: decoded.get(txNum) ?? readWrites(read.payload) };
    } catch (err) {
      throw new LedgerError(`block ${blockNum}, tx ${txNum} (${tx.txId}): VALID transaction has no readable rwset: ${(err as Error).message}`);
    }
  });
}
