import type { ledger } from '@hyperledger/fabric-protos';

/**
 * A copy of a transaction's private write set keeping only the collections `keep` accepts;
 * namespaces left without collections are dropped. The committer keeps what matches the block's
 * hashes, Deliver what the requester may read.
 */
export function selectCollections(
  pvt: ledger.rwset.TxPvtReadWriteSet,
  keep: (namespace: string, collection: ledger.rwset.CollectionPvtReadWriteSet) => boolean,
): ledger.rwset.TxPvtReadWriteSet {
  const copy = pvt.cloneMessage();
  copy.setNsPvtRwsetList(
    pvt
      .getNsPvtRwsetList()
      .map((ns) => {
        const nsCopy = ns.cloneMessage();
        nsCopy.setCollectionPvtRwsetList(ns.getCollectionPvtRwsetList().filter((c) => keep(ns.getNamespace(), c)));
        return nsCopy;
      })
      .filter((ns) => ns.getCollectionPvtRwsetList().length > 0),
  );
  return copy;
}
