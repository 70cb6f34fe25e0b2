/**
 * `npm start`: the whole system on loopback — the devnet (with our chaincode as a chaincode
 * service) in a worker thread of its own, and the REST gateway (local.ts) — with data under HEALTHLEDGER_DATA_DIR (default ./.healthledger)
 * kept across restarts. Prints the API docs URL and how to get a token per demo user. Ctrl-C
 * (or SIGTERM) drains in-flight requests, then stops the gateway, the devnet and the chaincode.
 *
 * With FABRIC_PEER_ENDPOINT set, the same process runs the gateway alone against real Fabric
 * (configuration in config.ts); no devnet, no dev token endpoint.
 *
 * Only what starts the devnet's thread is imported up front: the gateway's modules (server.ts and
 * what it needs) are loaded by startLocal once that thread is under way, so that the two threads
 * load their modules in parallel (see local.ts).
 */
import { resolveDataDir } from '@healthledger/network/devnet/thread';
import pino from 'pino';
import type { FabricUser } from './fabric/wallet';
import { startLocal } from './local';
import type { RunningGateway } from './server';

/**
 * What `npm start` itself says, as JSON lines like the gateway's (pino): the devnet's progress,
 * the chaincode server's output (already JSON: passed on, marked with its component), stopping.
 * The welcome banner is the one block of plain text.
 */
const log = pino({ base: { pid: process.pid } }, pino.destination({ dest: 1, sync: true }));
const errorLog = pino({ base: { pid: process.pid } }, pino.destination({ dest: 2, sync: true }));

/** One line of the devnet's progress or of the chaincode server's output, as one JSON line. */
function devnetLine(line: string): void {
  const chaincode = /^\[chaincode\] (.*)$/.exec(line);
  if (!chaincode) return log.info({ component: 'devnet' }, line);
  const text = chaincode[1] ?? '';
  const entry = jsonObject(text);
  if (entry) process.stdout.write(`${JSON.stringify({ ...entry, component: 'chaincode' })}\n`);
  else log.warn({ component: 'chaincode' }, text);
}

function jsonObject(text: string): Record<string, unknown> | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  if (process.env['FABRIC_PEER_ENDPOINT']) return runAgainstFabric();
  const dataDir = resolveDataDir();
  // The chaincode server logs at CORE_CHAINCODE_LOGGING_LEVEL, as a peer's would (default: warning).
  const chaincodeServer = { logLevel: process.env['CORE_CHAINCODE_LOGGING_LEVEL'] ?? 'warning' };
  const system = await startLocal({
    dataDir,
    devnet: { chaincodeServer },
    onProgress: (line) => devnetLine(line),
    // The gateway cannot serve without its ledger: stop rather than answer 503 for ever.
    onDevnetFailure: (err) => {
      errorLog.fatal({ component: 'devnet' }, `the devnet stopped: ${err.message}`);
      process.exit(1);
    },
  });
  // Loaded with the gateway already (startLocal): no cost here.
  const { certificateAttributes } = await import('./fabric/wallet');
  printWelcome(system.gateway, (user) => certificateAttributes(user.certPem)['patient_id']);

  const stop = async (signal: string) => {
    log.info({ signal }, `${signal}: stopping (draining requests)`);
    await system.stop();
    log.info({ dataDir }, `stopped; data kept in ${dataDir}`);
  };
  onSignals(stop);
}

async function runAgainstFabric(): Promise<void> {
  const { loadServer } = await import('./server-bundle');
  const loaded = await loadServer();
  const gateway = await loaded.server.startGateway();
  loaded.saveCodeCacheSoon();
  console.log(`healthledger gateway on ${gateway.url} (channel ${gateway.topology.channel}); API docs at ${gateway.url}/docs`);
  onSignals(async (signal) => {
    log.info({ signal }, `${signal}: stopping (draining requests)`);
    await gateway.close();
  });
}

/**
 * Stops on SIGINT/SIGTERM, then exits. Listeners stay installed while stopping: Ctrl-C reaches
 * this process twice (the terminal signals the process group and npm forwards its own copy), and
 * a repeat falling through to the default action would kill us mid-stop, orphaning the chaincode
 * server and skipping the ledger's clean close. A stop that hangs is cut short after STOP_LIMIT_MS.
 */
function onSignals(stop: (signal: string) => Promise<void>): void {
  let stopping = false;
  const handle = (signal: string) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => {
      errorLog.error({ signal }, `${signal}: stop did not finish in ${STOP_LIMIT_MS} ms; exiting`);
      process.exit(1);
    }, STOP_LIMIT_MS).unref();
    stop(signal).then(
      () => process.exit(),
      (err: unknown) => {
        errorLog.error(`stop failed: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => handle('SIGINT'));
  process.on('SIGTERM', () => handle('SIGTERM'));
}

/** Longer than the gateway's request drain plus the chaincode server's SIGTERM grace. */
const STOP_LIMIT_MS = 20_000;

/** The patient reference a demo identity's certificate carries (`patient_id`), labelled; else nothing. */
function patientRefOf(user: FabricUser, patientIdOf: (user: FabricUser) => string | undefined): string {
  const ref = patientIdOf(user);
  return ref ? `patientRef ${ref}` : '';
}

function printWelcome(gateway: RunningGateway, patientIdOf: (user: FabricUser) => string | undefined): void {
  const url = gateway.url;
  const lines = [
    '',
    `healthledger is up on channel ${gateway.topology.channel}.`,
    `  API docs (Swagger UI): ${url}/docs    OpenAPI JSON: ${url}/docs/json`,
    `  Readiness: ${url}/health/ready    Metrics: ${url}/metrics`,
    '',
    'Get a bearer token for a demo user (devnet only), e.g.:',
    `  curl -s -X POST ${url}/dev/token -H 'content-type: application/json' -d '{"user":"clinician1"}'`,
    '',
    'Demo users (a patient acts on its own patientRef; GET /me tells any caller who it is and what it may call):',
    ...gateway.topology.wallet.list().map((u) => `  ${u.name.padEnd(16)} ${u.role.padEnd(14)} ${u.mspId.padEnd(16)} ${patientRefOf(u, patientIdOf)}`.trimEnd()),
    '',
    'Ctrl-C stops everything; data is kept for the next start.',
  ];
  console.log(lines.join('\n'));
}

main().catch((err: unknown) => {
  errorLog.fatal(`healthledger failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
