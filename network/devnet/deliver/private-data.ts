/**
 * BlockAndPrivateData construction: the private write sets this peer's organisation
 * holds for the block's valid transactions, minus member-only-read collections the requester is
 * not a member of.
 */
import { peer, type common, type ledger } from '@hyperledger/fabric-protos';
import { evaluateSignaturePolicy, type SignedData } from '@healthledger/fabric-core/policy';
import type { NetworkRuntime, PeerRuntime } from '../runtime';
import { selectCollections } from '../pvtdata';
import { transactionsFilter } from './block-transactions';

/** Whether the requester may receive a collection's data from this peer. */
function mayRead(net: NetworkRuntime, namespace: string, collection: string, signed: SignedData): boolean {
  const config = net.chaincodes.collection(namespace, collection);
  if (!config?.memberOnlyRead) return true; // implicit org collections are never member-only-read
  return evaluateSignaturePolicy(config.memberPolicy, [signed], net.config.msps);
}

/** Keeps only the collections `signed` may read; drops namespaces left empty. */
function readable(net: NetworkRuntime, pvt: ledger.rwset.TxPvtReadWriteSet, signed: SignedData): ledger.rwset.TxPvtReadWriteSet {
  return selectCollections(pvt, (namespace, c) => mayRead(net, namespace, c.getCollectionName(), signed));
}

/** The block with the private data `gatewayPeer`'s organisation holds for it. */
export function blockAndPrivateData(
  net: NetworkRuntime,
  gatewayPeer: PeerRuntime,
  number: bigint,
  block: common.Block,
  signed: SignedData,
): peer.BlockAndPrivateData {
  const result = new peer.BlockAndPrivateData();
  result.setBlock(block);
  const filter = transactionsFilter(block);
  const map = result.getPrivateDataMapMap();
  for (const [txNum, pvt] of net.ledger.privateStore(gatewayPeer.mspId).blockPvtData(number)) {
    if (filter[txNum] !== peer.TxValidationCode.VALID) continue;
    const visible = readable(net, pvt, signed);
    if (visible.getNsPvtRwsetList().length > 0) map.set(txNum, visible);
  }
  return result;
}
