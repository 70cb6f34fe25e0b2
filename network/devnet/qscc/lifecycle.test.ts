import { generateKeyPairSync } from 'node:crypto';
import { peer } from '@hyperledger/fabric-protos';
import { createSigningIdentity } from '@healthledger/fabric-core/pki';
import { ChaincodeRegistry } from '../definitions';
import { signedProposal } from '../test/fixtures/probe-chaincode/harness';
import { invokeLifecycle, type LifecycleSupport } from './lifecycle';

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const client = createSigningIdentity('Org1MSP', '-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n', privateKey);
const allowed = { value: true };
const acls: Record<string, string> = { '_lifecycle/QueryChaincodeDefinition': '/Channel/Application/Writers' };
const chaincodes = ChaincodeRegistry.fromInputs(
  [
    {
      name: 'cc',
      version: '1.1',
      sequence: 2,
      endorsementPolicy: "AND('Org1MSP.peer', 'Org2MSP.peer')",
      collections: [{ name: 'shared', memberOrgs: ['Org1MSP', 'Org2MSP'], requiredPeerCount: 0, maxPeerCount: 1, blockToLive: 0, memberOnlyRead: true, memberOnlyWrite: true }],
      address: '127.0.0.1:1',
    },
  ],
  ['Org1MSP', 'Org2MSP'],
);
const support = {
  config: {
    channelId: 'ch',
    orgs: ['Org1MSP', 'Org2MSP'],
    aclPolicy: (resource: string) => acls[resource],
    evaluatePolicy: () => (allowed.value ? { ok: true } : { ok: false, message: 'not a writer' }),
  },
  chaincodes,
} as unknown as LifecycleSupport;

function call(fn: string, name?: string, extra: Buffer[] = []): peer.Response {
  const input = new peer.lifecycle.QueryChaincodeDefinitionArgs();
  if (name !== undefined) input.setName(name);
  const args = [Buffer.from(fn), ...(name === undefined ? [] : [Buffer.from(input.serializeBinary())]), ...extra];
  return invokeLifecycle(support, args, signedProposal(client, { channelId: 'ch', chaincode: '_lifecycle', args }));
}

test('QueryChaincodeDefinition answers the committed definition as Fabric encodes it', () => {
  const res = call('QueryChaincodeDefinition', 'cc');
  expect(res.getStatus()).toBe(200);
  const def = peer.lifecycle.QueryChaincodeDefinitionResult.deserializeBinary(res.getPayload_asU8());
  expect({ sequence: def.getSequence(), version: def.getVersion(), escc: def.getEndorsementPlugin(), vscc: def.getValidationPlugin(), init: def.getInitRequired() }).toEqual({
    sequence: 2,
    version: '1.1',
    escc: 'escc',
    vscc: 'vscc',
    init: false,
  });
  const policy = peer.ApplicationPolicy.deserializeBinary(def.getValidationParameter_asU8());
  expect(policy.getSignaturePolicy()?.getIdentitiesList()).toHaveLength(2);
  // Explicit collections only: the implicit per-organisation ones are not part of a definition.
  expect(def.getCollections()?.getConfigList().map((c) => c.getStaticCollectionConfig()?.getName())).toEqual(['shared']);
  expect(Object.fromEntries(def.getApprovalsMap().toArray())).toEqual({ Org1MSP: true, Org2MSP: true });
});

test("an undefined chaincode is Fabric's 404, not a failure", () => {
  const res = call('QueryChaincodeDefinition', 'nope');
  expect({ status: res.getStatus(), message: res.getMessage() }).toEqual({ status: 404, message: 'namespace nope is not defined' });
});

test("the argument count, then the channel's ACL, are checked first, with Fabric's texts", () => {
  expect(call('QueryChaincodeDefinition').getMessage()).toBe('lifecycle scc operations require exactly two arguments but received 1');
  expect(call('QueryChaincodeDefinition', 'cc', [Buffer.from('x')]).getMessage()).toBe('lifecycle scc operations require exactly two arguments but received 3');
  expect(call('Nonsense', 'cc').getMessage()).toBe('Failed to authorize invocation due to failed ACL check: Unmapped policy for _lifecycle/Nonsense');
  allowed.value = false;
  try {
    const denied = call('QueryChaincodeDefinition', 'cc');
    expect(denied.getStatus()).toBe(500);
    expect(denied.getMessage()).toBe(
      'Failed to authorize invocation due to failed ACL check: Failed evaluating policy on signed data during check policy on channel [ch] with policy [/Channel/Application/Writers]: [not a writer]',
    );
  } finally {
    allowed.value = true;
  }
});
