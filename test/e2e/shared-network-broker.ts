/**
 * Jest global setup and teardown of the e2e project: a broker of shared end-to-end networks. Each
 * jest worker gets one network (shared-network-server.ts in a child process), started the first
 * time one of that worker's suites asks for it, and every suite of that worker that works over the
 * HTTP API alone runs on it, one suite after another (shared-network.ts). A devnet and a gateway
 * cost seconds of CPU to start; a network per worker instead of one per suite saves most of that.
 *
 * The suites find the broker through HEALTHLEDGER_E2E_BROKER (the workers inherit the environment
 * of this process). HEALTHLEDGER_E2E_SHARED=0 turns the sharing off: every suite then starts its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { BROKER_ENV, READY_MARK, type SharedNetworkInfo } from './shared-network-info';

/** How long a network may take to start on a loaded machine. */
const START_TIMEOUT_MS = 110_000;
/** How long a network may take to stop before it is killed. */
const STOP_TIMEOUT_MS = 15_000;

interface Broker {
  server: Server;
  children: ChildProcess[];
}

/** Kept between the setup and the teardown (jest runs both in its main process). */
const BROKER_KEY = Symbol.for('healthledger.e2e.broker');
type WithBroker = typeof globalThis & { [BROKER_KEY]?: Broker };

/** Starts a network in a child process and resolves with its address once it is ready. */
function startNetwork(worker: string, children: ChildProcess[]): Promise<SharedNetworkInfo> {
  const child = spawn(process.execPath, ['-r', path.join(__dirname, 'register-sources.js'), path.join(__dirname, 'shared-network-server.ts'), `shared-${worker}`], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`shared e2e network ${worker}: not ready within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`shared e2e network ${worker}: exited (${signal ?? code}) before it was ready`));
    });
    // Anything else the network prints (its logs) goes where a suite's own network's would.
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith(`${READY_MARK} `)) {
        process.stdout.write(`${line}\n`);
        return;
      }
      clearTimeout(timer);
      resolve(JSON.parse(line.slice(READY_MARK.length + 1)) as SharedNetworkInfo);
    });
  });
}

/** Closes the child's stdin (it stops itself) and waits; kills it if it takes too long. */
async function stopNetwork(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

export async function setup(): Promise<void> {
  if (process.env.HEALTHLEDGER_E2E_SHARED === '0' || process.env.HEALTHLEDGER_E2E_TARGET === 'fabric') return;
  const children: ChildProcess[] = [];
  const networks = new Map<string, Promise<SharedNetworkInfo>>();
  const server = createServer((req, res) => {
    const worker = /^\/networks\/([0-9]+)$/.exec(req.url ?? '')?.[1];
    if (req.method !== 'GET' || worker === undefined) {
      res.writeHead(404).end();
      return;
    }
    let network = networks.get(worker);
    if (!network) {
      network = startNetwork(worker, children);
      networks.set(worker, network);
    }
    network.then(
      (info) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(info)),
      (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end((err as Error).message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Idle keep-alive connections of the workers must not hold the teardown up.
  server.keepAliveTimeout = 1_000;
  process.env[BROKER_ENV] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  (globalThis as WithBroker)[BROKER_KEY] = { server, children };
}

export async function teardown(): Promise<void> {
  const broker = (globalThis as WithBroker)[BROKER_KEY];
  if (!broker) return;
  delete (globalThis as WithBroker)[BROKER_KEY];
  delete process.env[BROKER_ENV];
  broker.server.closeAllConnections();
  await new Promise<void>((resolve) => broker.server.close(() => resolve()));
  await Promise.all(broker.children.map(stopNetwork));
}
