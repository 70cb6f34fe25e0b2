/**
 * `npm start` under a process supervisor: systemd, Docker and Kubernetes send SIGTERM to the one
 * process they started (npm), not to its process group as a terminal's Ctrl-C does. Everything
 * npm started must then stop and free its ports: checked on SIGTERM by quiet-logs.test.ts and on
 * SIGINT by examples.test.ts, at the end of their own starts (`expectStopsOnSignal`), as a start
 * costs about 2.5 CPU-s. Here: a chaincode server whose parent is killed outright must not
 * outlive it. Runs the built output (`npm test` builds first).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { alive, descendants, freedBy, gatewayPidOf, startNpm, STOP_BOUND_MS, stopGroup, until, type NpmStart } from './npm-start';

jest.setTimeout(90_000);

describe('npm start under a supervisor', () => {
  let dir: string;
  let npm: ChildProcess | undefined;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-start-'));
  });

  afterAll(async () => {
    // Whatever a failed assertion left behind: npm runs in its own process group (detached).
    await stopGroup(npm);
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(name: string): Promise<NpmStart> {
    const run = await startNpm({ dir, dataDir: path.join(dir, name) });
    npm = run.npm;
    return run;
  }

  it('the chaincode server exits when the process that started it is killed outright', async () => {
    const run = await start('data-kill');
    const pid = run.npm.pid as number;
    const family = descendants(pid);
    const gateway = gatewayPidOf(pid);
    expect(gateway).toBeDefined();
    const exited = new Promise((resolve) => run.npm.once('exit', resolve));
    process.kill(gateway as number, 'SIGKILL');
    await exited;
    const gone = await until(() => family.every((p) => !alive(p)), STOP_BOUND_MS);
    expect({ gone, left: family.filter(alive) }).toEqual({ gone: true, left: [] });
    for (const port of [run.port, ...run.ports]) expect({ port, freed: await freedBy(family, port) }).toEqual({ port, freed: true });
  });
});
