import { common, type peer } from '@hyperledger/fabric-protos';
import { InterestRecorder } from './interest';

const isSystem = (ns: string): boolean => ns === '_lifecycle';
const sbe = new Map([['VALIDATION_PARAMETER', new common.SignaturePolicyEnvelope().serializeBinary()]]);

/** The calls of an interest, as plain objects. */
function calls(interest: peer.ChaincodeInterest) {
  return interest.getChaincodesList().map((c) => ({
    name: c.getName(),
    collections: c.getCollectionNamesList(),
    noPrivateReads: c.getNoPrivateReads(),
    disregard: c.getDisregardNamespacePolicy(),
    keyPolicies: c.getKeyPoliciesList().length,
  }));
}

describe('ChaincodeInterest (as Fabric’s endorser builds it)', () => {
  it('a public write of a key without a key-level policy needs the chaincode policy', () => {
    const r = new InterestRecorder();
    r.write('cc', '', undefined);
    expect(calls(r.build(['cc', '_lifecycle'], isSystem))).toEqual([{ name: 'cc', collections: [], noPrivateReads: false, disregard: false, keyPolicies: 0 }]);
  });

  it('public writes all under key-level policies disregard the chaincode policy', () => {
    const r = new InterestRecorder();
    r.write('cc', '', sbe);
    r.write('cc', '', sbe);
    expect(calls(r.build(['cc'], isSystem))).toEqual([{ name: 'cc', collections: [], noPrivateReads: false, disregard: true, keyPolicies: 2 }]);
  });

  it('a private-only write names the collection alone, with no private reads', () => {
    const r = new InterestRecorder();
    r.write('cc', '_implicit_org_Org1MSP', undefined);
    expect(calls(r.build(['cc'], isSystem))).toEqual([{ name: 'cc', collections: ['_implicit_org_Org1MSP'], noPrivateReads: true, disregard: false, keyPolicies: 0 }]);
  });

  it('a public and a private write give one call each', () => {
    const r = new InterestRecorder();
    r.write('cc', '', undefined);
    r.write('cc', 'coll', undefined);
    expect(calls(r.build(['cc'], isSystem)).map((c) => c.collections)).toEqual([[], ['coll']]);
  });

  it('a private read (not a hash read) names its collection with NoPrivateReads cleared; a read-only namespace keeps its chaincode policy', () => {
    const r = new InterestRecorder();
    r.privateRead('cc', 'coll');
    expect(calls(r.build(['cc'], isSystem))).toEqual([
      { name: 'cc', collections: [], noPrivateReads: false, disregard: false, keyPolicies: 0 },
      { name: 'cc', collections: ['coll'], noPrivateReads: false, disregard: false, keyPolicies: 0 },
    ]);
  });

  it('a namespace only read needs its chaincode policy; system namespaces never appear', () => {
    const r = new InterestRecorder();
    expect(calls(r.build(['cc', '_lifecycle'], isSystem))).toEqual([{ name: 'cc', collections: [], noPrivateReads: false, disregard: false, keyPolicies: 0 }]);
  });

  it('a private write under a key-level policy adds the policy, not the collection', () => {
    const r = new InterestRecorder();
    r.write('cc', 'coll', sbe);
    expect(calls(r.build(['cc'], isSystem))).toEqual([{ name: 'cc', collections: [], noPrivateReads: false, disregard: true, keyPolicies: 1 }]);
  });
});
