import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { loadConsortium, parseConsortium } from '../consortium';
import { ccaasConnection, ccaasMetadata, packageLabel } from './ccaas';
import { collectionsConfigOf } from './collections';
import { composeOf } from './compose';
import { CHANNEL_PROFILE, configtxOf } from './configtx';
import { CCAAS_BUILDER_NAME, peerCoreOverlay } from './core';
import { toFabricEnv } from './environment';
import { gatewayEnvOf } from './gateway-env';
import { overlay } from './merge';
import { ordererOverlay } from './orderer';
import { shellEnvOf } from './shell-env';
import { topologyOf } from './topology';

const consortium = loadConsortium();
const topology = topologyOf(consortium, { workDir: '/tmp/hl-fabric' });

// Generated configs are untyped YAML trees; tests navigate them freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Dict = Record<string, any>;

describe('real Fabric configuration generated from the consortium definition', () => {
  const configtx = configtxOf(consortium, topology) as Dict;
  const profile = configtx.Profiles[CHANNEL_PROFILE];

  it('puts every organisation in the channel with its MSP dir, NodeOU policies and anchor peer', () => {
    const appOrgs = profile.Application.Organizations as Dict[];
    expect(appOrgs.map((o) => o.ID)).toEqual(consortium.organizations.map((o) => o.mspId));
    for (const org of consortium.organizations) {
      const entry = appOrgs.find((o) => o.ID === org.mspId)!;
      expect(entry.MSPDir).toBe(`/tmp/hl-fabric/organizations/peerOrganizations/${org.domain}/msp`);
      expect(entry.Policies.Endorsement.Rule).toBe(`OR('${org.mspId}.peer')`);
      expect(entry.Policies.Writers.Rule).toBe(`OR('${org.mspId}.admin', '${org.mspId}.client')`);
      expect(entry.AnchorPeers).toEqual([{ Host: 'localhost', Port: org.peers[0]!.port }]);
    }
  });

  it('uses application capability V2_5 (private data purge) and channel participation', () => {
    expect(profile.Application.Capabilities).toEqual({ V2_5: true });
    expect(profile.Capabilities).toEqual({ V2_0: true });
    expect(profile.Consortium).toBeUndefined();
    expect(profile.Orderer.OrdererType).toBe('etcdraft');
    expect(profile.Orderer.EtcdRaft.Consenters).toHaveLength(1);
    expect(profile.Orderer.BatchSize.MaxMessageCount).toBe(consortium.orderer.maxMessageCount);
    expect(profile.Application.Policies.LifecycleEndorsement.Rule).toBe('MAJORITY Endorsement');
  });

  it('configures more Raft orderers on distinct ports when asked', () => {
    const three = topologyOf(consortium, { workDir: '/tmp/x', orderers: 3 });
    const ports = [
      ...three.orderers.flatMap((o) => [o.port, o.adminPort, o.operationsPort]),
      ...three.orgs.flatMap((o) => o.peers.flatMap((p) => [p.port, p.chaincodePort, p.operationsPort])),
    ];
    expect(new Set(ports).size).toBe(ports.length);
    expect(three.orderers.map((o) => [o.host, o.port, o.adminPort, o.operationsPort])).toEqual([
      ['orderer.example.com', 7050, 7053, 9443],
      ['orderer2.example.com', 7150, 7153, 9543],
      ['orderer3.example.com', 7250, 7253, 9643],
    ]);
    expect((configtxOf(consortium, three) as Dict).Profiles[CHANNEL_PROFILE].Orderer.EtcdRaft.Consenters).toHaveLength(3);
  });

  it("keeps every peer's ports whatever the number of orderers", () => {
    const portsOf = (orderers: number): number[][] =>
      topologyOf(consortium, { workDir: '/tmp/x', orderers }).orgs.flatMap((o) => o.peers.map((p) => [p.port, p.chaincodePort, p.operationsPort]));
    expect(portsOf(3)).toEqual(portsOf(1));
    expect(portsOf(1)[0]).toEqual([7051, 7052, 9444]);
  });

  it('gives every node distinct ports', () => {
    const ports = [
      ...topology.orderers.flatMap((o) => [o.port, o.adminPort, o.operationsPort]),
      ...topology.orgs.flatMap((o) => o.peers.flatMap((p) => [p.port, p.chaincodePort, p.operationsPort])),
    ];
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('configures each peer: identity, TLS, LevelDB, gateway, our ccaas builder', () => {
    for (const org of topology.orgs) {
      for (const peer of org.peers) {
        const core = peerCoreOverlay(topology, peer, '/builder') as Dict;
        expect(core.peer.localMspId).toBe(org.mspId);
        expect(core.peer.listenAddress).toBe(`127.0.0.1:${peer.port}`);
        expect(core.peer.tls.enabled).toBe(true);
        expect(core.peer.gateway.enabled).toBe(true);
        expect(core.ledger.state.stateDatabase).toBe('goleveldb');
        expect(core.chaincode.externalBuilders).toEqual([{ name: CCAAS_BUILDER_NAME, path: '/builder', propagateEnvironment: ['CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG'] }]);
        expect(core.metrics.provider).toBe('prometheus');
        expect(core.operations.listenAddress).toBe(`127.0.0.1:${peer.operationsPort}`);
      }
    }
  });

  it('shortens the gossip reconnect interval so that membership converges soon after the joins', () => {
    const core = peerCoreOverlay(topology, topology.orgs[0]!.peers[0]!, '/b') as Dict;
    expect(core.peer.gossip.reconnectInterval).toBe('5s');
    expect(core.peer.gossip.aliveExpirationTimeout).toBe('10s');
    expect(core.peer.gossip.bootstrap).toBe(core.peer.gossip.externalEndpoint);
  });

  it('defaults the ccaas builder to the one in the network package', () => {
    const core = peerCoreOverlay(topology, topology.orgs[0]!.peers[0]!) as Dict;
    expect(core.chaincode.externalBuilders[0].path).toBe(path.resolve(__dirname, 'ccaas-builder'));
  });

  it('overlays the release defaults without losing unrelated settings', () => {
    const base = { peer: { id: 'jdoe', keepalive: { interval: '7200s' }, tls: { enabled: false } }, chaincode: { externalBuilders: [{ name: 'ccaas_builder' }] }, vm: { endpoint: 'unix' } };
    const peer = topology.orgs[0]!.peers[0]!;
    const merged = overlay(base, peerCoreOverlay(topology, peer, '/b')) as Dict;
    expect(merged.peer.id).toBe(peer.host);
    expect(merged.peer.keepalive.interval).toBe('7200s');
    // No Docker natively: an endpoint left set makes /healthz answer 503.
    expect(merged.vm.endpoint).toBe('');
    expect(merged.chaincode.externalBuilders).toHaveLength(1);
    expect(merged.chaincode.externalBuilders[0].name).toBe(CCAAS_BUILDER_NAME);
  });

  it('configures the orderer for channel participation with a TLS admin endpoint', () => {
    const o = ordererOverlay(topology, topology.orderers[0]!) as Dict;
    expect(o.General.BootstrapMethod).toBe('none');
    expect(o.ChannelParticipation.Enabled).toBe(true);
    expect(o.Admin.TLS.ClientAuthRequired).toBe(true);
    expect(o.General.LocalMSPID).toBe(consortium.orderer.mspId);
    expect(o.General.ListenPort).toBe(consortium.orderer.port);
  });

  it('writes collections config only for explicit collections', () => {
    expect(collectionsConfigOf(consortium)).toEqual([]);
    const withOne = parseConsortium(
      `${readFileSync(require.resolve('../consortium.yaml'), 'utf8').replace('collections: []', "collections:\n  - { name: referrals, memberOrgs: [Hospital1MSP, Hospital2MSP], blockToLive: 100, endorsementPolicy: \"OR('Hospital1MSP.peer', 'Hospital2MSP.peer')\" }")}`,
    );
    expect(collectionsConfigOf(withOne)).toEqual([
      {
        name: 'referrals',
        policy: "OR('Hospital1MSP.member', 'Hospital2MSP.member')",
        requiredPeerCount: 0,
        maxPeerCount: 1,
        blockToLive: 100,
        memberOnlyRead: true,
        memberOnlyWrite: true,
        endorsementPolicy: { signaturePolicy: "OR('Hospital1MSP.peer', 'Hospital2MSP.peer')" },
      },
    ]);
  });

  it('packages the chaincode as a service at the consortium address', () => {
    expect(ccaasMetadata(packageLabel(consortium))).toEqual({ type: 'ccaas', label: 'healthledger_1.0' });
    expect(ccaasConnection(consortium, topology)).toMatchObject({ address: '127.0.0.1:9999', tls_required: false });
    expect(ccaasConnection(consortium, { addressing: 'docker', hosts: {} }).address).toBe('host.docker.internal:9999');
  });

  it('writes one gateway env file per organisation pointing at its own peer', () => {
    for (const org of consortium.organizations) {
      const env = gatewayEnvOf(consortium, topology, org.mspId);
      expect(env.FABRIC_MSP_ID).toBe(org.mspId);
      expect(env.FABRIC_PEER_ENDPOINT).toBe(`localhost:${org.peers[0]!.port}`);
      expect(env.FABRIC_HOST_OVERRIDE).toBe(`peer0.${org.domain}`);
      expect(env.FABRIC_CHANNEL).toBe('healthchannel');
      expect(env.FABRIC_IDENTITY_DIR).toBe(`/tmp/hl-fabric/organizations/peerOrganizations/${org.domain}/users`);
    }
  });

  it('runs official 2.5 images in Docker mode with the settings as environment variables', () => {
    const docker = topologyOf(consortium, { workDir: '/tmp/d', addressing: 'docker' });
    const compose = composeOf(consortium, docker, '/repo/network/fabric/ccaas-builder') as Dict;
    const peer = compose.services[`peer0.${consortium.organizations[0]!.domain}`];
    expect(peer.image).toBe('hyperledger/fabric-peer:2.5');
    expect(peer.environment.CORE_PEER_LOCALMSPID).toBe('Hospital1MSP');
    expect(peer.environment.CORE_PEER_TLS_ENABLED).toBe('true');
    expect(peer.volumes).toContain('/repo/network/fabric/ccaas-builder:/opt/hyperledger/ccaas_builder:ro');
    expect(compose.services['orderer.example.com'].environment.ORDERER_GENERAL_BOOTSTRAPMETHOD).toBe('none');
    expect(Object.keys(compose.services)).toHaveLength(consortium.organizations.length + 1);
  });

  it('flattens settings to Fabric environment variables', () => {
    expect(toFabricEnv('CORE', { peer: { tls: { cert: { file: '/x' } } }, a: { list: ['p', 'q'] } })).toEqual({ CORE_PEER_TLS_CERT_FILE: '/x', CORE_A_LIST: '[p,q]' });
  });

  it('describes the network to the shell script', () => {
    const text = shellEnvOf(consortium, topology);
    expect(text).toContain("CHANNEL='healthchannel'");
    expect(text).toContain(`CC_POLICY='${consortium.chaincode.endorsementPolicy.replace(/'/g, "'\\''")}'`);
    expect(text).toMatch(/PEER_HOSTS=\('peer0\.hospital1\.example\.com' /);
    expect(text).toContain("PEER_OPERATIONS=('localhost:9444' ");
    expect(text).toContain("CC_LISTEN='127.0.0.1:9999'");
    expect(text).toContain("'peer0.hospital1.example.com=127.0.0.1:7052'");
  });

  it('round-trips through YAML', () => {
    expect(parse(stringify(configtx))).toEqual(configtx);
  });
});
