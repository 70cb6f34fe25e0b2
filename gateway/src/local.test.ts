/**
 * `npm start`'s system (local.ts): on a restart the gateway is built while the devnet starts, from
 * the devnet.json the previous run left, and used only if the devnet's new devnet.json (and every
 * file it names) reads the same; otherwise it is built again from the new one. Either way the
 * gateway is ready on the running devnet. The devnet's worker loads the built entry (network/dist),
 * so `npm test` (which builds first) is where this is meaningful.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConsortium } from '@healthledger/network';
import type { Consortium } from '@healthledger/network';
import { startLocal, topologyFingerprint, type LocalSystem } from './local';

jest.setTimeout(120_000);

const CONSORTIUM = path.resolve(__dirname, '..', '..', 'network', 'consortium.yaml');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-local-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The project's consortium with every peer on a free port (the devnet listens on the consortium's ports, as under `npm start`). */
async function consortiumOnFreePorts(): Promise<Consortium> {
  const consortium = loadConsortium(CONSORTIUM);
  for (const org of consortium.organizations) for (const peer of org.peers) peer.port = await freePort();
  return consortium;
}

async function start(dataDir: string, consortium: Consortium): Promise<LocalSystem> {
  return startLocal({
    dataDir,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'silent' },
    devnet: { consortium, inMemory: true, chaincodeServer: false },
  });
}

/** The gateway dials the peers the running devnet reported, and its readiness probe answers through them. */
async function expectOnDevnet(system: LocalSystem): Promise<void> {
  expect(system.gateway.topology.peers.map((p) => p.endpoint)).toEqual(system.devnet.ready.peers.map((p) => p.address));
  expect(await readyStatus(system.gateway.url)).toBe(200);
}

/** GET /health/ready over HTTP, without keep-alive (a pooled socket to a stopped server keeps jest waiting). */
function readyStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = get(`${url}/health/ready`, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('error', () => resolve(undefined));
  });
}

test('a restart builds the gateway while the devnet starts; on other ports the gateway still dials the running devnet', async () => {
  const dataDir = path.join(dir, 'restart');
  const consortium = await consortiumOnFreePorts();
  // First start: built ahead only if the devnet had already written its devnet.json (timing).
  const first = await start(dataDir, consortium);
  await expectOnDevnet(first).finally(() => first.stop());

  // Same consortium, same material: the devnet.json left behind is the one the devnet writes again.
  const second = await start(dataDir, consortium);
  try {
    expect(second.builtAhead).toBe(true);
    await expectOnDevnet(second);
  } finally {
    await second.stop();
  }

  // Other ports: the devnet.json left behind names peers that are gone. The gateway's modules
  // are loaded already (the starts above), so it reads that file right after the devnet's thread
  // is spawned, long before the devnet rewrites it: that build must be discarded.
  const third = await start(dataDir, await consortiumOnFreePorts());
  try {
    expect(third.builtAhead).toBe(false);
    await expectOnDevnet(third);
  } finally {
    await third.stop();
  }
});

test("the topology's fingerprint covers devnet.json and the files it names, and is undefined without a readable devnet.json", () => {
  const descriptor = path.join(dir, 'fingerprint-devnet.json');
  const cert = path.join(dir, 'fingerprint-cert.pem');
  writeFileSync(cert, 'certificate one');
  writeFileSync(descriptor, JSON.stringify({ channel: 'c', orgs: [{ mspId: 'Org1MSP', users: [{ name: 'u', cert: path.basename(cert) }] }] }));
  const first = topologyFingerprint(descriptor);
  expect(first).toMatch(/^[0-9a-f]{64}$/);
  expect(topologyFingerprint(descriptor)).toBe(first);

  writeFileSync(cert, 'certificate two');
  const second = topologyFingerprint(descriptor);
  expect(second).not.toBe(first);

  writeFileSync(descriptor, JSON.stringify({ channel: 'd', orgs: [{ mspId: 'Org1MSP', users: [{ name: 'u', cert: path.basename(cert) }] }] }));
  expect(topologyFingerprint(descriptor)).not.toBe(second);

  writeFileSync(descriptor, '{ half');
  expect(topologyFingerprint(descriptor)).toBeUndefined();
  expect(topologyFingerprint(path.join(dir, 'no-such-devnet.json'))).toBeUndefined();
});
