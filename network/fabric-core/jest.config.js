const base = require('../../jest.preset');

module.exports = { ...base, rootDir: __dirname };
