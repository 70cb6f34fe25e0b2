import { createHash } from 'node:crypto';
import { ledger } from '@hyperledger/fabric-protos';
import type { BlockTransaction, NamespaceWrites } from './transaction';

/** Which organisations (MSP ids) are members of a collection and so keep its private data. */
export type CollectionMembers = (ns: string, coll: string) => readonly string[];

/** Private write sets per org, per tx index: what each org's private store will keep. */
export type PvtDataByOrg = Map<string, Map<number, ledger.rwset.TxPvtReadWriteSet>>;

/** `pvt_rwset_hash` of every collection a transaction's public rwset names, keyed `ns\0coll`. */
function expectedHashes(namespaces: readonly NamespaceWrites[]): Map<string, Uint8Array> {
  const hashes = new Map<string, Uint8Array>();
  for (const ns of namespaces) {
    for (const coll of ns.collections) hashes.set(`${ns.namespace}\u0000${coll.name}`, coll.pvtRwsetHash);
  }
  return hashes;
}

function addCollection(
  target: ledger.rwset.TxPvtReadWriteSet,
  ns: string,
  coll: ledger.rwset.CollectionPvtReadWriteSet,
): void {
  let nsSet = target.getNsPvtRwsetList().find((s) => s.getNamespace() === ns);
  if (nsSet === undefined) {
    nsSet = new ledger.rwset.NsPvtReadWriteSet();
    nsSet.setNamespace(ns);
    target.addNsPvtRwset(nsSet);
  }
  nsSet.addCollectionPvtRwset(coll);
}

/**
 * Decides, for each org, which private write sets of a block it keeps: only those of
 * VALID transactions, only collections the org is a member of, and only collection rwsets whose
 * SHA-256 equals the `pvt_rwset_hash` the block carries. Anything else is dropped and logged.
 */
export function selectPrivateData(
  blockNum: bigint,
  txs: readonly BlockTransaction[],
  pvtData: ReadonlyMap<number, ledger.rwset.TxPvtReadWriteSet>,
  orgs: readonly string[],
  members: CollectionMembers,
  log: (message: string) => void,
): PvtDataByOrg {
  const byOrg: PvtDataByOrg = new Map();
  for (const [txNum, pvt] of pvtData) {
    const tx = txs[txNum];
    if (tx?.namespaces === undefined) continue; // invalid (or unknown) transaction: its private data is discarded
    const expected = expectedHashes(tx.namespaces);
    for (const nsSet of pvt.getNsPvtRwsetList()) {
      const ns = nsSet.getNamespace();
      for (const coll of nsSet.getCollectionPvtRwsetList()) {
        const name = coll.getCollectionName();
        const hash = expected.get(`${ns}\u0000${name}`);
        const actual = createHash('sha256').update(coll.getRwset_asU8()).digest();
        if (hash === undefined || !actual.equals(hash)) {
          log(`block ${blockNum}, tx ${txNum} (${tx.txId}): private rwset of ${ns}/${name} ${hash === undefined ? 'has no hashed rwset in the block' : 'does not match pvt_rwset_hash'}; not applied`);
          continue;
        }
        for (const mspId of members(ns, name)) {
          if (!orgs.includes(mspId)) continue;
          let orgTxs = byOrg.get(mspId);
          if (orgTxs === undefined) byOrg.set(mspId, (orgTxs = new Map<number, ledger.rwset.TxPvtReadWriteSet>()));
          let orgPvt = orgTxs.get(txNum);
          if (orgPvt === undefined) {
            orgPvt = new ledger.rwset.TxPvtReadWriteSet();
            orgPvt.setDataModel(pvt.getDataModel());
            orgTxs.set(txNum, orgPvt);
          }
          addCollection(orgPvt, ns, coll);
        }
      }
    }
  }
  return byOrg;
}
