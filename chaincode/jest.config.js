const base = require('../jest.preset');

module.exports = { ...base, rootDir: __dirname, setupFilesAfterEnv: ['<rootDir>/src/testing/privacy-scan.setup.ts'] };
