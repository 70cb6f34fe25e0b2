/**
 * The crash tests' harness: `npm start`'s line (the devnet and the gateway in one process, as a
 * user runs it; started by sh as npm would, without npm's CLI) on one data directory, started
 * again after a kill -9 with the devnet on the same ports, and the gateway's idempotency store
 * read from disk. Runs the built output (`npm test` builds first).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { client } from './http';
import { alive, descendants, freedBy, gatewayPidOf, startNpm, stopGroup, until, type NpmStart } from './npm-start';

export type Api = ReturnType<typeof client>;

/** One `npm start` of the harness, with an HTTP client for it. */
export interface CrashRun extends NpmStart {
  api: Api;
  /**
   * Kills the gateway process outright (kill -9) and waits until it and all it started are gone
   * and none of them holds a port of the start: a chaincode server whose parent is killed outright
   * must not outlive it (start-signals.test.ts once checked this on a start of its own).
   */
  kill(): Promise<void>;
  /** Waits until the process died by itself (a crash point) and all it started is gone. */
  died(): Promise<boolean>;
}

export class CrashHarness {
  private readonly dir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-crash-'));
  private consortium: string | undefined;
  /** The devnet's ports, drawn by the first start and kept by the restarts. */
  private ports: number[] = [];
  private readonly started: ChildProcess[] = [];

  get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  /** Starts `npm start` on the harness's data, the devnet on the ports of the first start. */
  async start(env: Record<string, string> = {}): Promise<CrashRun> {
    const run = await startNpm({
      dir: this.dir,
      dataDir: this.dataDir,
      ...(this.consortium ? { consortium: this.consortium } : {}),
      env: { HEALTHLEDGER_RATE_LIMIT: '1000000', ...env },
      // npm start's own line without npm's CLI: what is tested is the system across a kill -9.
      launcher: 'script',
    });
    if (!this.consortium) this.ports = run.ports;
    this.consortium = run.consortium;
    this.started.push(run.npm);
    const family = [run.npm.pid as number, ...descendants(run.npm.pid as number)];
    const baseUrl = `http://127.0.0.1:${run.port}`;
    const gone = async () =>
      (await until(() => run.npm.exitCode !== null || run.npm.signalCode !== null, 15_000)) && (await until(() => family.every((pid) => !alive(pid)), 15_000));
    return {
      ...run,
      api: client({ urlFor: () => baseUrl, bearer: devToken(baseUrl) }),
      kill: async () => {
        const gateway = gatewayPidOf(run.npm.pid as number);
        if (gateway === undefined) throw new Error('no gateway process');
        process.kill(gateway, 'SIGKILL');
        if (!(await gone())) throw new Error(`npm start outlived its gateway: ${family.filter(alive).join(', ')} still running`);
        const held: number[] = [];
        for (const port of [run.port, ...this.ports]) if (!(await freedBy(family, port))) held.push(port);
        if (held.length > 0) throw new Error(`ports still held after the kill: ${held.join(', ')}`);
      },
      died: gone,
    };
  }

  /** Transaction ids the gateway recorded for requests it never answered. */
  recordedTxIds(): string[] {
    return this.pending()
      .flatMap((name) => Object.values((JSON.parse(readFileSync(path.join(this.dataDir, 'idempotency', name), 'utf8')) as { slots: Record<string, { txId: string }[]> }).slots))
      .flatMap((attempts) => attempts.map((a) => a.txId));
  }

  /** The pending records of the idempotency store (requests not yet answered). */
  pending(): string[] {
    return readdirSync(path.join(this.dataDir, 'idempotency')).filter((name) => name.endsWith('.pending.json'));
  }

  /** Kills whatever is left, waits until it is gone, and removes the data. */
  async close(): Promise<void> {
    await Promise.all(this.started.map(stopGroup));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Bearer headers from the devnet gateway's dev token endpoint (its secret survives restarts). */
function devToken(baseUrl: string): (user: string) => Promise<string> {
  const tokens = new Map<string, string>();
  return async (user) => {
    let token = tokens.get(user);
    if (!token) {
      const res = await fetch(`${baseUrl}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user }) });
      token = ((await res.json()) as { access_token: string }).access_token;
      tokens.set(user, token);
    }
    return `Bearer ${token}`;
  };
}
