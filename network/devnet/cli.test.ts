import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

// Starts processes, servers or generates certificates: slow on a busy machine.
jest.setTimeout(60_000);

const CLI = path.join(__dirname, 'cli.ts');
const REGISTER_TS = path.resolve(__dirname, '..', '..', 'test', 'conformance', 'fixtures', 'register-ts.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('npm run devnet (cli.ts)', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-cli-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints endpoints, identities and the descriptor, then stops cleanly on SIGINT', async () => {
    const [p1, p2, cc] = [await freePort(), await freePort(), await freePort()];
    const consortiumFile = path.join(dir, 'consortium.yaml');
    writeFileSync(
      consortiumFile,
      `channel: clichannel
chaincode: { name: cc, version: "1.0", sequence: 1, endorsementPolicy: "OR('Org1MSP.peer')", address: "127.0.0.1:${cc}" }
orderer: { mspId: OrdererMSP, domain: example.com, port: 7050, batchTimeoutMs: 100, maxMessageCount: 10 }
organizations:
  - { mspId: Org1MSP, name: Org 1, kind: provider, domain: org1.example.com, peers: [{ name: peer0, port: ${p1} }], users: [{ name: alice, role: auditor }] }
  - { mspId: Org2MSP, name: Org 2, kind: payer, domain: org2.example.com, peers: [{ name: peer0, port: ${p2} }], users: [{ name: bob, role: adjudicator }] }
`,
    );
    const dataDir = path.join(dir, 'data');
    const child = spawn(process.execPath, ['-r', REGISTER_TS, CLI], {
      env: { ...process.env, HEALTHLEDGER_DATA_DIR: dataDir, HEALTHLEDGER_CONSORTIUM: consortiumFile, CORE_CHAINCODE_LOGGING_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!output.includes('Ctrl-C to stop') && Date.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain(`devnet: data directory ${dataDir}`);
    expect(output).toContain('issued alice@org1.example.com');
    expect(output).toMatch(new RegExp(`Org1MSP\\s+gateway peer 127\\.0\\.0\\.1:${p1}`));
    expect(output).toContain(`devnet: identities under ${path.join(dataDir, 'organizations')}`);
    expect(output).toContain('devnet: stopped');
    const descriptorFile = path.join(dataDir, 'devnet.json');
    expect(existsSync(descriptorFile)).toBe(true);
    expect(JSON.parse(readFileSync(descriptorFile, 'utf8'))).toMatchObject({ channel: 'clichannel', chaincode: 'cc' });
  });
});
