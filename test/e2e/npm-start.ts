/**
 * `npm start` as a child process for the end-to-end tests that stop it (signals, kill -9): free
 * ports for everything it listens on, waiting until it serves, and its process family from /proc.
 * The tests run the built output (`npm test` builds first).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { createServer } from 'node:net';
import path from 'node:path';
import { seedMaterial } from './material';

export const ROOT = path.resolve(__dirname, '..', '..');

/**
 * A free port below Linux's ephemeral range (32768–60999), so that once our processes freed it no
 * parallel test's port-0 listener takes it before we check (the chaincode servers' range).
 */
export async function freePort(): Promise<number> {
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
export function listenersOf(port: number): number[] | undefined {
  const result = spawnSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return [...result.stdout.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1]));
}

/** True when none of `family` listens on `port` (with no `ss`: when nothing does). */
export async function freedBy(family: number[], port: number): Promise<boolean> {
  const listeners = listenersOf(port);
  return listeners ? !listeners.some((pid) => family.includes(pid)) : portIsFree(port);
}

/** True when nothing listens on the loopback port (we can bind it ourselves). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Every live descendant of `pid`, from /proc (Linux). */
export function descendants(pid: number): number[] {
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

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie is dead, merely not yet reaped by its parent.
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** GET /health/ready without keep-alive (a pooled socket to a stopped server keeps jest waiting). */
export function readyStatus(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/health/ready', agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once('error', () => resolve(undefined));
  });
}

export async function until(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return check();
}

/** The consortium with every port replaced by a free one, so a developer's `npm start` cannot collide. */
export async function consortiumOnFreePorts(dir: string): Promise<{ file: string; ports: number[] }> {
  let yaml = readFileSync(path.join(ROOT, 'network', 'consortium.yaml'), 'utf8');
  const ports: number[] = [];
  // Each draw is free but not yet bound, so two draws can agree: draw again until it is new.
  const take = async (): Promise<number> => {
    let port = await freePort();
    while (ports.includes(port)) port = await freePort();
    ports.push(port);
    return port;
  };
  for (const match of yaml.match(/port: \d+/g) ?? []) yaml = yaml.replace(match, `port: ${await take()}`);
  yaml = yaml.replace(/address: 127\.0\.0\.1:\d+/, `address: 127.0.0.1:${await take()}`);
  const file = path.join(dir, 'consortium.yaml');
  writeFileSync(file, yaml);
  return { file, ports };
}

/** A running `npm start`: the npm process, the gateway's port, everything printed, the devnet's ports. */
export interface NpmStart {
  npm: ChildProcess;
  port: number;
  output: () => string;
  ports: number[];
  /** The consortium file on free ports (give it to a restart on the same data directory). */
  consortium: string;
}

export interface NpmStartOptions {
  /** Where the consortium file on free ports is written. */
  dir: string;
  dataDir: string;
  /** A consortium file from an earlier start (its ports), for a restart on the same data. */
  consortium?: string;
  env?: Record<string, string>;
  /**
   * `npm` (the default): `npm start`, as a user runs it. `script`: the same `start` line of
   * package.json run by `sh -c`, as npm runs it, without npm's own CLI (about half a CPU-second
   * per start) — for the tests that stop and restart the system many times and test what it does,
   * not what npm does (the crash tests; the log, example and console tests keep npm).
   */
  launcher?: 'npm' | 'script';
}

/** package.json's `start` line: what npm runs through `sh -c`. */
function startScript(): string {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return scripts.start;
}

/**
 * Starts `npm start` in a process group of its own (detached) and waits until the gateway answers
 * ready. --ignore-scripts skips only the prestart build (`npm test` has built; a concurrent
 * rebuild would race other suites): npm still runs `start` through its shell exactly as `npm start`.
 */
export async function startNpm(options: NpmStartOptions): Promise<NpmStart> {
  const { file, ports } = options.consortium ? { file: options.consortium, ports: [] } : await consortiumOnFreePorts(options.dir);
  const gatewayPort = await freePort();
  seedMaterial(options.dataDir);
  const [command, args] = options.launcher === 'script' ? ['sh', ['-c', startScript()]] : ['npm', ['start', '--ignore-scripts']];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      HEALTHLEDGER_DATA_DIR: options.dataDir,
      HEALTHLEDGER_CONSORTIUM: file,
      PORT: String(gatewayPort),
      CORE_CHAINCODE_LOGGING_LEVEL: 'error',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const failed = (reason: string) => {
    // Nothing of it may outlive the test (its process handles would keep jest running).
    killGroup(child);
    return new Error(`${reason}:\n${output}`);
  };
  const listening = await until(() => /Server listening at http:\/\/127\.0\.0\.1:\d+/.test(output) || child.exitCode !== null, 60_000);
  const port = Number(/Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]);
  if (!listening || !port) throw failed('npm start did not come up (it must log at info level)');
  const ready = await until(() => readyStatus(port).then((status) => status === 200), 30_000);
  if (!ready) throw failed('never ready');
  return { npm: child, port, output: () => output, ports, consortium: file };
}

/**
 * The gateway process of an `npm start` (npm's shell execs node in its place; started with the
 * `script` launcher, the process itself).
 */
export function gatewayPidOf(npmPid: number): number | undefined {
  return [npmPid, ...descendants(npmPid)].find((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('gateway/dist/start.js');
    } catch {
      return false;
    }
  });
}

/** How long everything may take to exit after a supervisor's signal (the gateway drains first). */
const STOP_BOUND_MS = 15_000;

/**
 * `npm start` under a process supervisor: systemd, Docker and Kubernetes send SIGTERM (a terminal
 * without job control, SIGINT) to the one process they started (npm), not to its process group as
 * a terminal's Ctrl-C does. Sends `signal` to npm alone and checks that npm, the gateway (exec'd
 * in place of npm's shell) and the chaincode server exit within STOP_BOUND_MS and free every port,
 * and that the gateway said where the data stays. Each suite that ends its start this way gets the
 * check without a start of its own (about 2.5 CPU-s each).
 */
export async function expectStopsOnSignal(run: NpmStart, signal: 'SIGTERM' | 'SIGINT'): Promise<void> {
  const pid = run.npm.pid as number;
  const family = descendants(pid);
  // npm, the gateway and the chaincode server.
  expect(family.length).toBeGreaterThanOrEqual(2);
  process.kill(pid, signal);
  expect(await until(() => run.npm.exitCode !== null || run.npm.signalCode !== null, STOP_BOUND_MS)).toBe(true);
  const gone = await until(() => family.every((p) => !alive(p)), STOP_BOUND_MS);
  expect({ gone, left: family.filter(alive) }).toEqual({ gone: true, left: [] });
  for (const port of [run.port, ...run.ports]) expect({ port, freed: await freedBy(family, port) }).toEqual({ port, freed: true });
  expect(run.output()).toContain('stopped; data kept in');
}

/** Kills what is left of an `npm start` process group (after a failed assertion). */
export function killGroup(child: ChildProcess | undefined): void {
  if (!child?.pid) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Nothing left.
  }
}

/**
 * Kills what is left of an `npm start` process group, then waits until its process has exited and
 * its output pipes have closed (every process of the group, chaincode included, held them). For
 * suites' teardowns: jest force-exits a worker that still holds process or pipe handles 500 ms
 * after it was told to end, with a "failed to exit gracefully" warning, and on a loaded machine
 * the killed group may not be gone that soon.
 */
export async function stopGroup(child: ChildProcess | undefined): Promise<void> {
  if (!child?.pid) return;
  killGroup(child);
  const closed = () => (child.exitCode !== null || child.signalCode !== null) && [child.stdout, child.stderr].every((pipe) => !pipe || pipe.destroyed);
  if (!(await until(closed, 15_000))) throw new Error(`npm start (pid ${child.pid}) still running 15 s after SIGKILL`);
}
