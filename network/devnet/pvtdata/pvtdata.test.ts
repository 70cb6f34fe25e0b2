import { ledger } from '@hyperledger/fabric-protos';
import { ChaincodeRegistry } from '../definitions';
import { collectionPermission, requireAccess } from './access';
import { disseminate, DisseminationError, pvtShareOf } from './dissemination';
import { selectCollections } from './select';
import { TransientStore } from './transient-store';
import { ORGS, SHARED_COLLECTION_DEFINITION as def } from '../test/fixtures/shared-collection';

const registry = new ChaincodeRegistry([def], ORGS);

function pvtSet(collections: string[]): ledger.rwset.TxPvtReadWriteSet {
  const ns = new ledger.rwset.NsPvtReadWriteSet();
  ns.setNamespace('cc');
  ns.setCollectionPvtRwsetList(
    collections.map((name) => {
      const c = new ledger.rwset.CollectionPvtReadWriteSet();
      c.setCollectionName(name);
      return c;
    }),
  );
  const set = new ledger.rwset.TxPvtReadWriteSet();
  set.addNsPvtRwset(ns);
  return set;
}

describe('collection access', () => {
  const shared = registry.collections('cc').get('shared');
  if (!shared) throw new Error('no collection');

  it('non-members of a member-only-read collection may write but not read, with Fabric text', () => {
    const permission = collectionPermission(shared, () => false);
    expect(permission).toEqual({ read: false, write: true });
    expect(() => requireAccess(permission, 'read', 'cc', 'shared')).toThrow(
      'tx creator does not have read access permission on privatedata in chaincodeName:cc collectionName: shared',
    );
    expect(collectionPermission(shared, () => true)).toEqual({ read: true, write: true });
  });

  it('does not evaluate membership when no member-only flag is set', () => {
    const implicit = registry.collections('cc').get('_implicit_org_Org1MSP');
    if (!implicit) throw new Error('no collection');
    expect(collectionPermission(implicit, () => { throw new Error('must not be called'); })).toEqual({ read: true, write: true });
  });
});

describe('dissemination', () => {
  const collections = registry.collections('cc');
  const collectionsOf = () => collections;
  const peers = ORGS.map((mspId) => ({ mspId, endpoint: `peer0.${mspId}:7051` }));

  it('gives each org only the collections it is a member of', () => {
    const pvt = pvtSet(['shared', '_implicit_org_Org3MSP']);
    expect(pvtShareOf(pvt, 'Org1MSP', collectionsOf)?.getNsPvtRwsetList()[0]?.getCollectionPvtRwsetList().map((c) => c.getCollectionName())).toEqual(['shared']);
    expect(pvtShareOf(pvt, 'Org3MSP', collectionsOf)?.getNsPvtRwsetList()[0]?.getCollectionPvtRwsetList().map((c) => c.getCollectionName())).toEqual(['_implicit_org_Org3MSP']);
    const store = new TransientStore();
    disseminate({ txId: 't', channelId: 'ch', pvt, endorser: peers[0] as (typeof peers)[0], peers, orgs: ORGS, collectionsOf, store });
    expect(store.size).toBe(3);
    expect(store.take('t', 'Org2MSP')).toBeDefined();
    expect(store.take('t', 'Org2MSP')).toBeUndefined();
  });

  it('fails like Fabric when fewer eligible member peers exist than required', () => {
    const lonely = peers.filter((p) => p.mspId !== 'Org2MSP');
    expect(() =>
      disseminate({ txId: 't', channelId: 'ch', pvt: pvtSet(['shared']), endorser: lonely[0] as (typeof peers)[0], peers: lonely, orgs: ORGS, collectionsOf, store: new TransientStore() }),
    ).toThrow(new DisseminationError('failed to distribute private collection, txID t, channel ch: required to disseminate to at least 1 peers, but know of only 0 eligible peers'));
  });
});

describe('selectCollections', () => {
  it('keeps the chosen collections without copying their write sets, in messages of its own', () => {
    const pvt = pvtSet(['shared', 'other']);
    const [shared, other] = pvt.getNsPvtRwsetList()[0]?.getCollectionPvtRwsetList() ?? [];
    shared?.setRwset(Buffer.alloc(1024, 1));
    const selected = selectCollections(pvt, (ns, c) => ns === 'cc' && c.getCollectionName() === 'shared');
    const kept = selected.getNsPvtRwsetList()[0]?.getCollectionPvtRwsetList() ?? [];
    expect(kept).toHaveLength(1);
    expect(kept[0]).toBe(shared); // the same message: the write set's bytes are not copied
    expect(selected.getDataModel()).toBe(pvt.getDataModel());
    // Editing the selection's lists leaves the original alone.
    selected.getNsPvtRwsetList()[0]?.setCollectionPvtRwsetList([]);
    expect(pvt.getNsPvtRwsetList()[0]?.getCollectionPvtRwsetList()).toEqual([shared, other]);
    expect(selectCollections(pvt, () => false).getNsPvtRwsetList()).toEqual([]);
  });
});
