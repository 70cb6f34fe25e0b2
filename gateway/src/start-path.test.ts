/**
 * What the gateway leaves out of its way to listening, checked rather than promised: the built
 * app (what `npm start` runs), once it listens, has not loaded jose, Ajv or Fastify's default
 * compilers (fast-json-stringify, @fastify/ajv-compiler). Each loads on first use, and the first
 * requests that need them answer as they always did: a response validated, a request body
 * refused by its schema, a bearer token refused and one accepted. Runs the build output in a
 * process of its own (jest's module registry is not node's), so `npm test` (which builds first)
 * is where this is meaningful.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const DIST = path.resolve(__dirname, '../dist');

/** Packages (their main module) loaded on first use, never on the way to listening. */
const DEFERRED = ['jose', 'ajv', '@fastify/ajv-compiler', 'fast-json-stringify', '@fastify/fast-json-stringify-compiler'];

/**
 * The child: builds the app on its own (no request here reaches the ledger or signs, so the
 * ledger is an empty object and the one identity has no key), listens, notes what is loaded, then sends the first requests.
 */
const CHILD = `
const [dist, dataDir, deferred] = process.argv.slice(1);
const { buildApp } = require(dist + '/app.js');
const { loadConfig } = require(dist + '/config.js');
const { issueToken, tokenVerifier } = require(dist + '/auth/tokens.js');
const { Wallet } = require(dist + '/fabric/wallet.js');
const { apiRoutes } = require(dist + '/routes/index.js');
const secret = 'a-secret-for-the-start-path-test-only-0123';
// A package counts as loaded when its main module is (Fastify's error serializer uses one runtime file of fast-json-stringify).
const loaded = () => JSON.parse(deferred).filter((name) => require.resolve(name, { paths: [dist] }) in require.cache);
// The health routes need an identity to probe with; /health/live never uses it.
const probe = { name: 'probe', mspId: 'Hospital1MSP', role: '', certPem: '', privateKey: undefined };
(async () => {
  const config = loadConfig({ HEALTHLEDGER_DATA_DIR: dataDir, HEALTHLEDGER_JWT_SECRET: secret });
  const app = await buildApp({ config, ledger: {}, wallet: new Wallet([probe]), tokens: tokenVerifier(config.jwt), devTokenSecret: secret, routes: apiRoutes(undefined), logger: false });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const listening = loaded();
  const answer = async (path, init) => {
    const res = await fetch(url + path, init);
    const body = await res.json();
    return { status: res.status, code: body.code, body };
  };
  const live = await answer('/health/live');
  const badBody = await answer('/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const badToken = await answer('/me', { headers: { authorization: 'Bearer ' + (await issueToken('another-secret-for-the-start-path-test-0123', { name: 'nobody', mspId: 'Hospital1MSP' }, 60)) } });
  const goodToken = await answer('/me', { headers: { authorization: 'Bearer ' + (await issueToken(secret, { name: 'nobody', mspId: 'Hospital1MSP' }, 60)) } });
  const after = loaded();
  await app.close();
  process.stdout.write(JSON.stringify({ listening, after, live, badBody, badToken, goodToken }));
})().catch((err) => { console.error(err); process.exit(1); });
`;

let dataDir: string;

beforeAll(() => {
  if (!existsSync(path.join(DIST, 'app.js'))) throw new Error(`${DIST} is missing: run \`npm run build\` first`);
  dataDir = mkdtempSync(path.join(tmpdir(), 'hl-start-path-'));
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('jose, Ajv and Fastify default compilers load on first use, and the first requests that need them answer as before', () => {
  const out = JSON.parse(execFileSync(process.execPath, ['-e', CHILD, DIST, dataDir, JSON.stringify(DEFERRED)], { encoding: 'utf8', timeout: 60_000 })) as {
    listening: string[];
    after: string[];
    live: { status: number; body: unknown };
    badBody: { status: number; code: string };
    badToken: { status: number; code: string };
    goodToken: { status: number; code: string };
  };
  expect(out.listening).toEqual([]);
  expect(out.live).toMatchObject({ status: 200, body: { status: 'ok' } });
  expect(out.badBody).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  expect(out.badToken).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  // The token verified (jose loaded on the request before); the name is simply not in the wallet.
  expect(out.goodToken).toMatchObject({ status: 403, code: 'IDENTITY_NOT_ENROLLED' });
  // Only what was used: Fastify's own default compilers never load.
  expect(out.after.sort()).toEqual(['@fastify/ajv-compiler', 'ajv', 'jose']);
});
