import { ConfigError, loadConfig, requireAuthSource } from './config';

describe('loadConfig', () => {
  test('defaults: loopback:3000, ./.healthledger, the devnet descriptor there', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', maxAttempts: 3 });
    expect(config.dataDir).toMatch(/\.healthledger$/);
    expect(config.ledger).toEqual({ kind: 'devnet', descriptorPath: `${config.dataDir}/devnet.json` });
  });

  test('the body budget: 8 MiB and 30 s by default, set by HEALTHLEDGER_BODY_BUDGET / _WAIT_MS, nonsense refused naming the variable', () => {
    expect(loadConfig({}).bodyBudget).toEqual({ bytes: 8 * 1_048_576, maxWaitMs: 30_000 });
    expect(loadConfig({ HEALTHLEDGER_BODY_BUDGET: '4194304', HEALTHLEDGER_BODY_WAIT_MS: '500' }).bodyBudget).toEqual({ bytes: 4_194_304, maxWaitMs: 500 });
    expect(() => loadConfig({ HEALTHLEDGER_BODY_BUDGET: '8M' })).toThrow(/^HEALTHLEDGER_BODY_BUDGET: /);
    expect(() => loadConfig({ HEALTHLEDGER_BODY_WAIT_MS: '0' })).toThrow(/^HEALTHLEDGER_BODY_WAIT_MS: /);
  });

  test('real Fabric from FABRIC_* variables', () => {
    const config = loadConfig({
      FABRIC_PEER_ENDPOINT: 'peer0.hospital1.example.com:7051',
      FABRIC_MSP_ID: 'Hospital1MSP',
      FABRIC_IDENTITY_DIR: '/etc/hl/wallet',
      FABRIC_TLS_CA_CERT: '/etc/hl/tlsca.pem',
      FABRIC_HOST_OVERRIDE: 'peer0.hospital1.example.com',
    });
    expect(config.ledger).toEqual({
      kind: 'fabric',
      channel: 'healthchannel',
      chaincode: 'healthledger',
      mspId: 'Hospital1MSP',
      peerEndpoint: 'peer0.hospital1.example.com:7051',
      tlsCaCertPath: '/etc/hl/tlsca.pem',
      hostOverride: 'peer0.hospital1.example.com',
      identityDir: '/etc/hl/wallet',
    });
  });

  test.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ HEALTHLEDGER_MAX_ATTEMPTS: '0' }, 'HEALTHLEDGER_MAX_ATTEMPTS'],
    [{ FABRIC_PEER_ENDPOINT: 'x:1' }, 'FABRIC_MSP_ID'],
  ])('%j is refused naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${variable}:`));
  });
});

describe('authentication variables', () => {
  test('empty values (an env file line `NAME=`) count as unset', () => {
    const config = loadConfig({ HEALTHLEDGER_JWT_SECRET: '', HEALTHLEDGER_JWKS_URL: '', HEALTHLEDGER_JWT_ISSUER: '', HEALTHLEDGER_JWT_AUDIENCE: '', HEALTHLEDGER_API_KEYS: '' });
    expect(config.jwt).toEqual({ secret: undefined, jwksUrl: undefined, issuer: undefined, audience: undefined, maxLifetimeSeconds: 86_400, clockSkewSeconds: 60 });
    expect(config.apiKeysPath).toBe(`${config.dataDir}/api-keys.json`);
  });

  test('a JWKS URL that is not an absolute URL is refused naming the variable', () => {
    expect(() => loadConfig({ HEALTHLEDGER_JWKS_URL: 'idp.example.com/jwks' })).toThrow(/^HEALTHLEDGER_JWKS_URL: must be an absolute URL/);
  });
});

describe('requireAuthSource: a gateway that can authenticate nobody does not start', () => {
  const fabric = { FABRIC_PEER_ENDPOINT: 'localhost:7051', FABRIC_MSP_ID: 'Hospital1MSP', FABRIC_IDENTITY_DIR: '/etc/hl/users', HEALTHLEDGER_DATA_DIR: '/var/lib/hl' };
  const none = { apiKeys: 0, devTokens: false };

  test('Fabric mode with no JWT settings and no API keys: refused, naming every variable', () => {
    const config = loadConfig(fabric);
    expect(() => requireAuthSource(config, none)).toThrow(ConfigError);
    let message = '';
    try {
      requireAuthSource(config, none);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^HEALTHLEDGER_JWKS_URL, HEALTHLEDGER_JWT_SECRET or HEALTHLEDGER_API_KEYS: no way to authenticate callers/);
    expect(message).toContain('FABRIC_PEER_ENDPOINT is set');
    for (const variable of ['HEALTHLEDGER_JWT_ISSUER', 'HEALTHLEDGER_JWT_AUDIENCE', '/var/lib/hl/api-keys.json']) expect(message).toContain(variable);
  });

  test.each([
    ['an HS256 secret', { HEALTHLEDGER_JWT_SECRET: 's3cret-s3cret-s3cret-s3cret-s3cret' }, none],
    ['a JWKS URL', { HEALTHLEDGER_JWKS_URL: 'https://idp.example.com/.well-known/jwks.json' }, none],
    ['API keys', {}, { apiKeys: 1, devTokens: false }],
  ])('Fabric mode with %s starts', (_label, env, available) => {
    expect(() => requireAuthSource(loadConfig({ ...fabric, ...env }), available)).not.toThrow();
  });

  test('an empty HEALTHLEDGER_JWT_SECRET is no secret', () => {
    expect(() => requireAuthSource(loadConfig({ ...fabric, HEALTHLEDGER_JWT_SECRET: '' }), none)).toThrow(ConfigError);
  });

  test('devnet mode (`npm start`): the dev token endpoint is enough', () => {
    expect(() => requireAuthSource(loadConfig({}), { apiKeys: 0, devTokens: true })).not.toThrow();
  });
});

describe('HEALTHLEDGER_CRASH_AT (test only)', () => {
  test('unset by default; a stage and an ordinal when set', () => {
    expect(loadConfig({}).crashAt).toBeUndefined();
    expect(loadConfig({ HEALTHLEDGER_CRASH_AT: 'after-commit:2' }).crashAt).toEqual({ stage: 'after-commit', nth: 2 });
  });

  test('refused when it names no stage, and always under NODE_ENV=production', () => {
    expect(() => loadConfig({ HEALTHLEDGER_CRASH_AT: 'during-lunch' })).toThrow(ConfigError);
    expect(() => loadConfig({ HEALTHLEDGER_CRASH_AT: 'after-commit', NODE_ENV: 'production' })).toThrow(/refused when NODE_ENV=production/);
  });
});
