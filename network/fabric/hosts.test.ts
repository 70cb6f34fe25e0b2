import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadConsortium } from '../consortium';
import { ccaasConnection, ccaasListenAddress } from './ccaas';
import { configtxOf } from './configtx';
import { peerCoreOverlay } from './core';
import { generateNetwork } from './generate';
import { gatewayEnvOf } from './gateway-env';
import { parseHostsFile } from './hosts';
import { ordererOverlay } from './orderer';
import { shellEnvOf } from './shell-env';
import { addressOf, hostNamesOf, topologyOf } from './topology';

const consortium = loadConsortium();

/** One address per host, as scripts/netns-hosts.sh writes them. */
function hostsText(orderers = 1): string {
  const names = hostNamesOf(topologyOf(consortium, { workDir: '/x', orderers }));
  return ['# comment', ...names.map((n, i) => `10.77.0.${i + 2} ${n}   # trailing comment`), ''].join('\n');
}

describe('hosts files', () => {
  it('reads /etc/hosts form: IPv4 address, names and aliases, comments', () => {
    expect(parseHostsFile('# x\n\n10.0.0.1 a.example.com a # alias\n10.0.0.2\tb\n')).toEqual({ 'a.example.com': '10.0.0.1', a: '10.0.0.1', b: '10.0.0.2' });
  });

  it('names the line of a bad entry', () => {
    expect(() => parseHostsFile('10.0.0.1 a\nnot-an-ip b\n')).toThrow('hosts file line 2: expected "IPv4-address host-name…", got "not-an-ip b"');
    expect(() => parseHostsFile('10.0.0.1\n')).toThrow('line 1');
    expect(() => parseHostsFile('10.0.0.1 a\n10.0.0.2 a\n')).toThrow('hosts file line 2: a is already mapped to 10.0.0.1');
  });

  it('must give every node, the chaincode server and every gateway an address', () => {
    const hosts = parseHostsFile(hostsText());
    delete hosts['peer0.insurer.example.com'];
    delete hosts.chaincode;
    delete hosts['gateway.hospital2.example.com'];
    expect(() => topologyOf(consortium, { workDir: '/x', hosts })).toThrow(
      'the hosts file has no address for: chaincode, peer0.insurer.example.com, gateway.hospital2.example.com',
    );
  });

  it('lists the hosts in the order netns-hosts.sh numbers them: chaincode, orderers, peers, gateways', () => {
    const names = hostNamesOf(topologyOf(consortium, { workDir: '/x', orderers: 2 }));
    expect(names.slice(0, 3)).toEqual(['chaincode', 'orderer.example.com', 'orderer2.example.com']);
    expect(names.slice(-consortium.organizations.length)).toEqual(consortium.organizations.map((o) => `gateway.${o.domain}`));
    expect(names).toHaveLength(1 + 2 + consortium.organizations.reduce((n, o) => n + o.peers.length, 0) + consortium.organizations.length);
  });
});

describe('several hosts: addresses from a hosts file', () => {
  const hosts = parseHostsFile(hostsText(3));
  const topology = topologyOf(consortium, { workDir: '/tmp/hl-hosts', orderers: 3, hosts });
  const peer = topology.orgs[2]!.peers[0]!;
  const ip = hosts[peer.host]!;

  it('reaches and binds every node at its own address', () => {
    expect(topology.addressing).toBe('hosts');
    expect(addressOf(topology, peer)).toBe(`${ip}:${peer.port}`);
    const core = peerCoreOverlay(topology, peer, '/b') as { peer: Record<string, unknown>; operations: Record<string, unknown> };
    expect(core.peer['listenAddress']).toBe(`${ip}:${peer.port}`);
    expect(core.peer['gossip']).toMatchObject({ bootstrap: `${ip}:${peer.port}`, externalEndpoint: `${ip}:${peer.port}` });
    expect(core.operations['listenAddress']).toBe(`${ip}:${peer.operationsPort}`);
    const o2 = topology.orderers[1]!;
    expect(ordererOverlay(topology, o2)).toMatchObject({ General: { ListenAddress: hosts[o2.host] }, Admin: { ListenAddress: `${hosts[o2.host]}:${o2.adminPort}` } });
    expect(ccaasConnection(consortium, topology).address).toBe(`${hosts.chaincode}:9999`);
    expect(ccaasListenAddress(consortium, topology)).toBe(`${hosts.chaincode}:9999`);
    expect(gatewayEnvOf(consortium, topology, peer.mspId)).toMatchObject({ FABRIC_PEER_ENDPOINT: `${ip}:${peer.port}`, FABRIC_HOST_OVERRIDE: peer.host });
  });

  it("has each organisation's gateway listen on its own address, and network.sh start it there", () => {
    const org = topology.orgs[2]!;
    const gatewayIp = hosts[`gateway.${org.domain}`]!;
    expect(gatewayEnvOf(consortium, topology, org.mspId)).toMatchObject({ HOST: gatewayIp, PORT: '3000' });
    const shell = shellEnvOf(consortium, topology);
    expect(shell).toContain(`GATEWAY_HOSTS=(${topology.orgs.map((o) => `'gateway.${o.domain}'`).join(' ')})`);
    expect(shell).toContain(`GATEWAY_MSPIDS=(${topology.orgs.map((o) => `'${o.mspId}'`).join(' ')})`);
    expect(shell).toContain(`'${gatewayIp}:3000'`);
    expect(shell).toContain(`'/tmp/hl-hosts/data/gateway.${org.domain}'`);
  });

  it('gives gateways no place of their own on one machine: the env files keep the gateway defaults', () => {
    const local = topologyOf(consortium, { workDir: '/tmp/hl-local' });
    const env = gatewayEnvOf(consortium, local, local.orgs[0]!.mspId);
    expect(env).not.toHaveProperty('HOST');
    expect(env).not.toHaveProperty('PORT');
    expect(shellEnvOf(consortium, local)).toContain('GATEWAY_HOSTS=()');
  });

  it('leaves no loopback or wildcard address in anything generated for the nodes', () => {
    const generated = JSON.stringify([
      ...topology.orgs.flatMap((o) => o.peers.map((p) => peerCoreOverlay(topology, p, '/b'))),
      ...topology.orderers.map((o) => ordererOverlay(topology, o)),
      configtxOf(consortium, topology),
      ccaasConnection(consortium, topology),
      ...consortium.organizations.map((o) => gatewayEnvOf(consortium, topology, o.mspId)),
      shellEnvOf(consortium, topology),
    ]);
    expect(generated).not.toMatch(/localhost|127\.0\.0\.1|0\.0\.0\.0/);
  });

  describe('generated into a work directory', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'hl-hosts-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('issues each node a TLS certificate for its IP address, so that no name has to resolve', async () => {
      const cfg = path.join(dir, 'cfg');
      mkdirSync(cfg);
      writeFileSync(path.join(cfg, 'core.yaml'), 'peer:\n  id: jdoe\n');
      writeFileSync(path.join(cfg, 'orderer.yaml'), 'General:\n  ListenPort: 7050\n');
      // A tree generated for one machine first: its TLS certificates lack the IPs and are reissued.
      await generateNetwork(consortium, { workDir: path.join(dir, 'work'), orderers: 3, fabricCfg: cfg });
      const written = await generateNetwork(consortium, { workDir: path.join(dir, 'work'), orderers: 3, hosts, fabricCfg: cfg });
      for (const node of [...written.orderers, ...written.orgs.flatMap((o) => o.peers)]) {
        const san = new X509Certificate(readFileSync(path.join(node.materialDir, 'tls', 'server.crt'))).subjectAltName;
        expect(san).toContain(`IP Address:${hosts[node.host]!}`);
        expect(san).toContain(`DNS:${node.host}`);
      }
      const connection = JSON.parse(readFileSync(path.join(dir, 'work', 'chaincode', 'connection.json'), 'utf8')) as { address: string };
      expect(connection.address).toBe(`${hosts.chaincode}:9999`);
      const core = parse(readFileSync(path.join(written.orgs[0]!.peers[0]!.configDir, 'core.yaml'), 'utf8')) as { peer: { address: string } };
      expect(core.peer.address).toBe(`${hosts['peer0.hospital1.example.com']}:7051`);
    }, 60000);

    it('refuses a hosts file together with Docker mode', async () => {
      await expect(generateNetwork(consortium, { workDir: path.join(dir, 'docker'), docker: true, hosts })).rejects.toThrow('exclude each other');
    });
  });
});
