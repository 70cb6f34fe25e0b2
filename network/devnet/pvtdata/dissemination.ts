/**
 * What an endorsing peer does with the private part of its simulation: split it by
 * member org and hand each org its share through the transient store, failing like Fabric when
 * a collection asks for more member peers than exist.
 */
import { ledger } from '@hyperledger/fabric-protos';
import type { CollectionRuntime } from '../definitions';
import type { TransientStore } from './transient-store';

/** Dissemination could not reach `required_peer_count` member peers. */
export class DisseminationError extends Error {
  override readonly name = 'DisseminationError';
}

/** The part of `pvt` that `mspId` should hold: collections it is a member of. */
export function pvtShareOf(
  pvt: ledger.rwset.TxPvtReadWriteSet,
  mspId: string,
  collectionsOf: (ns: string) => ReadonlyMap<string, CollectionRuntime>,
): ledger.rwset.TxPvtReadWriteSet | undefined {
  const share = new ledger.rwset.TxPvtReadWriteSet();
  share.setDataModel(pvt.getDataModel());
  for (const ns of pvt.getNsPvtRwsetList()) {
    const collections = collectionsOf(ns.getNamespace());
    const kept = ns.getCollectionPvtRwsetList().filter((c) => collections.get(c.getCollectionName())?.memberOrgs.includes(mspId));
    if (kept.length === 0) continue;
    const nsShare = new ledger.rwset.NsPvtReadWriteSet();
    nsShare.setNamespace(ns.getNamespace());
    nsShare.setCollectionPvtRwsetList(kept);
    share.addNsPvtRwset(nsShare);
  }
  return share.getNsPvtRwsetList().length > 0 ? share : undefined;
}

/** A peer as dissemination sees it. */
export interface MemberPeer {
  mspId: string;
  endpoint: string;
}

/**
 * Checks `required_peer_count` for every written collection, then stores each org's share.
 * `endorser` is the disseminating peer (it does not count towards the required peers).
 */
export function disseminate(opts: {
  txId: string;
  channelId: string;
  pvt: ledger.rwset.TxPvtReadWriteSet;
  endorser: MemberPeer;
  peers: readonly MemberPeer[];
  orgs: readonly string[];
  collectionsOf: (ns: string) => ReadonlyMap<string, CollectionRuntime>;
  store: TransientStore;
}): void {
  const { txId, channelId, pvt, endorser, peers } = opts;
  for (const ns of pvt.getNsPvtRwsetList()) {
    const collections = opts.collectionsOf(ns.getNamespace());
    for (const c of ns.getCollectionPvtRwsetList()) {
      const config = collections.get(c.getCollectionName());
      if (!config) continue;
      const eligible = peers.filter((p) => p.endpoint !== endorser.endpoint && config.memberOrgs.includes(p.mspId)).length;
      if (eligible < config.requiredPeerCount) {
        throw new DisseminationError(
          `failed to distribute private collection, txID ${txId}, channel ${channelId}: ` +
            `required to disseminate to at least ${config.requiredPeerCount} peers, but know of only ${eligible} eligible peers`,
        );
      }
    }
  }
  for (const mspId of opts.orgs) {
    const share = pvtShareOf(pvt, mspId, opts.collectionsOf);
    if (share) opts.store.put(txId, mspId, share);
  }
}
