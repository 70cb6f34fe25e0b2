/**
 * Quiet, structured consoles: `npm start` (devnet, chaincode server, gateway) answers a handful of
 * expected client errors, and everything it printed is checked. Apart from the welcome banner,
 * every line is one JSON object (the gateway's pino lines, the devnet's progress, the chaincode
 * server's winston lines); nothing is at error level, nothing carries a stack trace, no record
 * content appears, and the chaincode logs each refusal once, at info. The start is stopped as a
 * supervisor stops it, SIGTERM to npm alone, and checked to stop whole (`expectStopsOnSignal`:
 * SIGINT is checked by examples.test.ts, a gateway killed outright by the crash harness), which
 * also makes the gateway flush its log lines. Runs the built output (`npm test` builds first).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectStopsOnSignal, startNpm, stopGroup, type NpmStart } from './npm-start';
import { tinyPng } from './documents';

jest.setTimeout(120_000);

const PATIENT1 = 'pt-0c5f1a9e';
let dir: string;
let run: NpmStart | undefined;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'healthledger-logs-'));
});
afterAll(async () => {
  await stopGroup(run?.npm);
  rmSync(dir, { recursive: true, force: true });
});

/** Our lines: the banner (the one block of plain text `npm start` prints) and npm's own echo taken out. */
function withoutBanner(lines: string[]): string[] {
  const first = lines.findIndex((l) => l.startsWith('healthledger is up on channel'));
  const last = lines.findIndex((l) => l.startsWith('Ctrl-C stops everything'));
  expect(first).toBeGreaterThanOrEqual(0);
  expect(last).toBeGreaterThan(first);
  // npm echoes the script it runs (`> healthledger@… start`, `> exec node …`): npm's lines, not ours.
  return [...lines.slice(0, first), ...lines.slice(last + 1)].filter((l) => l.trim().length > 0 && !l.startsWith('> '));
}

test('expected client errors: JSON lines apart from the banner, none at error level, no stack, no content, each refusal once at info; SIGTERM to npm alone stops everything', async () => {
  run = await startNpm({ dir, dataDir: path.join(dir, 'data'), env: { CORE_CHAINCODE_LOGGING_LEVEL: 'info' } });
  const base = `http://127.0.0.1:${run.port}`;
  const token = ((await (await fetch(`${base}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"user":"clinician1"}' })).json()) as { access_token: string }).access_token;
  const call = async (method: string, url: string, body?: string | Buffer, type = 'application/json') =>
    (await fetch(base + url, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': type }) }, body })).status;

  const marker = `PHIMARK-${Date.now().toString(36)}`;
  const record = (recordId: string, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ recordId, patientRef: PATIENT1, category: 'lab-result', content: { note: marker }, ...extra });
  expect(await call('POST', '/records', record('rec-log-1'))).toBe(201);
  const answers = [
    await call('POST', '/records', record('rec-log-1')), // RECORD_EXISTS, refused by the chaincode
    await call('GET', '/records/rec-log-none'), // RECORD_NOT_FOUND, refused by the chaincode
    await call('GET', '/records/rec-log-1/content'), // ACCESS_NOT_GRANTED, refused by the chaincode
    await call('PUT', `/records/rec-log-2/content?patientRef=${PATIENT1}&category=imaging`, tinyPng(marker), 'application/pdf'), // CONTENT_INVALID
    await call('POST', '/records', record('rec-log-3', { category: 'diagnosis' })), // 400 at the gateway
    await call('POST', '/records', `{"recordId":"rec-log-4","content":"${marker}`), // malformed JSON
    await call('PUT', '/records/rec-log-5/content?patientRef=x', Buffer.from(marker), 'image/gif'), // 415
  ];
  expect(answers).toEqual([409, 404, 403, 400, 400, 400, 415]);

  // Stop as a supervisor does (the gateway flushes its log lines), then read everything printed.
  await expectStopsOnSignal(run, 'SIGTERM');
  const lines = withoutBanner(run.output().split('\n'));

  const entries = lines.map((line) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      return { unstructured: line };
    }
  });
  expect(entries.filter((e) => 'unstructured' in e)).toEqual([]);
  const isError = (e: Record<string, unknown>) => (typeof e['level'] === 'number' ? e['level'] >= 50 : ['error', 'fatal', 'crit'].includes(String(e['level'])));
  expect(entries.filter(isError)).toEqual([]);
  expect(lines.filter((l) => /\bat [\w.<>]+ \(|\bat \/|\\n\s+at /.test(l))).toEqual([]);
  expect(lines.filter((l) => l.includes(marker))).toEqual([]);

  // The gateway's requests log and its rejections, the chaincode's refusals: each once, at info.
  const refusals = entries.filter((e) => e['component'] === 'chaincode' && String(e['message']).includes('refused:'));
  for (const code of ['RECORD_EXISTS', 'RECORD_NOT_FOUND', 'ACCESS_NOT_GRANTED', 'CONTENT_INVALID']) {
    expect([code, refusals.filter((e) => String(e['message']).includes(`refused: ${code}:`)).map((e) => e['level'])]).toEqual([code, ['info']]);
  }
  const rejected = entries.filter((e) => e['msg'] === 'request rejected').map((e) => [e['code'], e['level']]);
  expect(rejected).toEqual(expect.arrayContaining([['RECORD_EXISTS', 30], ['VALIDATION_FAILED', 30], ['MALFORMED_JSON', 30], ['UNSUPPORTED_MEDIA_TYPE', 30]]));
});
