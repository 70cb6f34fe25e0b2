/**
 * Our chaincode as a chaincode-as-a-service server, in its own process — exactly what the ccaas
 * builder runs next to a real peer: `fabric-chaincode-node server --chaincode-address <addr>
 * --chaincode-id <packageId>` in the chaincode package. Starting, watching and stopping it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** How to start a chaincode server. */
export interface ChaincodeServerOptions {
  /** The chaincode package directory (holds `package.json` and `dist/`). */
  cwd: string;
  /** Where the server listens (`host:port`). */
  address: string;
  packageId: string;
  /** `CORE_CHAINCODE_LOGGING_LEVEL` (default `warning`). */
  logLevel?: string;
  /** Receives the server's output lines (default: discarded). */
  onOutput?: (line: string) => void;
}

/** Default location of our chaincode package, relative to this file (source or dist). */
export function defaultChaincodeDir(): string {
  const candidates = [path.resolve(__dirname, '..', '..', '..', 'chaincode'), path.resolve(__dirname, '..', '..', '..', '..', 'chaincode')];
  return candidates.find((dir) => existsSync(path.join(dir, 'package.json'))) ?? (candidates[0] as string);
}

/**
 * The watchdog preloaded into the server (see parent-watch.cjs): next to this file from source,
 * or in the package's devnet/chaincode-server when this runs from dist (tsc does not copy .cjs files).
 */
function parentWatchScript(): string | undefined {
  const candidates = [path.join(__dirname, 'parent-watch.cjs'), path.resolve(__dirname, '..', '..', '..', 'devnet', 'chaincode-server', 'parent-watch.cjs')];
  return candidates.find((file) => existsSync(file));
}

/** A running chaincode server process. */
export class ChaincodeServer {
  private exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
  }

  /** Spawns the server; the peers' dial retries while it binds. */
  static start(opts: ChaincodeServerOptions): ChaincodeServer {
    const bin = path.join(opts.cwd, 'node_modules', '.bin', 'fabric-chaincode-node');
    const rootBin = path.resolve(opts.cwd, '..', 'node_modules', '.bin', 'fabric-chaincode-node');
    const executable = existsSync(bin) ? bin : rootBin;
    const args = ['server', '--chaincode-address', opts.address, '--chaincode-id', opts.packageId];
    // Run the bin's script under our node with the watchdog preloaded and an IPC channel, so the
    // server exits when this process dies without stopping it (SIGKILL, crash): no orphan
    // keeps the chaincode port. The bin is a symlink to a node script, hence realpath.
    // --no-deprecation: fabric-shim calls grpc-js's deprecated `Server.start()`, and Node's
    // unstructured warning about it would be the server's one line of output that is not JSON.
    const watch = existsSync(executable) ? parentWatchScript() : undefined;
    const [command, argv] = watch ? [process.execPath, ['--no-deprecation', '--require', watch, realpathSync(executable), ...args]] : [executable, args];
    const child = spawn(command, argv, {
      cwd: opts.cwd,
      env: { ...process.env, CORE_CHAINCODE_LOGGING_LEVEL: opts.logLevel ?? 'warning' },
      stdio: watch ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    // The channel is for the watchdog only; it must not keep this process alive.
    child.channel?.unref();
    const forward = (data: Buffer): void => {
      for (const line of data.toString('utf8').split('\n')) if (line.trim()) opts.onOutput?.(line);
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    // A missing executable must not crash the devnet: the peers report the chaincode as down.
    child.on('error', (err) => opts.onOutput?.(`chaincode server failed to start: ${err.message}`));
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal === null) opts.onOutput?.(`chaincode server exited with code ${code}`);
    });
    return new ChaincodeServer(child);
  }

  /** The process id (for logs). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Sends SIGTERM, then SIGKILL if the server has not exited after `graceMs`. */
  async stop(graceMs = 2000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
