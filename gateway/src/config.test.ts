import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  test('defaults: loopback:3000, ./.healthledger, the devnet descriptor there', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', maxAttempts: 3 });
    expect(config.dataDir).toMatch(/\.healthledger$/);
    expect(config.ledger).toEqual({ kind: 'devnet', descriptorPath: `${config.dataDir}/devnet.json` });
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
