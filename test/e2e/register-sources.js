'use strict';
/*
 * Lets a plain `node` child process run the end-to-end helpers on the repository's TypeScript
 * sources as the jest suites do: transpiled by test/conformance/fixtures/register-ts.js (cached
 * across runs), with the `@healthledger/*` packages mapped to their sources by jest.preset.js's
 * moduleNameMapper instead of node resolving them to the built dist/. The shared end-to-end
 * network (shared-network-server.ts) thus runs the code a suite would run on a network of its own,
 * whether or not it was built since the last edit.
 */
require('../conformance/fixtures/register-ts.js');
const Module = require('node:module');
const { moduleNameMapper } = require('../../jest.preset.js');

const rules = Object.entries(moduleNameMapper).map(([pattern, target]) => [new RegExp(pattern), target]);
const resolveFilename = Module._resolveFilename;

Module._resolveFilename = function resolveToSources(request, ...rest) {
  const rule = rules.find(([pattern]) => pattern.test(request));
  return resolveFilename.call(this, rule ? request.replace(rule[0], rule[1]) : request, ...rest);
};
