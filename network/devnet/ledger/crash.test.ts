import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { transformSync } from 'esbuild';
import { Ledger } from './ledger';
import { CRASH_COLL, CRASH_NS, CRASH_ORG, purgedBy } from './testing/crash-writer';

/** Whether `p~n` was purged by a block below `height`. */
function isPurged(n: bigint, height: bigint): boolean {
  const by = purgedBy(n);
  return by !== undefined && by < height;
}

/*
 * kill -9 at an arbitrary moment: every block the writer acknowledged must be there after
 * reopening, and no torn block may be. The writer runs as plain JavaScript transpiled from the
 * sources (no ts-node in the workspace, and dist may be stale or mid-build).
 */

const NODE_MODULES = join(dirname(require.resolve('@hyperledger/fabric-protos/package.json')), '..', '..');

/** Transpiles the ledger and the fabric-core module it imports into `outDir`; returns the writer script. */
async function transpileLedger(outDir: string): Promise<string> {
  const devnet = join(__dirname, '..');
  const sources: Array<[string, string]> = [];
  const walk = async (dir: string, out: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path, join(out, entry.name));
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) sources.push([path, join(out, entry.name.replace(/\.ts$/, '.js'))]);
    }
  };
  await walk(join(devnet, 'ledger'), join(outDir, 'ledger'));
  // Where Node finds `@healthledger/fabric-core/crypto` from the writer, ahead of NODE_PATH.
  await walk(join(devnet, '..', 'fabric-core', 'src', 'crypto'), join(outDir, 'node_modules', '@healthledger', 'fabric-core', 'crypto'));
  for (const [source, target] of sources) {
    // esbuild, not TypeScript: the compiler, loaded into this file's module registry and run on
    // every source, cost about a quarter of the suite's CPU. Transpile only either way; the
    // ledger has no decorators (whose metadata esbuild cannot emit).
    const { code: outputText } = transformSync(await readFile(source, 'utf8'), { loader: 'ts', format: 'cjs', platform: 'node', target: 'es2022', sourcefile: source });
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, outputText);
  }
  return join(outDir, 'ledger', 'testing', 'crash-writer.js');
}

/** Runs the writer until it has acknowledged `minAcks` more blocks, waits a bit more, kills it. */
function runAndKill(script: string, dataDir: string, minAcks: number, extraMs: number): Promise<bigint[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dataDir], { env: { ...process.env, NODE_PATH: NODE_MODULES }, stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: bigint[] = [];
    let stdout = '';
    let stderr = '';
    let killing = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const lines = stdout.split('\n');
      stdout = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('ack ')) acks.push(BigInt(line.slice(4)));
      if (!killing && acks.length >= minAcks) {
        killing = true;
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(acks);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

describe('Ledger crash safety (SIGKILL)', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ledger-crash-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('keeps every acknowledged block and no torn one across repeated kills', async () => {
    const script = await transpileLedger(join(work, 'js'));
    const dataDir = join(work, 'data');
    let lastAck = -1n;
    const repairs: string[] = [];
    for (const extraMs of [0, 7, 23, 3, 41, 1, 13, 0]) {
      const acks = await runAndKill(script, dataDir, 4, extraMs);
      expect(acks.length).toBeGreaterThanOrEqual(4);
      expect(acks[0]).toBe(lastAck + 1n); // resumed exactly after the last durable block
      lastAck = acks[acks.length - 1] ?? lastAck;

      const ledger = await Ledger.open({ dir: dataDir, orgs: [CRASH_ORG], log: (m) => repairs.push(m) });
      const height = ledger.blocks.height;
      expect(height).toBeGreaterThan(lastAck); // may hold one more, fully written but unacknowledged
      expect(height).toBeLessThanOrEqual(lastAck + 2n);
      for (let n = 1n; n < height; n++) {
        expect(ledger.state.get(CRASH_NS, `k~${n}~98`)?.value.toString().split('|')[0]).toBe(`${n}`);
        const pvt = ledger.privateStore(CRASH_ORG).get(CRASH_NS, CRASH_COLL, `p~${n}`)?.value.toString().split('|')[0];
        expect(pvt).toBe(isPurged(n, height) ? undefined : `${n}`);
        expect(ledger.blocks.txLocation(`crash-${n}-0`)).toEqual({ blockNum: n, txNum: 0, code: 0 });
      }
      expect(ledger.state.get(CRASH_NS, `k~${height}~0`)).toBeUndefined();
      const live: string[] = [];
      for (let n = 1n; n < height; n++) if (!isPurged(n, height)) live.push(`${CRASH_ORG}.${n}.99.0`);
      expect((await readdir(join(dataDir, 'blobs'))).sort()).toEqual(live.sort()); // no orphan, no purged blob left
      lastAck = height - 1n;
      await ledger.close();
    }
  }, 120_000);
});
