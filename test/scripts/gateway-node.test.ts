/**
 * scripts/gateway-node.sh is the one definition of the gateway process's memory settings: `npm
 * start`, the gateways network.sh starts beside real Fabric, and the benchmarks' `npm start` system
 * all go through it, so what the benchmarks measure is what operators run.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'gateway-node.sh');
const MEMORY_VARIABLES = ['MALLOC_ARENA_MAX', 'MALLOC_MMAP_THRESHOLD_', 'MALLOC_TRIM_THRESHOLD_', 'HEALTHLEDGER_GATEWAY_SEMI_SPACE_MB', 'HEALTHLEDGER_HEAP_GROWING_PERCENT', 'HEALTHLEDGER_GATEWAY_SINGLE_THREADED_GC', 'HEALTHLEDGER_GATEWAY_PARALLEL_SCAVENGE', 'HEALTHLEDGER_GATEWAY_CONCURRENT_MARKING'];

interface Seen {
  pid: number;
  childPid: number | undefined;
  execArgv: string[];
  env: Record<string, string | undefined>;
}

/** Runs node through the script with `env` on top of an environment without any memory variable. */
async function runThrough(env: Record<string, string> = {}): Promise<Seen> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !MEMORY_VARIABLES.includes(name)));
  const report = 'process.stdout.write(JSON.stringify({ pid: process.pid, execArgv: process.execArgv, env: { a: process.env.MALLOC_ARENA_MAX, m: process.env.MALLOC_MMAP_THRESHOLD_, t: process.env.MALLOC_TRIM_THRESHOLD_ } }))';
  const child = spawn(SCRIPT, ['-e', report], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(0);
  return { ...(JSON.parse(out) as Omit<Seen, 'childPid'>), childPid: child.pid };
}

describe('scripts/gateway-node.sh', () => {
  it('runs node itself (exec), with the default memory settings', async () => {
    const seen = await runThrough();
    // The PID a signal is sent to, and network.sh records, is node's.
    expect(seen.pid).toBe(seen.childPid);
    expect(seen.execArgv.slice(0, 2)).toEqual(['--max-semi-space-size=4', '--heap-growing-percent=50']);
    expect(seen.execArgv).toContain('--expose-gc');
    expect(seen.execArgv).toContain('--no-parallel-scavenge');
    expect(seen.execArgv).not.toContain('--single-threaded-gc');
    expect(seen.execArgv).not.toContain('--no-concurrent-marking');
    expect(seen.env).toEqual({ a: '2', m: '131072', t: '131072' });
  });

  it('marks on the JavaScript threads themselves when told to', async () => {
    const seen = await runThrough({ HEALTHLEDGER_GATEWAY_CONCURRENT_MARKING: '0' });
    expect(seen.execArgv).toContain('--no-concurrent-marking');
    expect(seen.execArgv).toContain('--no-parallel-scavenge');
  });

  it("scavenges with V8's helper threads when told to", async () => {
    const seen = await runThrough({ HEALTHLEDGER_GATEWAY_PARALLEL_SCAVENGE: '1' });
    expect(seen.execArgv).toContain('--expose-gc');
    expect(seen.execArgv).not.toContain('--no-parallel-scavenge');
  });

  it("collects without V8's helper threads when told to", async () => {
    const seen = await runThrough({ HEALTHLEDGER_GATEWAY_SINGLE_THREADED_GC: '1' });
    expect(seen.execArgv).toContain('--expose-gc');
    expect(seen.execArgv).toContain('--single-threaded-gc');
  });

  it("keeps an operator's own values", async () => {
    const seen = await runThrough({ MALLOC_ARENA_MAX: '4', MALLOC_MMAP_THRESHOLD_: '65536', MALLOC_TRIM_THRESHOLD_: '262144', HEALTHLEDGER_GATEWAY_SEMI_SPACE_MB: '16', HEALTHLEDGER_HEAP_GROWING_PERCENT: '0' });
    expect(seen.execArgv.slice(0, 2)).toEqual(['--max-semi-space-size=16', '--heap-growing-percent=0']);
    expect(seen.env).toEqual({ a: '4', m: '65536', t: '262144' });
  });

  it('is how npm start, network.sh and the benchmarks start the gateway', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe('exec bash scripts/gateway-node.sh gateway/dist/start.js');
    expect(readFileSync(join(ROOT, 'scripts', 'network.sh'), 'utf8')).toMatch(/start_node "\$host" bash "\$ROOT\/scripts\/gateway-node\.sh" "\$start_js"/);
    expect(readFileSync(join(ROOT, 'scripts', 'lib', 'gateway-process.js'), 'utf8')).toMatch(/execPath: GATEWAY_NODE/);
  });
});
