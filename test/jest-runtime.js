'use strict';
/*
 * Jest's module runtime with a V8 code cache shared by the test files of one worker process.
 *
 * Jest gives every test file a module registry of its own, so each file that loads Fastify, Ajv,
 * grpc-js, the Fabric protos or the gateway compiles all of that code again (`new vm.Script`,
 * jest-runtime's `createScriptFromCode`). Only compiled code is shared here, never a module
 * instance: a file still runs every module afresh in its own context. The first file of a worker
 * that loads a module leaves V8's code cache of it (`createCachedData`, taken when that file is
 * torn down, so the functions it ran are in it, not just the top level); the worker's later files
 * compile that module from the cache. The key is the file's path and the exact code
 * jest runs (its transform's output in jest's module wrapper), so changed code never meets an old
 * cache (V8 itself checks only the source's length and its own flags, `cachedDataRejected`; a
 * refused entry is dropped). Stack traces and source maps are unchanged: the script's name, code
 * and offsets are the same with and without a cache.
 */
const vm = require('node:vm');
const Runtime = require('jest-runtime').default;

/**
 * One worker process's cache: file path → the code and V8's cache of it.
 * @type {Map<string, { code: string, data: Buffer }>}
 */
const cache = new Map();

/** `HEALTHLEDGER_JEST_CODE_CACHE=0` turns the cache off (to compare, or to rule it out). */
const enabled = process.env.HEALTHLEDGER_JEST_CODE_CACHE !== '0';

class CodeCacheRuntime extends Runtime {
  /** @param {ConstructorParameters<typeof Runtime>} args */
  constructor(...args) {
    super(...args);
    /**
     * Scripts this file compiled without a cache, to take the cache of at teardown.
     * @type {Array<{ filename: string, code: string, script: import('node:vm').Script }>}
     */
    this._uncached = [];
    // V8's coverage counts what runs from a cache too, but coverage runs are rare and slow
    // anyway: they get jest's own behaviour.
    this._codeCache = enabled && !args[5]?.collectCoverage;
  }

  /**
   * jest-runtime's own `createScriptFromCode`, with `cachedData`.
   * @param {string} scriptSource
   * @param {string} filename
   */
  createScriptFromCode(scriptSource, filename) {
    if (!this._codeCache || this._resolver.isCoreModule(filename)) return super.createScriptFromCode(scriptSource, filename);
    const code = this.wrapCodeInModuleWrapper(scriptSource);
    const entry = cache.get(filename);
    const cachedData = entry?.code === code ? entry.data : undefined;
    /** @type {import('node:vm').Script} */
    let script;
    try {
      script = new vm.Script(code, {
        columnOffset: this._fileTransforms.get(filename)?.wrapperLength,
        displayErrors: true,
        filename,
        cachedData,
        // The same dynamic import as jest's own script: a module's `import()` is resolved by this runtime.
        importModuleDynamically: async (/** @type {string} */ specifier) => {
          if (typeof vm.SyntheticModule !== 'function') throw new Error('You need to run with a version of node that supports ES Modules in the VM API. See https://jestjs.io/docs/ecmascript-modules');
          const context = this._environment.getVmContext?.();
          if (!context) throw new Error('Test environment has been torn down');
          const module = await this.resolveModule(specifier, filename, context);
          return this.linkAndEvaluateModule(module);
        },
      });
    } catch {
      // A syntax error: jest's own path reports it as jest does.
      return super.createScriptFromCode(scriptSource, filename);
    }
    if (cachedData === undefined || script.cachedDataRejected) {
      if (cachedData !== undefined) cache.delete(filename);
      this._uncached.push({ filename, code, script });
    }
    return script;
  }

  teardown() {
    for (const { filename, code, script } of this._uncached) {
      if (!cache.has(filename)) cache.set(filename, { code, data: script.createCachedData() });
    }
    this._uncached = [];
    super.teardown();
  }
}

module.exports = CodeCacheRuntime;
module.exports.default = CodeCacheRuntime;
