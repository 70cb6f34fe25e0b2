/**
 * One shared end-to-end network (the devnet and a gateway, as `startE2e` starts them for a suite)
 * in a process of its own. The broker (shared-network-broker.ts) runs it with register-sources.js
 * for one jest worker and hands its address to that worker's suites (shared-network.ts).
 *
 * Prints one line `READY <json>` ({@link SharedNetworkInfo}) once the gateway listens; stops the
 * gateway and the devnet when its stdin closes (the broker stops it, or the broker's process died)
 * or on SIGTERM.
 */
import { startE2e } from './network';
import { READY_MARK, type SharedNetworkInfo } from './shared-network-info';

async function main(): Promise<void> {
  const net = await startE2e(process.argv[2] ?? 'shared');
  const info: SharedNetworkInfo = { url: net.baseUrl, descriptorPath: net.devnet.descriptorPath };
  process.stdout.write(`${READY_MARK} ${JSON.stringify(info)}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    net.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`shared e2e network: stop failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.stdin.on('end', stop).on('close', stop).resume();
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`shared e2e network: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
