/**
 * A transaction refusing a request with a catalogue error is logged once, at info, without a
 * stack; other errors stay errors. Exercised through fabric-shim's own loggers, as the contract
 * layer and the stream handler log a refused transaction.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { createLogger, Logger, transports } from 'winston';
import { ChaincodeError } from '@healthledger/contract-api';
import { quietEntry } from './logging';

function capture(): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.length > 0)));
  return { lines, log: createLogger({ level: 'info', transports: [new transports.Stream({ stream })] }) };
}

test('a refusal with a catalogue code: one info line, no stack; the handler echo is dropped', () => {
  const { lines, log } = capture();
  const error = new ChaincodeError('CONSENT_REQUIRED', 'rec-1');
  // What fabric-shim's contract layer and stream handler log for the same refused transaction.
  log.error(`[healthledger-ab12cd34] ${String(error)}`);
  log.error(`[healthledger-ab12cd34] Calling chaincode Invoke() returned error response [${error.message}]. Sending COMPLETED message back to peer`);
  expect(lines).toHaveLength(1);
  const entry = JSON.parse(lines[0]!) as { level: string; message: string };
  expect(entry).toEqual({ level: 'info', message: `[healthledger-ab12cd34] refused: ${error.message}` });
  expect(lines[0]).not.toMatch(/\bat \w/);
});

test('other errors stay errors', () => {
  const { lines, log } = capture();
  log.error('[healthledger-ab12cd34] TypeError: cannot read properties of undefined');
  log.error('Chat stream with peer - on error: boom');
  expect(lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(['error', 'error']);
});

test('entries below the error level pass untouched', () => {
  const entry = { level: 'info', message: 'CONSENT_REQUIRED: not an error entry' };
  expect(quietEntry(entry)).toBe(entry);
});

test("fabric-shim's loggers are the winston loggers this patch reaches", () => {
  // fabric-shim ships no types for its logger module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const shimLogger = require('fabric-shim/lib/logger') as { getLogger(name: string): unknown };
  expect(shimLogger.getLogger('contracts-spi')).toBeInstanceOf(Logger);
});

test("fabric-shim's console loggers write one JSON object per line, without colour codes", () => {
  // A process of its own, as the chaincode server runs (the built module, as `npm test` builds
  // first): fabric-shim's console transport writes to stdout.
  const script = [
    `require(${JSON.stringify(path.join(__dirname, '..', 'dist', 'logging.js'))});`,
    "const log = require('fabric-shim/lib/logger').getLogger('structured-test');",
    "log.info('[healthledger-ab12cd34] started');",
    "log.error('[healthledger-ab12cd34] CONSENT_REQUIRED: No consent permits this access: rec-1');",
    "log.error('[healthledger-ab12cd34] TypeError: boom');",
  ].join('\n');
  const run = spawnSync(process.execPath, ['-e', script], { cwd: __dirname, encoding: 'utf8', env: { ...process.env, CORE_CHAINCODE_LOGGING_LEVEL: 'INFO' } });
  const lines = run.stdout.split('\n').filter((l) => l.length > 0);
  expect(lines.map((l) => JSON.parse(l) as { level: string; message: string; timestamp: string }).map(({ level, message, timestamp }) => [level, message, typeof timestamp])).toEqual([
    ['info', '[healthledger-ab12cd34] started', 'string'],
    ['info', '[healthledger-ab12cd34] refused: CONSENT_REQUIRED: No consent permits this access: rec-1', 'string'],
    ['error', '[healthledger-ab12cd34] TypeError: boom', 'string'],
  ]);
  expect(run.stdout).not.toContain('\u001b[');
});
