/**
 * `npm start` under a process supervisor: systemd, Docker and Kubernetes send SIGTERM to the one
 * process they started (npm), not to its process group as a terminal's Ctrl-C does. Everything
 * npm started must then stop and free its ports, and a chaincode server whose parent is killed
 * outright must not outlive it. Runs the built output (`npm test` builds first).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

jest.setTimeout(90_000);

const ROOT = path.resolve(__dirname, '..', '..');
/** How long everything may take to exit after the signal (the gateway drains first). */
const STOP_BOUND_MS = 15_000;

/**
 * A free port below Linux's ephemeral range (32768–60999), so that once our processes freed it no
 * parallel test's port-0 listener takes it before we check (the chaincode servers' range).
 */
async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (await portIsFree(port)) return port;
  }
  throw new Error('no free port in 20000-31999');
}

/**
 * The processes that listen on `port` (from `ss`), or undefined when `ss` cannot tell. A port our
 * processes freed may be taken at once by another test's chaincode server (same range), so "our
 * ports are freed" is checked as "none of our processes holds them".
 */
function listenersOf(port: number): number[] | undefined {
  const result = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return [...result.stdout.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
}

/** True when none of `family` listens on `port` (with no `ss`: when nothing does). */
async function freedBy(family: number[], port: number): Promise<boolean> {
  const listeners = listenersOf(port);
  return listeners ? !listeners.some((pid) => family.includes(pid)) : portIsFree(port);
}

/** True when nothing listens on the loopback port (we can bind it ourselves). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Every live descendant of `pid`, from /proc (Linux). */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command may contain spaces and parentheses: the fields after the last ')' are fixed.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // Exited while we looked.
    }
  }
  const found: number[] = [];
  let frontier = [pid];
  while (frontier.length > 0) {
    const next = [...parentOf].filter(([, ppid]) => frontier.includes(ppid)).map(([child]) => child);
    found.push(...next);
    frontier = next;
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie is dead, merely not yet reaped by its parent.
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** GET /health/ready without keep-alive (a pooled socket to a stopped server keeps jest waiting). */
function readyStatus(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/health/ready', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('error', () => resolve(undefined));
  });
}

async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

/** The consortium with every port replaced by a free one, so a developer's `npm start` cannot collide. */
async function consortiumOnFreePorts(dir: string): Promise<{ file: string; ports: number[] }> {
  let yaml = readFileSync(path.join(ROOT, 'network', 'consortium.yaml'), 'utf8');
  const ports: number[] = [];
  const take = async () => {
    const port = await freePort();
    ports.push(port);
    return port;
  };
  for (const match of yaml.match(/port: \d+/g) ?? []) yaml = yaml.replace(match, `port: ${await take()}`);
  yaml = yaml.replace(/address: 127\.0\.0\.1:\d+/, `address: 127.0.0.1:${await take()}`);
  const file = path.join(dir, 'consortium.yaml');
  writeFileSync(file, yaml);
  return { file, ports };
}

describe('npm start under a supervisor', () => {
  let dir: string;
  let npm: ChildProcess | undefined;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-start-'));
  });

  afterAll(() => {
    // Whatever a failed assertion left behind: npm runs in its own process group (detached).
    if (npm?.pid) {
      try {
        process.kill(-npm.pid, 'SIGKILL');
      } catch {
        // Nothing left.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(name: string): Promise<{ npm: ChildProcess; port: number; output: () => string; ports: number[] }> {
    const { file, ports } = await consortiumOnFreePorts(dir);
    const gatewayPort = await freePort();
    const dataDir = path.join(dir, name);
    // --ignore-scripts skips only the prestart build (`npm test` has built; a concurrent rebuild
    // would race other suites): npm still runs `start` through its shell exactly as `npm start`.
    const child = spawn('npm', ['start', '--ignore-scripts'], {
      cwd: ROOT,
      env: { ...process.env, HEALTHLEDGER_DATA_DIR: dataDir, HEALTHLEDGER_CONSORTIUM: file, PORT: String(gatewayPort), CORE_CHAINCODE_LOGGING_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    npm = child;
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    const listening = await until(() => /Server listening at http:\/\/127\.0\.0\.1:\d+/.test(output) || child.exitCode !== null, 60_000);
    const port = Number(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
    if (!listening || !port) throw new Error(`npm start did not come up:\n${output}`);
    const ready = await until(() => readyStatus(port).then((status) => status === 200), 30_000);
    if (!ready) throw new Error(`never ready:\n${output}`);
    return { npm: child, port, output: () => output, ports };
  }

  it.each(['SIGTERM', 'SIGINT'] as const)('stops everything on %s sent to the npm process alone, keeping the data', async (signal) => {
    const run = await start(`data-${signal}`);
    const pid = run.npm.pid as number;
    const family = descendants(pid);
    // npm, the gateway (exec'd in place of npm's shell) and the chaincode server.
    expect(family.length).toBeGreaterThanOrEqual(2);
    process.kill(pid, signal);
    expect(await until(() => run.npm.exitCode !== null || run.npm.signalCode !== null, STOP_BOUND_MS)).toBe(true);
    const gone = await until(() => family.every((p) => !alive(p)), STOP_BOUND_MS);
    expect({ gone, left: family.filter(alive) }).toEqual({ gone: true, left: [] });
    for (const port of [run.port, ...run.ports]) expect({ port, freed: await freedBy(family, port) }).toEqual({ port, freed: true });
    expect(run.output()).toContain('stopped; data kept in');
  });

  it('the chaincode server exits when the process that started it is killed outright', async () => {
    const run = await start('data-kill');
    const pid = run.npm.pid as number;
    const family = descendants(pid);
    const gateway = family.find((p) => readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('gateway/dist/start.js'));
    expect(gateway).toBeDefined();
    const exited = new Promise((resolve) => run.npm.once('exit', resolve));
    process.kill(gateway as number, 'SIGKILL');
    await exited;
    const gone = await until(() => family.every((p) => !alive(p)), STOP_BOUND_MS);
    expect({ gone, left: family.filter(alive) }).toEqual({ gone: true, left: [] });
    for (const port of [run.port, ...run.ports]) expect({ port, freed: await freedBy(family, port) }).toEqual({ port, freed: true });
  });
});
