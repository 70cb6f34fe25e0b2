import { ORGANIZATION_KINDS } from '@healthledger/contract-api';
import { common, peer } from '@hyperledger/fabric-protos';
import { parsePolicy } from '@healthledger/fabric-core/policy';
import type { RecordedCall } from '../testing/scripted-ledger';
import { testApp, type TestApp } from '../testing/test-app';
import { networkStatusRoutes } from './network-status';
import { gatewayMetricsRoutes } from './gateway-metrics';

let t: TestApp;
beforeEach(async () => {
  t = await testApp({
    routes: [gatewayMetricsRoutes, networkStatusRoutes],
    handler: ({ call }: RecordedCall) => {
      if (call.fn === '_lifecycle/QueryChaincodeDefinition') return definition();
      // The config block cannot be read: the rest of the answer stands.
      if (call.fn === 'cscc/GetConfigBlock') throw Object.assign(new Error('7 PERMISSION_DENIED'), { code: 7 });
      const org = call.endorsingOrgs?.[0];
      if (call.fn !== 'GetChainInfo' || !org) throw new Error(`unexpected ${call.fn}`);
      // One organisation's peer is down, one is behind.
      if (org === 'InsurerMSP') throw Object.assign(new Error('14 UNAVAILABLE: connection refused'), { code: 14 });
      const info = new common.BlockchainInfo();
      info.setHeight(org === 'Hospital2MSP' ? 9 : 10);
      info.setCurrentblockhash(Buffer.alloc(32, org.length));
      return info.serializeBinary();
    },
  });
});
afterEach(async () => t.close());

/** A definition at sequence 3 with one collection, as `_lifecycle` encodes it. */
function definition(): Uint8Array {
  const result = new peer.lifecycle.QueryChaincodeDefinitionResult();
  result.setSequence(3);
  result.setVersion('1.2');
  result.setEndorsementPlugin('escc');
  result.setValidationPlugin('vscc');
  const policy = new peer.ApplicationPolicy();
  policy.setSignaturePolicy(parsePolicy("OutOf(2, 'Hospital1MSP.peer', 'Hospital2MSP.peer', 'InsurerMSP.peer')"));
  result.setValidationParameter(policy.serializeBinary());
  const member = new peer.CollectionPolicyConfig();
  member.setSignaturePolicy(parsePolicy("OR('Hospital1MSP.member', 'InsurerMSP.member')"));
  const collection = new peer.StaticCollectionConfig();
  collection.setName('claims');
  collection.setMemberOrgsPolicy(member);
  collection.setBlockToLive(100);
  const config = new peer.CollectionConfig();
  config.setStaticCollectionConfig(collection);
  const collections = new peer.CollectionConfigPackage();
  collections.setConfigList([config]);
  result.setCollections(collections);
  result.getApprovalsMap().set('InsurerMSP', false).set('Hospital1MSP', true);
  return result.serializeBinary();
}

const get = async (url: string, user: string) => t.inject({ method: 'GET', url, headers: { authorization: await t.bearer(user) } });

interface Network {
  organisations: { mspId: string; reachable: boolean; height?: string; problem?: string }[];
}

test("every organisation's peer is asked for its own height; one down and one behind show as such", async () => {
  const res = await get('/ops/network', 'auditor1');
  expect(res.statusCode).toBe(200);
  const { organisations } = res.json<Network>();
  expect(organisations.map((o) => o.mspId)).toEqual(Object.keys(ORGANIZATION_KINDS).sort());
  expect(organisations.find((o) => o.mspId === 'Hospital1MSP')).toMatchObject({ reachable: true, height: '10', kind: 'provider' });
  expect(organisations.find((o) => o.mspId === 'Hospital2MSP')).toMatchObject({ reachable: true, height: '9' });
  expect(organisations.find((o) => o.mspId === 'InsurerMSP')).toEqual({ mspId: 'InsurerMSP', kind: 'payer', reachable: false, problem: 'UNAVAILABLE' });
  const qscc = t.ledger.calls.filter((c) => c.kind === 'qscc');
  expect(qscc.map((c) => c.call.endorsingOrgs)).toEqual(Object.keys(ORGANIZATION_KINDS).sort().map((org) => [org]));
});

test("the chaincode's committed definition is decoded from _lifecycle's answer; a config block that cannot be read is named, not a failure", async () => {
  const res = await get('/ops/network', 'auditor1');
  expect(res.statusCode).toBe(200);
  const body = res.json<Record<string, unknown>>();
  expect(body['definition']).toEqual({
    name: 'healthledger',
    version: '1.2',
    sequence: '3',
    endorsementPlugin: 'escc',
    validationPlugin: 'vscc',
    endorsementPolicy: "OutOf(2, 'Hospital1MSP.peer', 'Hospital2MSP.peer', 'InsurerMSP.peer')",
    initRequired: false,
    collections: [
      { name: 'claims', memberOrgs: ['Hospital1MSP', 'InsurerMSP'], memberPolicy: "OR('Hospital1MSP.member', 'InsurerMSP.member')", requiredPeerCount: 0, maxPeerCount: 0, blockToLive: '100', memberOnlyRead: false, memberOnlyWrite: false },
    ],
    approvals: [
      { mspId: 'Hospital1MSP', approved: true },
      { mspId: 'InsurerMSP', approved: false },
    ],
  });
  expect(body).toMatchObject({ ordererProblem: 'PERMISSION_DENIED' });
  expect(body['orderer']).toBeUndefined();
  // The definition asked for is the chaincode the gateway serves, as the caller.
  expect(t.ledger.calls.find((c) => c.kind === 'system' && c.call.fn === '_lifecycle/QueryChaincodeDefinition')).toMatchObject({ call: { args: ['healthledger'] }, user: { name: 'auditor1' } });
});

test("the gateway's metrics come as JSON with the series a chart needs", async () => {
  await get('/ops/network', 'auditor1');
  const res = await get('/ops/metrics', 'auditor1');
  expect(res.statusCode).toBe(200);
  const { metrics } = res.json<{ metrics: { name: string; samples: { name: string; labels: Record<string, string>; value: number }[] }[] }>();
  const http = metrics.find((m) => m.name === 'healthledger_http_request_duration_seconds');
  expect(http?.samples).toContainEqual({ name: 'healthledger_http_request_duration_seconds_count', labels: { method: 'GET', route: '/ops/network', status: '200' }, value: 1 });
});

test('clinicians and patients are refused both', async () => {
  for (const user of ['clinician1', 'patient1']) {
    expect((await get('/ops/network', user)).statusCode).toBe(403);
    expect((await get('/ops/metrics', user)).statusCode).toBe(403);
  }
  expect(t.ledger.calls).toHaveLength(0);
});

test('the console page is served without credentials, under a CSP that allows only its own scripts', async () => {
  // `/console` redirects to `/console/` (the test client follows it).
  expect((await t.inject({ method: 'GET', url: '/console' })).body).toContain('<title>healthledger console</title>');
  const page = await t.inject({ method: 'GET', url: '/console/' });
  expect(page.statusCode).toBe(200);
  expect(page.headers['content-type']).toMatch(/text\/html/);
  expect(page.body).toContain('<script type="module" src="main.js"></script>');
  expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
  expect((await t.inject({ method: 'GET', url: '/console/console.css' })).statusCode).toBe(200);
  expect((await t.inject({ method: 'GET', url: '/console/../package.json' })).statusCode).toBe(404);
});
