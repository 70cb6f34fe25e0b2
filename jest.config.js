/** One jest run over every package; each package also runs alone with its own `npm test`. */
const base = require('./jest.preset');

module.exports = {
  // End-to-end tests start a devnet; unit tests finish far sooner.
  testTimeout: 120000,
  // One worker per core. Jest's default (cores - 1) gives a 2-core machine a single worker, yet the
  // end-to-end suites spend much of their time waiting on sockets and child processes, so a second
  // worker fills the idle core (suites use random ports and their own data directories).
  maxWorkers: '100%',
  // The end-to-end suites' crypto material, issued once for all of them (test/global-setup.js).
  globalSetup: '<rootDir>/test/global-setup.js',
  projects: [
    { ...base, displayName: 'contract-api', rootDir: '<rootDir>/chaincode/contract-api' },
    {
      ...base,
      displayName: 'chaincode',
      rootDir: '<rootDir>/chaincode',
      testPathIgnorePatterns: [...base.testPathIgnorePatterns, '<rootDir>/contract-api/'],
      setupFilesAfterEnv: ['<rootDir>/src/testing/privacy-scan.setup.ts'],
    },
    { ...base, displayName: 'fabric-core', rootDir: '<rootDir>/network/fabric-core' },
    { ...base, displayName: 'network', rootDir: '<rootDir>/network', testPathIgnorePatterns: [...base.testPathIgnorePatterns, '<rootDir>/fabric-core/'] },
    { ...base, displayName: 'gateway', rootDir: '<rootDir>/gateway' },
    {
      ...base,
      displayName: 'e2e',
      rootDir: '<rootDir>/test',
      // One end-to-end network per worker, shared by the suites that work over the HTTP API alone
      // (test/e2e/shared-network-broker.ts; docs/testing.md). Runs only when e2e suites do.
      globalSetup: '<rootDir>/e2e/shared-network-setup.ts',
      globalTeardown: '<rootDir>/e2e/shared-network-teardown.ts',
    },
  ],
};
