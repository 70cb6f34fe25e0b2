/**
 * Builds the gateway app for unit tests: a wallet of real X.509 test identities (with Fabric CA
 * attributes), a {@link ScriptedLedger}, a temporary data directory and an HS256 secret.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { identity } from './identities';
import { buildApp, loggerOptions } from '../app';
import type { RouteModule } from '../routes/context';
import { ApiKeys } from '../auth/api-keys';
import { issueToken, tokenVerifier } from '../auth/tokens';
import { loadConfig } from '../config';
import { Wallet, userFromPem, type FabricUser } from '../fabric/wallet';
import { ScriptedLedger, type ScriptedHandler } from './scripted-ledger';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256';

/** Demo users of the test wallet: name → [mspId, attributes]. */
export const TEST_USERS: Record<string, [string, Record<string, string>]> = {
  clinician1: ['Hospital1MSP', { role: 'clinician', practitioner_id: 'prac-h1-0001' }],
  clinician2: ['Hospital2MSP', { role: 'clinician', practitioner_id: 'prac-h2-0001' }],
  patient1: ['Hospital1MSP', { role: 'patient', patient_id: 'pt-0c5f1a9e' }],
  auditor1: ['Hospital1MSP', { role: 'auditor' }],
  adjudicator1: ['InsurerMSP', { role: 'adjudicator' }],
  manufacturer1: ['ManufacturerMSP', { role: 'manufacturer' }],
};

/** A request over real HTTP (fastify.inject's light-my-request pulls an ESM-only dependency jest cannot load). */
export interface HttpRequest {
  method: string;
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  /** The body's bytes (binary answers such as record content). */
  rawBody: Buffer;
  json<T = unknown>(): T;
}

/** Sends a request to a listening app; objects are sent as JSON, strings and bytes as they are. */
export async function send(baseUrl: string, req: HttpRequest): Promise<HttpResponse> {
  const headers: Record<string, string> = { ...req.headers };
  let body: string | Buffer | undefined;
  if (req.payload !== undefined) {
    body = typeof req.payload === 'string' || Buffer.isBuffer(req.payload) ? req.payload : JSON.stringify(req.payload);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(baseUrl + req.url, { method: req.method, headers, body });
  const rawBody = Buffer.from(await res.arrayBuffer());
  const text = rawBody.toString('utf8');
  return {
    statusCode: res.status,
    headers: Object.fromEntries(res.headers.entries()),
    body: text,
    rawBody,
    json: <T>() => JSON.parse(text) as T,
  };
}

export interface TestApp {
  app: FastifyInstance;
  baseUrl: string;
  inject(req: HttpRequest): Promise<HttpResponse>;
  ledger: ScriptedLedger;
  wallet: Wallet;
  apiKeys: ApiKeys;
  dataDir: string;
  /** `authorization` header value for a test user. */
  bearer(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function testWallet(): Promise<Wallet> {
  const users: FabricUser[] = [];
  for (const [name, [mspId, attrs]] of Object.entries(TEST_USERS)) {
    const { certPem } = await identity(mspId, name, attrs);
    // The fake ledger never verifies signatures, so any P-256 key will do.
    const keyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    users.push(userFromPem(mspId, name, certPem, keyPem));
  }
  return new Wallet(users);
}

export interface TestAppOptions {
  handler?: ScriptedHandler;
  routes?: readonly RouteModule[];
  env?: Record<string, string>;
  dataDir?: string;
  ledger?: ScriptedLedger;
  /** Receives the app's pino log lines (JSON), for tests that inspect logs. */
  logLines?: string[];
  /** Compile every schema at start-up (AppOptions.eagerSchemas). */
  eagerSchemas?: boolean;
}

export async function testApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'hl-gateway-'));
  const config = loadConfig({ HEALTHLEDGER_DATA_DIR: dataDir, HEALTHLEDGER_JWT_SECRET: TEST_SECRET, ...options.env });
  const ledger = options.ledger ?? new ScriptedLedger(options.handler);
  const wallet = await testWallet();
  const apiKeys = new ApiKeys(config.apiKeysPath);
  const app = await buildApp({
    config,
    ledger,
    wallet,
    apiKeys,
    tokens: tokenVerifier(config.jwt),
    devTokenSecret: TEST_SECRET,
    routes: options.routes,
    eagerSchemas: options.eagerSchemas,
    logger: options.logLines
      ? { ...(loggerOptions('info') as object), stream: { write: (line: string) => void options.logLines?.push(line) } }
      : false,
  });
  const baseUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    app,
    baseUrl,
    inject: (req) => send(baseUrl, req),
    ledger,
    wallet,
    apiKeys,
    dataDir,
    bearer: async (name) => {
      const mspId = TEST_USERS[name]?.[0] ?? 'Hospital1MSP';
      return `Bearer ${await issueToken(TEST_SECRET, { name, mspId }, 600)}`;
    },
    close: async () => {
      await app.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
