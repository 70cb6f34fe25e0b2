'use strict';
/** The machine the benchmarks run on: free loopback ports for their servers, its load. */
const net = require('node:net');
const os = require('node:os');
const { readFileSync } = require('node:fs');

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

/**
 * Resident set size of a process in MB, from /proc (NaN where there is none).
 * @param {number | undefined} pid
 */
function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

module.exports = { freePort, loadAverage, rssMb };
