/**
 * `npm start`: the whole system on loopback — the devnet (with our chaincode as a chaincode
 * service) and the REST gateway — with data under HEALTHLEDGER_DATA_DIR (default ./.healthledger)
 * kept across restarts. Prints the API docs URL and how to get a token per demo user. Ctrl-C
 * (or SIGTERM) drains in-flight requests, then stops the gateway, the devnet and the chaincode.
 *
 * With FABRIC_PEER_ENDPOINT set, the same process runs the gateway alone against real Fabric
 * (configuration in config.ts); no devnet, no dev token endpoint.
 */
import { Devnet, resolveDataDir } from '@healthledger/network/devnet';
import { startGateway, type RunningGateway } from './server';

async function main(): Promise<void> {
  if (process.env['FABRIC_PEER_ENDPOINT']) return runAgainstFabric();
  const dataDir = resolveDataDir();
  const devnet = await Devnet.start({ dataDir, chaincodeServer: true, onProgress: (line) => console.log(`devnet: ${line}`) });
  let gateway: RunningGateway;
  try {
    gateway = await startGateway({ env: { ...process.env, HEALTHLEDGER_DATA_DIR: dataDir, HEALTHLEDGER_DEVNET: devnet.descriptorPath }, devnet: true });
  } catch (err) {
    await devnet.stop();
    throw err;
  }
  printWelcome(gateway);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping (draining requests)…`);
    await gateway.close();
    await devnet.stop();
    console.log('stopped; data kept in', dataDir);
  };
  onSignals(stop);
}

async function runAgainstFabric(): Promise<void> {
  const gateway = await startGateway();
  console.log(`healthledger gateway on ${gateway.url} (channel ${gateway.topology.channel}); API docs at ${gateway.url}/docs`);
  onSignals(async (signal) => {
    console.log(`${signal}: stopping (draining requests)…`);
    await gateway.close();
  });
}

function onSignals(stop: (signal: string) => Promise<void>): void {
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

function printWelcome(gateway: RunningGateway): void {
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
    'Demo users:',
    ...gateway.topology.wallet.list().map((u) => `  ${u.name.padEnd(16)} ${u.role.padEnd(14)} ${u.mspId}`),
    '',
    'Ctrl-C stops everything; data is kept for the next start.',
  ];
  console.log(lines.join('\n'));
}

main().catch((err: unknown) => {
  console.error('healthledger failed to start:', err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
