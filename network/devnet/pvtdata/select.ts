import { ledger } from '@hyperledger/fabric-protos';

/**
 * A transaction's private write set keeping only the collections `keep` accepts; namespaces left
 * without collections are dropped. The committer keeps what matches the block's hashes, Deliver
 * what the requester may read.
 *
 * The transaction and namespace messages are new (callers may edit their lists); the collection
 * messages, and the write-set bytes in them, are `pvt`'s own, shared. `cloneMessage` would copy
 * every byte of the write sets first (a 4 MiB document twice per call), only for the copies to be
 * replaced by the selection.
 */
export function selectCollections(
  pvt: ledger.rwset.TxPvtReadWriteSet,
  keep: (namespace: string, collection: ledger.rwset.CollectionPvtReadWriteSet) => boolean,
): ledger.rwset.TxPvtReadWriteSet {
  const selected = new ledger.rwset.TxPvtReadWriteSet();
  selected.setDataModel(pvt.getDataModel());
  for (const ns of pvt.getNsPvtRwsetList()) {
    const kept = ns.getCollectionPvtRwsetList().filter((c) => keep(ns.getNamespace(), c));
    if (kept.length === 0) continue;
    const nsSelected = new ledger.rwset.NsPvtReadWriteSet();
    nsSelected.setNamespace(ns.getNamespace());
    nsSelected.setCollectionPvtRwsetList(kept);
    selected.addNsPvtRwset(nsSelected);
  }
  return selected;
}
