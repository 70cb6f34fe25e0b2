/*
 * Preloaded (`node --require`) into the chaincode server the devnet spawns. The devnet opens an
 * IPC channel to the server only so that the server learns when the devnet process is gone: the
 * channel closes when its parent exits for any reason, SIGKILL and crashes included, so the
 * server does not outlive it holding its port. Plain JavaScript because it runs outside
 * TypeScript's build (the same file serves the devnet from source under jest and from dist).
 */
'use strict';
if (typeof process.send === 'function') {
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  // The channel must not by itself keep the server alive.
  if (process.channel) process.channel.unref();
}
