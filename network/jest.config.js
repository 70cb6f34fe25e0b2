const base = require('../jest.preset');

// fabric-core is its own package with its own jest run.
module.exports = { ...base, rootDir: __dirname, testPathIgnorePatterns: [...base.testPathIgnorePatterns, '<rootDir>/fabric-core/'] };
