/**
 * Conformance (persistence): a devnet killed with SIGKILL while transactions commit
 * restarts at its last committed block with every acknowledged transaction present, and goes on.
 *
 * Devnet only: it kills and restarts the devnet process and reads its ledger files. On a real
 * network the peers and the orderer are processes of their own, managed by scripts/network.sh.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { peer } from '@hyperledger/fabric-protos';
import { Devnet } from '@healthledger/network/devnet';
import { startProbeChaincode, type ProbeChaincode } from '@healthledger/network/devnet/test/fixtures/probe-chaincode/harness';
import { CHAINCODE, testConsortium } from './consortium';
import { describeOnDevnet } from './harness';

const WRITER = path.join(__dirname, 'fixtures', 'persistent-writer.ts');
const REGISTER = path.join(__dirname, 'fixtures', 'register-ts.js');
const ACKS_BEFORE_KILL = 15;

let probe: ProbeChaincode;
let dataDir: string;

/** Runs the writer until it acknowledged `count` transactions, then SIGKILLs it. */
function runAndKill(count: number): Promise<Array<{ key: string; txId: string }>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', REGISTER, WRITER, dataDir, probe.address, probe.packageId], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Array<{ key: string; txId: string }> = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [tag, key, txId] = line.split(' ');
        if (tag === 'ACK' && key && txId) acks.push({ key, txId });
      }
      if (acks.length >= count && child.exitCode === null) child.kill('SIGKILL');
    });
    child.once('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describeOnDevnet('kill -9 (devnet only: kills the devnet process)', () => {
  beforeAll(async () => {
    probe = await startProbeChaincode();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-kill9-'));
  });

  afterAll(async () => {
    await probe?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acknowledged transaction and resumes at the last committed block', async () => {
    const acks = await runAndKill(ACKS_BEFORE_KILL);
    expect(acks.length).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);

    const devnet = await Devnet.start({
      consortium: testConsortium(),
      dataDir,
      randomPorts: true,
      chaincodes: [{ name: CHAINCODE, version: '1.0', sequence: 1, packageId: probe.packageId, address: probe.address }],
    });
    try {
      const { ledger } = devnet.network;
      for (const { key, txId } of acks) {
        expect(ledger.blocks.txLocation(txId)?.code).toBe(peer.TxValidationCode.VALID);
        expect(ledger.state.get(CHAINCODE, key)?.value.toString()).toBe(`value-${Number(key.slice(1))}`);
      }
      const height = ledger.blocks.height;
      expect(height).toBeGreaterThan(BigInt(ACKS_BEFORE_KILL));
    } finally {
      await devnet.stop();
    }

    // A second crash-and-restart on the same files keeps extending the same chain.
    const more = await runAndKill(3);
    const again = await Devnet.start({ consortium: testConsortium(), dataDir, randomPorts: true, chaincodes: [{ name: CHAINCODE, version: '1.0', sequence: 1, packageId: probe.packageId, address: probe.address }] });
    try {
      for (const { txId } of [...acks, ...more]) expect(again.network.ledger.blocks.txLocation(txId)?.code).toBe(0);
    } finally {
      await again.stop();
    }
  });
});
