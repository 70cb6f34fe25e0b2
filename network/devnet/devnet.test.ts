import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseConsortium } from '../consortium';
import { Devnet } from './devnet';
import { DESCRIPTOR_FILE, type DevnetDescriptor } from './descriptor';

// Starts processes, servers or generates certificates: slow on a busy machine.
jest.setTimeout(60_000);

const CONSORTIUM = parseConsortium(
  `
channel: ch
chaincode: { name: cc, version: "1.0", sequence: 1, endorsementPolicy: "OR('Org1MSP.peer')", address: 127.0.0.1:9999 }
orderer: { mspId: OrdererMSP, domain: example.com, port: 7050, batchTimeoutMs: 100, maxMessageCount: 10 }
organizations:
  - { mspId: Org1MSP, name: Org 1, kind: provider, domain: org1.example.com, peers: [{ name: peer0, port: 7051 }], users: [{ name: alice, role: auditor }] }
  - { mspId: Org2MSP, name: Org 2, kind: payer, domain: org2.example.com, peers: [{ name: peer0, port: 9051 }], users: [{ name: bob, role: adjudicator }] }
`,
  'devnet-test',
);

describe('Devnet', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-devnet-'));
  });

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts with progress lines, writes devnet.json, commits block 0, and stops idempotently', async () => {
    const lines: string[] = [];
    const devnet = await Devnet.start({ consortium: CONSORTIUM, dataDir, randomPorts: true, peersPerOrg: 2, onProgress: (l) => lines.push(l) });
    try {
      expect(lines.some((l) => l.includes('alice@org1.example.com'))).toBe(true);
      const descriptor = JSON.parse(readFileSync(path.join(dataDir, DESCRIPTOR_FILE), 'utf8')) as DevnetDescriptor;
      expect(descriptor).toEqual(devnet.descriptor);
      expect(descriptor.channel).toBe('ch');
      expect(descriptor.chaincode).toBe('cc');
      expect(descriptor.orgs.map((o) => o.mspId)).toEqual(['Org1MSP', 'Org2MSP']);
      expect(descriptor.orgs[0]?.peerEndpoint).toBe(devnet.endpoint('Org1MSP'));
      expect(descriptor.orgs[0]?.tlsCaCert).toBeUndefined();
      const [alice] = descriptor.orgs[0]?.users ?? [];
      expect(alice).toMatchObject({ name: 'alice', role: 'auditor' });
      expect(readFileSync(alice?.cert ?? '', 'utf8')).toMatch(/BEGIN CERTIFICATE/);
      expect(readFileSync(alice?.key ?? '', 'utf8')).toMatch(/PRIVATE KEY/);
      expect(devnet.peers).toHaveLength(4);
      expect(new Set(devnet.network.peers.map((p) => p.endpoint)).size).toBe(4);
      expect(devnet.network.ledger.blocks.height).toBe(1n);
    } finally {
      await devnet.stop();
      await devnet.stop();
    }
  });

  it('reopens a persistent ledger at its height instead of writing a new block 0', async () => {
    const first = await Devnet.start({ consortium: CONSORTIUM, dataDir, randomPorts: true });
    const hash = first.network.ledger.blocks.currentHash();
    await first.stop();
    const second = await Devnet.start({ consortium: CONSORTIUM, dataDir, randomPorts: true });
    try {
      expect(second.network.ledger.blocks.height).toBe(1n);
      expect(second.network.ledger.blocks.currentHash()).toEqual(hash);
    } finally {
      await second.stop();
    }
  });

  it('survives a chaincode server that cannot start, and reports it', async () => {
    const lines: string[] = [];
    const devnet = await Devnet.start({
      consortium: CONSORTIUM,
      dataDir,
      inMemory: true,
      randomPorts: true,
      chaincodeServer: { cwd: path.join(dataDir, 'no-such-chaincode') },
      onProgress: (l) => lines.push(l),
    });
    await devnet.stop();
    expect(lines.some((l) => /chaincode server (failed to start|exited with code)/.test(l))).toBe(true);
  });
});
