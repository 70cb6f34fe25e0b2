/** One jest run over every package; each package also runs alone with its own `npm test`. */
const base = require('./jest.preset');

module.exports = {
  // End-to-end tests start a devnet; unit tests finish far sooner.
  testTimeout: 120000,
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
    { ...base, displayName: 'e2e', rootDir: '<rootDir>/test' },
  ],
};
