/**
 * Gateway configuration from the environment. Everything has a default that works on the devnet;
 * against real Fabric the peer, TLS, MSP, identity directory, channel and chaincode come from
 * `FABRIC_*` variables — no code change.
 */
import { resolve } from 'node:path';
import { CRASH_STAGES, parseCrashPlan, type CrashPlan } from './fabric/crash-points';
import type { BodyBudgetSettings } from './http/body-budget';

/** Where the gateway finds the ledger and its identities. */
export type LedgerSource =
  /** A devnet descriptor (`devnet.json`) written by `Devnet.start`. */
  | { kind: 'devnet'; descriptorPath: string }
  /** One real Fabric peer of one organisation, identities in a wallet directory. */
  | {
      kind: 'fabric';
      channel: string;
      chaincode: string;
      mspId: string;
      peerEndpoint: string;
      tlsCaCertPath: string | undefined;
      hostOverride: string | undefined;
      identityDir: string;
    };

/** Per-call deadlines, in milliseconds. */
export interface Deadlines {
  evaluateMs: number;
  endorseMs: number;
  submitMs: number;
  commitStatusMs: number;
  /** Deadline for the ledger probe behind `/health/ready`. */
  readyMs: number;
}

/** JWT verification: a shared HS256 secret, or an OIDC provider's JWKS (RS256/ES256). */
export interface JwtConfig {
  secret: string | undefined;
  jwksUrl: string | undefined;
  /** `iss` every token must carry (HEALTHLEDGER_JWT_ISSUER); unset: not checked. */
  issuer: string | undefined;
  /** `aud` every token must carry (HEALTHLEDGER_JWT_AUDIENCE); unset: not checked. */
  audience: string | undefined;
  /**
   * Longest lifetime a token may have, in seconds (HEALTHLEDGER_JWT_MAX_LIFETIME_SECONDS, default
   * 24 h): `exp` is required, and a token whose `exp` is further than this from its `iat` or from
   * now is refused. There is no revocation (no deny-list, no introspection), so a token's lifetime
   * is how long a leaked token works; without a bound, a token without `exp` never expired.
   */
  maxLifetimeSeconds: number;
  /** Clock difference tolerated with the issuer on `exp`, `nbf` and `iat`, in seconds (HEALTHLEDGER_JWT_CLOCK_SKEW_SECONDS, default 60, at most 300). */
  clockSkewSeconds: number;
}

/** Default {@link JwtConfig.maxLifetimeSeconds}: a day, longer than any interactive session or the devnet's one-hour tokens. */
export const DEFAULT_JWT_MAX_LIFETIME_SECONDS = 86_400;
/** Default {@link JwtConfig.clockSkewSeconds}. */
export const DEFAULT_JWT_CLOCK_SKEW_SECONDS = 60;

/**
 * Default {@link GatewayConfig.bodyBudget} bytes: two of the largest uploads (4 MiB of record
 * content) at once. Each body in flight costs many times its size in buffers across the process,
 * so the budget, not the number of requests, is what bounds `npm start`'s RSS under uploads (docs/performance.md, "Memory bounds").
 */
export const DEFAULT_BODY_BUDGET_BYTES = 8 * 1_048_576;
/** Default {@link GatewayConfig.bodyBudget} wait: long enough for a few uploads ahead to finish under load. */
export const DEFAULT_BODY_WAIT_MS = 30_000;

export interface GatewayConfig {
  port: number;
  host: string;
  dataDir: string;
  ledger: LedgerSource;
  jwt: JwtConfig;
  /** JSON file of API keys (`[{ keyHash, user, mspId, label }]`); default `<dataDir>/api-keys.json`. */
  apiKeysPath: string;
  deadlines: Deadlines;
  /** Bounded retries of one ledger call (MVCC: new transaction; UNAVAILABLE: same transaction). */
  maxAttempts: number;
  bodyLimitBytes: number;
  /**
   * Bytes of request bodies processed at once across the gateway (HEALTHLEDGER_BODY_BUDGET), and
   * how long a request waits for its body to fit before a 503 (HEALTHLEDGER_BODY_WAIT_MS); see
   * http/body-budget.ts.
   */
  bodyBudget: BodyBudgetSettings;
  rateLimit: { max: number; windowMs: number };
  logLevel: string;
  /**
   * TEST ONLY (HEALTHLEDGER_CRASH_AT): kill the process at this stage of a journaled submit, for
   * the crash tests (see fabric/crash-points.ts). Refused when NODE_ENV=production.
   */
  crashAt?: CrashPlan;
  /**
   * The organisation's Fabric CA server for the identity routes on real Fabric
   * (FABRIC_CA_URL, FABRIC_CA_REGISTRAR_DIR: an MSP directory of an enrolled registrar,
   * FABRIC_CA_NAME when the server runs several CAs). Absent: no identity lifecycle there.
   */
  fabricCa?: { url: string; registrarDir: string; caName?: string };
}

/** A configuration value that cannot be used. */
export class ConfigError extends Error {
  constructor(variable: string, reason: string) {
    super(`${variable}: ${reason}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads the configuration; throws {@link ConfigError} naming the bad variable. */
export function loadConfig(env: Env = process.env): GatewayConfig {
  const dataDir = resolve(env['HEALTHLEDGER_DATA_DIR'] ?? './.healthledger');
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env['HOST'] ?? '127.0.0.1',
    dataDir,
    ledger: ledgerSource(env, dataDir),
    jwt: {
      secret: optional(env, 'HEALTHLEDGER_JWT_SECRET'),
      jwksUrl: absoluteUrl(env, 'HEALTHLEDGER_JWKS_URL'),
      issuer: optional(env, 'HEALTHLEDGER_JWT_ISSUER'),
      audience: optional(env, 'HEALTHLEDGER_JWT_AUDIENCE'),
      maxLifetimeSeconds: int(env, 'HEALTHLEDGER_JWT_MAX_LIFETIME_SECONDS', DEFAULT_JWT_MAX_LIFETIME_SECONDS, 60, 30 * 86_400),
      clockSkewSeconds: int(env, 'HEALTHLEDGER_JWT_CLOCK_SKEW_SECONDS', DEFAULT_JWT_CLOCK_SKEW_SECONDS, 0, 300),
    },
    apiKeysPath: resolve(optional(env, 'HEALTHLEDGER_API_KEYS') ?? `${dataDir}/api-keys.json`),
    deadlines: {
      evaluateMs: int(env, 'HEALTHLEDGER_EVALUATE_DEADLINE_MS', 5_000, 1, 600_000),
      endorseMs: int(env, 'HEALTHLEDGER_ENDORSE_DEADLINE_MS', 15_000, 1, 600_000),
      submitMs: int(env, 'HEALTHLEDGER_SUBMIT_DEADLINE_MS', 5_000, 1, 600_000),
      commitStatusMs: int(env, 'HEALTHLEDGER_COMMIT_DEADLINE_MS', 60_000, 1, 600_000),
      readyMs: int(env, 'HEALTHLEDGER_READY_DEADLINE_MS', 2_000, 1, 60_000),
    },
    maxAttempts: int(env, 'HEALTHLEDGER_MAX_ATTEMPTS', 3, 1, 10),
    bodyLimitBytes: int(env, 'HEALTHLEDGER_BODY_LIMIT', 1_048_576, 1024, 104_857_600),
    bodyBudget: {
      bytes: int(env, 'HEALTHLEDGER_BODY_BUDGET', DEFAULT_BODY_BUDGET_BYTES, 65_536, 1_073_741_824),
      maxWaitMs: int(env, 'HEALTHLEDGER_BODY_WAIT_MS', DEFAULT_BODY_WAIT_MS, 1, 600_000),
    },
    rateLimit: {
      max: int(env, 'HEALTHLEDGER_RATE_LIMIT', 600, 1, 1_000_000),
      windowMs: int(env, 'HEALTHLEDGER_RATE_WINDOW_MS', 60_000, 1000, 3_600_000),
    },
    logLevel: env['LOG_LEVEL'] ?? 'info',
    ...fabricCaOf(env),
    ...crashAt(env),
  };
}

function crashAt(env: Env): { crashAt?: CrashPlan } {
  const value = optional(env, 'HEALTHLEDGER_CRASH_AT');
  if (value === undefined) return {};
  if (env['NODE_ENV'] === 'production') throw new ConfigError('HEALTHLEDGER_CRASH_AT', 'a test-only setting, refused when NODE_ENV=production');
  const plan = parseCrashPlan(value);
  if (!plan) throw new ConfigError('HEALTHLEDGER_CRASH_AT', `<stage>[:<n>], the stage one of ${CRASH_STAGES.join(', ')}`);
  return { crashAt: plan };
}

/** What can authenticate callers, besides the JWT settings in the configuration. */
export interface AuthAvailability {
  /** API keys in the `HEALTHLEDGER_API_KEYS` file. */
  apiKeys: number;
  /** The devnet's dev token endpoint (it signs with a secret it generates). */
  devTokens: boolean;
}

/**
 * Refuses a gateway that could authenticate nobody. Against real Fabric there is no dev token
 * endpoint, so without a JWT verifier or an API key the gateway would start and answer every
 * request 401 — a misconfiguration better reported at start, naming what configures each source.
 * @throws ConfigError naming the variables.
 */
export function requireAuthSource(config: GatewayConfig, available: AuthAvailability): void {
  if (available.devTokens || config.jwt.jwksUrl !== undefined || config.jwt.secret !== undefined || available.apiKeys > 0) return;
  const why = config.ledger.kind === 'fabric' ? 'FABRIC_PEER_ENDPOINT is set, so there is no dev token endpoint' : 'the dev token endpoint is off';
  throw new ConfigError(
    'HEALTHLEDGER_JWKS_URL, HEALTHLEDGER_JWT_SECRET or HEALTHLEDGER_API_KEYS',
    `no way to authenticate callers is configured (${why}). For bearer tokens from an identity provider set ` +
      'HEALTHLEDGER_JWKS_URL (its JWKS URL; RS256/ES256) and optionally HEALTHLEDGER_JWT_ISSUER and HEALTHLEDGER_JWT_AUDIENCE, ' +
      'or HEALTHLEDGER_JWT_SECRET (an HS256 shared secret); for API keys point HEALTHLEDGER_API_KEYS at a JSON file of key hashes ' +
      `(now ${config.apiKeysPath}, which holds no keys)`,
  );
}

function ledgerSource(env: Env, dataDir: string): LedgerSource {
  const peerEndpoint = env['FABRIC_PEER_ENDPOINT'];
  if (peerEndpoint === undefined) {
    return { kind: 'devnet', descriptorPath: resolve(env['HEALTHLEDGER_DEVNET'] ?? `${dataDir}/devnet.json`) };
  }
  return {
    kind: 'fabric',
    channel: env['FABRIC_CHANNEL'] ?? 'healthchannel',
    chaincode: env['FABRIC_CHAINCODE'] ?? 'healthledger',
    mspId: required(env, 'FABRIC_MSP_ID'),
    peerEndpoint,
    tlsCaCertPath: env['FABRIC_TLS_CA_CERT'],
    hostOverride: env['FABRIC_HOST_OVERRIDE'],
    identityDir: resolve(required(env, 'FABRIC_IDENTITY_DIR')),
  };
}

function fabricCaOf(env: Env): Pick<GatewayConfig, 'fabricCa'> {
  const url = absoluteUrl(env, 'FABRIC_CA_URL');
  if (url === undefined) return {};
  const registrarDir = optional(env, 'FABRIC_CA_REGISTRAR_DIR');
  if (registrarDir === undefined) throw new ConfigError('FABRIC_CA_REGISTRAR_DIR', 'is required when FABRIC_CA_URL is set');
  const caName = optional(env, 'FABRIC_CA_NAME');
  return { fabricCa: { url, registrarDir: resolve(registrarDir), ...(caName ? { caName } : {}) } };
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new ConfigError(name, 'is required when FABRIC_PEER_ENDPOINT is set');
  return value;
}

/** A variable that is unset when empty (an env file's `NAME=` line). */
function optional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function absoluteUrl(env: Env, name: string): string | undefined {
  const value = optional(env, name);
  if (value !== undefined && !URL.canParse(value)) throw new ConfigError(name, `must be an absolute URL, got "${value}"`);
  return value;
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}
