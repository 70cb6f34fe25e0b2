'use strict';
/** The machine the benchmarks run on: free loopback ports for their servers, its load. */
const net = require('node:net');
const os = require('node:os');

/**
 * A free loopback port (a benchmark's server must not collide with a running `npm start`).
 * @returns {Promise<number>}
 */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * The machine's 1-minute load average: a figure taken under load reads differently.
 * @returns {number}
 */
function loadAverage() {
  const [oneMinute = NaN] = os.loadavg();
  return oneMinute;
}

module.exports = { freePort, loadAverage };
