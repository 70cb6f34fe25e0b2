/**
 * BlockAndPrivateData construction: the private write sets this peer's organisation
 * holds for the block's valid transactions, minus member-only-read collections the requester is
 * not a member of.
 */
import { peer, type common, type ledger } from '@hyperledger/fabric-protos';
import type { ChannelConfig } from '../channelconfig';
import type { ChaincodeRegistry } from '../definitions';
import { evaluateSignaturePolicy, type SignedData } from '@healthledger/fabric-core/policy';
import { selectCollections } from '../pvtdata';
import { transactionsFilter } from './block-transactions';

/** What serving a peer's private data reads: collection configs, MSPs and the org's private store. */
export interface PrivateDataSupport {
  readonly config: Pick<ChannelConfig, 'msps'>;
  readonly chaincodes: Pick<ChaincodeRegistry, 'collection'>;
  /** The private write sets this peer's organisation holds for block `number`, by tx number. */
  blockPvtData(number: bigint): ReadonlyMap<number, ledger.rwset.TxPvtReadWriteSet>;
}

/** Whether the requester may receive a collection's data from this peer. */
function mayRead(support: PrivateDataSupport, namespace: string, collection: string, signed: SignedData): boolean {
  const config = support.chaincodes.collection(namespace, collection);
  if (!config?.memberOnlyRead) return true; // implicit org collections are never member-only-read
  return evaluateSignaturePolicy(config.memberPolicy, [signed], support.config.msps);
}

/** Keeps only the collections `signed` may read; drops namespaces left empty. */
function readable(support: PrivateDataSupport, pvt: ledger.rwset.TxPvtReadWriteSet, signed: SignedData): ledger.rwset.TxPvtReadWriteSet {
  return selectCollections(pvt, (namespace, c) => mayRead(support, namespace, c.getCollectionName(), signed));
}

/** The block with the private data this peer's organisation holds for it. */
export function blockAndPrivateData(
  support: PrivateDataSupport,
  number: bigint,
  block: common.Block,
  signed: SignedData,
): peer.BlockAndPrivateData {
  const result = new peer.BlockAndPrivateData();
  result.setBlock(block);
  const filter = transactionsFilter(block);
  const map = result.getPrivateDataMapMap();
  for (const [txNum, pvt] of support.blockPvtData(number)) {
    if (filter[txNum] !== peer.TxValidationCode.VALID) continue;
    const visible = readable(support, pvt, signed);
    if (visible.getNsPvtRwsetList().length > 0) map.set(txNum, visible);
  }
  return result;
}
