/**
 * `npm run devnet`: starts the devnet and our chaincode server with the data directory from
 * HEALTHLEDGER_DATA_DIR (default ./.healthledger), prints where everything is, and stops cleanly
 * on Ctrl-C (SIGINT) or SIGTERM.
 */
import { Devnet, resolveDataDir } from './devnet';

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const dataDir = resolveDataDir();
  log(`devnet: data directory ${dataDir}`);
  const devnet = await Devnet.start({
    dataDir,
    tls: process.env.HEALTHLEDGER_DEVNET_TLS === '1',
    chaincodeServer: { logLevel: process.env.CORE_CHAINCODE_LOGGING_LEVEL },
    onProgress: (line) => log(`  ${line}`),
  });
  const { descriptor } = devnet;
  log(`devnet: channel ${descriptor.channel}, chaincode ${descriptor.chaincode}, height ${devnet.network.ledger.blocks.height}`);
  for (const org of descriptor.orgs) {
    log(`  ${org.mspId.padEnd(18)} gateway peer ${org.peerEndpoint}${org.hostOverride ? ` (TLS, host ${org.hostOverride})` : ''}`);
  }
  log(`devnet: identities under ${devnet.material.rootDir}`);
  log(`devnet: connection descriptor ${devnet.descriptorPath}`);
  log(`devnet: ready in ${Date.now() - started} ms — Ctrl-C to stop`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log(`devnet: ${signal}, stopping`);
    devnet.stop().then(
      () => {
        log('devnet: stopped');
        process.exit(0);
      },
      (err: unknown) => {
        process.stderr.write(`devnet: stop failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`devnet: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
