'use strict';
/*
 * Jest's transform for the repository's TypeScript (jest.preset.js): esbuild, and ts-jest for a
 * file that may hold decorators (test/transpile.js says why). Both transpile only.
 */
const { createHash } = require('node:crypto');
const tsJest = require('ts-jest').default;
const { needsTypeScript, esbuildTranspile, ESBUILD_VERSION, TSCONFIG_RAW } = require('./transpile');

const { readFileSync } = require('node:fs');

/** This transform's own code, in every cache key: a change to it must not reuse old output. */
const SELF = createHash('sha256').update(readFileSync(__filename)).update(readFileSync(require.resolve('./transpile'))).digest('hex');

module.exports = {
  /** @param {unknown} tsJestOptions ts-jest's options, as jest.preset.js gives them */
  createTransformer(tsJestOptions) {
    // Made on the first decorated file: a worker that never sees one never loads TypeScript.
    /** @type {ReturnType<typeof tsJest.createTransformer> | undefined} */
    let made;
    const typescript = () => (made ??= tsJest.createTransformer(tsJestOptions));
    return {
      canInstrument: false,
      /** @type {ReturnType<typeof tsJest.createTransformer>['getCacheKey']} */
      getCacheKey(source, filename, options) {
        if (needsTypeScript(source)) return `ts:${typescript().getCacheKey(source, filename, options)}`;
        return createHash('sha256').update(SELF).update(ESBUILD_VERSION).update(JSON.stringify(TSCONFIG_RAW)).update(filename).update('\0').update(source).digest('hex');
      },
      /** @type {ReturnType<typeof tsJest.createTransformer>['process']} */
      process(source, filename, options) {
        if (needsTypeScript(source)) return typescript().process(source, filename, options);
        return esbuildTranspile(source, filename);
      },
    };
  },
};
