/**
 * The built entry point (`node gateway/dist/start.js`, what `npm start` runs) in Fabric mode:
 * configuration faults end the process with a non-zero code and a message naming the variables.
 * Runs the build output, so `npm test` (which builds first) is where this is meaningful.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const START = path.resolve(__dirname, '../dist/start.js');
let dataDir: string;

beforeAll(() => {
  if (!existsSync(START)) throw new Error(`${START} is missing: run \`npm run build\` first`);
  dataDir = mkdtempSync(path.join(tmpdir(), 'hl-start-'));
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs start.js with exactly these variables (nothing inherited that could configure auth). */
function start(env: Record<string, string>): { status: number | null; stderr: string } {
  const fabric = {
    PATH: process.env['PATH'] ?? '',
    FABRIC_PEER_ENDPOINT: '127.0.0.1:1',
    FABRIC_MSP_ID: 'Hospital1MSP',
    FABRIC_IDENTITY_DIR: path.join(dataDir, 'no-such-users'),
    HEALTHLEDGER_DATA_DIR: dataDir,
  };
  const run = spawnSync(process.execPath, [START], { env: { ...fabric, ...env }, encoding: 'utf8', timeout: 30_000 });
  return { status: run.status, stderr: run.stderr };
}

test('no token verifier and no API keys: exits 1 naming the variables of each auth source', () => {
  const { status, stderr } = start({});
  expect(status).toBe(1);
  expect(stderr).toContain('healthledger failed to start: HEALTHLEDGER_JWKS_URL, HEALTHLEDGER_JWT_SECRET or HEALTHLEDGER_API_KEYS: no way to authenticate callers');
});

test('with an auth source it gets past the check (and here stops at the missing identity directory)', () => {
  const { status, stderr } = start({ HEALTHLEDGER_JWT_SECRET: 'a-shared-hs256-secret-for-this-test-only' });
  expect(status).toBe(1);
  expect(stderr).toContain('identity directory not found');
  expect(stderr).not.toContain('no way to authenticate');
});
