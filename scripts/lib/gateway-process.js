'use strict';
/**
 * The benchmarks' REST gateway: exactly as `npm start` runs it, in a child process of the
 * benchmark (this file, `--role gateway`), so that no client shares its event loop.
 */
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { answerCpuRequests, forkRole, send, stopRequested } = require('./roles');

/** @typedef {import('./roles').ReadyMessage & { url: string }} GatewayReady */

/**
 * Child role `gateway`: the REST gateway exactly as `npm start` runs it (`startGateway` with the
 * devnet flag: every route, the event feed, metrics, logs), over the devnet's descriptor. Only
 * the port (free) and the rate limit (600/min by default, which the benchmark would hit) differ.
 */
async function serveGateway() {
  const { startGateway } = require('@healthledger/gateway/server'); // here: the benchmark that forks this has no use for it
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-bench-rest-gw-'));
  try {
    const env = { ...process.env, HEALTHLEDGER_DATA_DIR: dataDir, PORT: '0', HEALTHLEDGER_RATE_LIMIT: '1000000' };
    const gateway = await startGateway({ env, devnet: true });
    answerCpuRequests();
    send({ type: 'ready', url: gateway.url });
    await stopRequested();
    await gateway.close();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The gateway in a child process, given the devnet (HEALTHLEDGER_DEVNET) and the JWT secret in
 * `env`; its `ready` message carries its URL.
 * @param {{ env: NodeJS.ProcessEnv, execArgv?: string[] }} options
 * @returns {import('./roles').RoleChild<GatewayReady>}
 */
function forkGateway({ env, execArgv = [] }) {
  return forkRole(__filename, 'gateway', { env, execArgv });
}

module.exports = { forkGateway };

if (require.main === module) {
  // Exit explicitly: a child keeps its IPC channel open, and nothing else is left to finish.
  serveGateway().then(
    () => process.exit(0),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
