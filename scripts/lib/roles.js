'use strict';
/**
 * Benchmark processes in roles: a benchmark forks a script with `--role <role>` (the devnet, the
 * REST gateway), so that no client shares an event loop with what it measures, and the two talk
 * over the IPC channel: the child reports progress and readiness, answers CPU-time requests, and
 * stops when asked or when the parent goes away.
 */
const { execFileSync, fork } = require('node:child_process');
const { readdirSync, readFileSync } = require('node:fs');

/** @typedef {{ type: 'log', line: string }} LogMessage  a progress line of the child */
/** @typedef {{ type: 'cpu', ms: number, childrenMs: number | undefined }} CpuMessage  CPU time (ms) of the child and of its children */
/** @typedef {{ type: 'components', components: Record<string, number | undefined>, peakRssMb?: number, devnetHeapMb?: { peak: number, limit: number } }} ComponentsMessage  CPU time (ms) of each component of the child (threads, children); its highest RSS and its devnet thread's highest heap in use (and limit) so far */
/** @typedef {{ type: 'memory', composition: import('./memory-composition').Composition }} MemoryMessage  what the child's RSS was made of at its highest since the last `memory` */
/** @typedef {{ type: 'heap', counts: import('./gc-counters').GcCounts }} HeapMessage  the gateway thread's heap: bytes allocated and promoted, collections, so far */
/** @typedef {{ type: 'ready' }} ReadyMessage  the child serves; its role adds what it serves */
/** @typedef {{ type: 'stop' }} StopMessage  parent to child: stop */
/** @typedef {LogMessage | CpuMessage | ComponentsMessage | MemoryMessage | HeapMessage | ReadyMessage | StopMessage} RoleMessage */

/**
 * A forked role (see {@link forkRole}).
 * @template {ReadyMessage} Ready
 * @typedef {object} RoleChild
 * @property {Promise<Ready>} ready  the child's `ready` message, once it serves
 * @property {<T extends RoleMessage['type']>(type: T) => Promise<Extract<RoleMessage, { type: T }>>} ask
 *   sends `{ type }`; resolves with the child's next message of that type
 * @property {() => Promise<void>} stop  asks it to stop (SIGKILL after 15 s); resolves when it has exited
 * @property {number | undefined} pid  the child's process id (its RSS, from /proc)
 * @property {Promise<number | null>} exited  resolves with its exit code when it exits
 */

/**
 * A message received over IPC, as one of ours; anything else has no `type` we know.
 * @param {unknown} message
 * @returns {Partial<RoleMessage> | undefined}
 */
function received(message) {
  return typeof message === 'object' && message !== null ? /** @type {Partial<RoleMessage>} */ (message) : undefined;
}

/**
 * Sends a message to the parent (a role always runs forked, with an IPC channel).
 * @param {LogMessage | CpuMessage | ComponentsMessage | MemoryMessage | HeapMessage | ReadyMessage & Record<string, unknown>} message
 */
function send(message) {
  if (!process.send) throw new Error('no IPC channel: a role runs forked by its benchmark (--role)');
  process.send(message);
}

/**
 * CPU time of this process, in ms.
 * @returns {number}
 */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** @type {number | undefined} */
let clockTicks;

/**
 * utime + stime of a /proc stat line, in ms.
 * @param {string} stat
 * @returns {number}
 */
function statCpuMs(stat) {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100;
  // After the command name (which may hold spaces): state, ppid, …, utime (14th), stime (15th).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / clockTicks) * 1000;
}

/**
 * CPU time of this process's main thread alone (its worker threads excluded), in ms, from /proc;
 * undefined where there is no /proc.
 * @returns {number | undefined}
 */
function mainThreadCpuMs() {
  if (process.platform !== 'linux') return undefined;
  return statCpuMs(readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8'));
}

/**
 * CPU time of one process (by pid) in ms, from /proc; undefined if it is gone or there is no /proc.
 * @param {number} pid
 * @returns {number | undefined}
 */
function processCpuMs(pid) {
  try {
    return statCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}
/**
 * CPU time of this process's children (the devnet's chaincode server), in ms, from /proc;
 * undefined where there is no /proc. Children of any of its threads (a worker thread spawned the
 * chaincode server under `npm start`), from each thread's `children` file: reading those few
 * files, rather than every process's stat, keeps the measurement out of what it measures.
 * @returns {number | undefined}
 */
function childrenCpuMs() {
  if (process.platform !== 'linux') return undefined;
  let ms = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    let children;
    try {
      children = readFileSync(`/proc/self/task/${tid}/children`, 'utf8').trim();
    } catch {
      continue; // the thread ended meanwhile
    }
    for (const pid of children ? children.split(' ') : []) ms += processCpuMs(Number(pid)) ?? 0;
  }
  return ms;
}

/** In a child role: answers `{ type: 'cpu' }` with this process's and its children's CPU time. */
function answerCpuRequests() {
  process.on('message', (m) => received(m)?.type === 'cpu' && send({ type: 'cpu', ms: cpuMs(), childrenMs: childrenCpuMs() }));
}

/**
 * Resolves when the parent says stop or goes away (so nothing is left running). Ctrl-C reaches
 * the whole process group: a child ignores SIGINT and cleans up once the parent has gone.
 * @returns {Promise<void>}
 */
function stopRequested() {
  process.on('SIGINT', () => undefined);
  return new Promise((resolve) => {
    process.on('message', (m) => received(m)?.type === 'stop' && resolve());
    process.on('disconnect', resolve);
  });
}

/**
 * Forks `script --role <role>`. The child sends `{ type: 'log', line }` and, once serving,
 * `{ type: 'ready', … }`; `ready` resolves with that message. `ask(type)` sends `{ type }` and
 * resolves with the child's next message of that type. `stop()` asks it to stop (SIGKILL after
 * 15 s) and resolves when it has exited.
 * @template {ReadyMessage} Ready  what the role's `ready` message carries
 * @param {string} script
 * @param {string} role
 * @param {{ env?: NodeJS.ProcessEnv, log?: (line: string) => void, execArgv?: string[], execPath?: string }} [options]
 * @returns {RoleChild<Ready>}
 */
function forkRole(script, role, { env = {}, log = () => undefined, execArgv = [], execPath = process.execPath } = {}) {
  const child = fork(script, ['--role', role], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], env: { ...process.env, ...env }, execArgv, execPath });
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.on('message', (m) => {
    const message = received(m);
    if (message?.type === 'log') log(/** @type {LogMessage} */ (message).line);
  });
  /** @type {Promise<Ready>} */
  const ready = new Promise((resolve, reject) => {
    child.on('message', (m) => received(m)?.type === 'ready' && resolve(/** @type {Ready} */ (m)));
    void exited.then((code) => reject(new Error(`${role} process exited (${code}) before it was ready`)));
  });
  const stop = async () => {
    if (child.exitCode === null && child.connected) child.send({ type: 'stop' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  /** @type {RoleChild<Ready>['ask']} */
  const ask = (type) =>
    new Promise((resolve) => {
      /** @param {unknown} m */
      const answer = (m) => received(m)?.type === type && (child.off('message', answer), resolve(/** @type {Extract<RoleMessage, { type: typeof type }>} */ (m)));
      child.on('message', answer);
      child.send({ type });
    });
  return { ready, ask, stop, pid: child.pid, exited };
}

module.exports = { forkRole, send, stopRequested, answerCpuRequests, cpuMs, childrenCpuMs, mainThreadCpuMs, processCpuMs, received };
