import { msp, peer } from '@hyperledger/fabric-protos';
import { parsePolicy } from '@healthledger/fabric-core/policy';
import { ChaincodeRegistry } from './registry';
import { ORGS, SHARED_COLLECTION_DEFINITION as def } from '../test/fixtures/shared-collection';

describe('ChaincodeRegistry collections', () => {
  const configs = new ChaincodeRegistry([def], ORGS).collections('cc');

  it('decodes explicit collections and adds one implicit collection per org', () => {
    expect([...configs.keys()]).toEqual(['shared', '_implicit_org_Org1MSP', '_implicit_org_Org2MSP', '_implicit_org_Org3MSP']);
    const shared = configs.get('shared');
    expect(shared).toMatchObject({ memberOrgs: ['Org1MSP', 'Org2MSP'], requiredPeerCount: 1, blockToLive: 10n, memberOnlyRead: true, memberOnlyWrite: false });
    expect(shared?.endorsementPolicy?.getTypeCase()).toBe(peer.ApplicationPolicy.TypeCase.SIGNATURE_POLICY);
  });

  it('implicit collections: member of the org, open flags, the org Endorsement policy', () => {
    const implicit = configs.get('_implicit_org_Org2MSP');
    expect(implicit).toMatchObject({ implicit: true, memberOrgs: ['Org2MSP'], memberOnlyRead: false, memberOnlyWrite: false });
    expect(implicit?.endorsementPolicy?.getChannelConfigPolicyReference()).toBe('/Channel/Application/Org2MSP/Endorsement');
    const principal = implicit?.memberPolicy.getIdentitiesList()[0];
    const role = msp.MSPRole.deserializeBinary(principal?.getPrincipal_asU8() as Uint8Array);
    expect([role.getMspIdentifier(), role.getRole()]).toEqual(['Org2MSP', msp.MSPRole.MSPRoleType.MEMBER]);
    // Same encoding as the policy DSL would give.
    expect(Buffer.from(implicit?.memberPolicy.serializeBinary() ?? [])).toEqual(Buffer.from(parsePolicy("OR('Org2MSP.member')").serializeBinary()));
  });
});

describe('ChaincodeRegistry lookups', () => {
  const registry = new ChaincodeRegistry([def], ORGS);

  it('decodes a definition once and answers membership and block-to-live from it', () => {
    expect(registry.collections('cc')).toBe(registry.collections('cc'));
    expect(registry.collectionMembers('cc', 'shared')).toEqual(['Org1MSP', 'Org2MSP']);
    expect(registry.blockToLive('cc', 'shared')).toBe(10n);
  });

  it('answers an unknown chaincode or collection with nothing: no members, kept forever', () => {
    expect(registry.get('nope')).toBeUndefined();
    expect(registry.collections('nope').size).toBe(0);
    expect(registry.collection('cc', 'nope')).toBeUndefined();
    expect(registry.collectionMembers('nope', 'shared')).toEqual([]);
    expect(registry.blockToLive('cc', 'nope')).toBe(0n);
  });
});
