const path = require('path');

/**
 * Shared jest settings. TypeScript is transpiled only (test/jest-transform.js: esbuild, ts-jest
 * where decorators need their metadata); type errors are caught by `npm run build` and
 * scripts/check.js, which `npm test` runs beside jest.
 */
module.exports = {
  testEnvironment: 'node',
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: {
    '^.+\\.ts$': [path.join(__dirname, 'test', 'jest-transform.js'), { tsconfig: path.join(__dirname, 'tsconfig.base.json') }],
  },
  moduleNameMapper: {
    '^@healthledger/contract-api$': path.join(__dirname, 'chaincode/contract-api/src/index.ts'),
    '^@healthledger/chaincode$': path.join(__dirname, 'chaincode/src/index.ts'),
    '^@healthledger/chaincode/(.*)$': path.join(__dirname, 'chaincode/src/$1'),
    '^@healthledger/fabric-core$': path.join(__dirname, 'network/fabric-core/src/index.ts'),
    '^@healthledger/fabric-core/(.*)$': path.join(__dirname, 'network/fabric-core/src/$1'),
    '^@healthledger/network$': path.join(__dirname, 'network/index.ts'),
    '^@healthledger/network/(.*)$': path.join(__dirname, 'network/$1'),
    '^@healthledger/gateway$': path.join(__dirname, 'gateway/src/index.ts'),
    '^@healthledger/gateway/(.*)$': path.join(__dirname, 'gateway/src/$1'),
  },
};
