'use strict';
/*
 * How the tests' TypeScript becomes JavaScript: in jest (test/jest-transform.js) and in the child
 * processes that run the sources (test/conformance/fixtures/register-ts.js). Transpile only, as
 * before: the type check is `npm run build` and scripts/check.js, which `npm test` runs too.
 *
 * esbuild, with the options of tsconfig.base.json that change the emitted code, does this in about
 * a fourteenth of TypeScript's CPU (653 files: 0.76 against 10.6 CPU-s in one process, before
 * loading TypeScript itself in every jest worker and child): on a fresh clone, where jest's cache
 * and register-ts's cache are empty (both are keyed by the file's path), that was tens of CPU-seconds
 * of every `npm test`. esbuild cannot emit decorator metadata (`emitDecoratorMetadata`, which the
 * contracts' decorators rely on), so a file that may hold a decorator is left to TypeScript.
 */
const esbuild = require('esbuild');

/** Something that could be a decorator call (`@Transaction(`, `@Object()`); a false match only costs speed. */
const MAY_DECORATE = /@[A-Za-z_$][\w$.]*\s*\(/;

/** @param {string} source */
function needsTypeScript(source) {
  return MAY_DECORATE.test(source);
}

/** tsconfig.base.json's options that change what is emitted (esbuild reads these from a tsconfig). */
const TSCONFIG_RAW = {
  compilerOptions: { target: 'ES2022', useDefineForClassFields: true, experimentalDecorators: true, esModuleInterop: true },
};

/**
 * @param {string} source
 * @param {string} filename
 * @returns {{ code: string, map: string }}
 */
function esbuildTranspile(source, filename) {
  const { code, map } = esbuild.transformSync(source, {
    loader: 'ts',
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    sourcefile: filename,
    sourcemap: 'external',
    // Names as written: stack traces, error names and test titles report them.
    keepNames: true,
    tsconfigRaw: TSCONFIG_RAW,
    // `import()` becomes a require, as TypeScript emits it for CommonJS: jest's module registry
    // (and its mocks of the environment) only sees requires.
    supported: { 'dynamic-import': false },
  });
  return { code, map };
}

module.exports = { needsTypeScript, esbuildTranspile, ESBUILD_VERSION: esbuild.version, TSCONFIG_RAW };
