/**
 * Loading an entry of `npm start`'s process from its bundle (scripts/bundle-gateway.js, run by
 * `npm run build`): the module and what it requires in one file, compiled with a V8 code cache.
 * Both threads start this way — the gateway's server (gateway/src/server-bundle.ts) and the
 * devnet's worker (../thread/worker.ts). Loading some 600–900 files, node spends about a third of
 * the time finding and reading them and most of the rest compiling; one file needs no lookups,
 * and its code cache, made after a start (so it holds the functions that start ran, not only the
 * top level), lets V8 skip most of the compiling on the next start.
 *
 * The cache lives beside the bundle (.code-cache), one file per node version and node flags,
 * since V8 refuses a cache made under other flags; a refused or missing one is made again. It is
 * only a cache: if it cannot be read or written, the bundle compiles as any file. A bundle older
 * than a built file it was made from (tsc run without the bundle step) is not used: the caller
 * loads its modules as usual.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';

/** A bundle's exports, and what writes its code cache once a start has run the code it needs. */
export interface LoadedBundle<T> {
  exports: T;
  /** Whether the code cache was used, missing (made anew) or refused by V8. */
  source: 'bundle, cache used' | 'bundle, no cache' | 'bundle, cache refused';
  /**
   * Call once started: writes the code cache a little later (so that it holds what the first
   * requests ran too, and stays off their way), or as the process (or thread) exits if that is
   * sooner, when this start had none or V8 refused it. Never throws; keeps nothing alive.
   */
  saveCodeCacheSoon(): void;
}

/** How long after the start the code cache is written (when it has to be). */
const CODE_CACHE_DELAY_MS = 2_000;

/** Runs `bundle` as a CommonJS file of its own directory, with its code cache; undefined when there is no current bundle. */
export function loadBundle<T>(bundle: string): LoadedBundle<T> | undefined {
  if (!current(bundle)) return undefined;
  const cacheFile = codeCacheFile(bundle);
  const cachedData = readIfPresent(cacheFile);
  const script = new vm.Script(Module.wrap(readFileSync(bundle, 'utf8')), {
    filename: bundle,
    cachedData,
    importModuleDynamically: mainContextLoader(),
  });
  // As node runs a CommonJS file: its own module object, require relative to it (the packages
  // left out of the bundle resolve from the bundle's directory as they do for the entry).
  const module = { exports: {} as T };
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
  run.call(module.exports, module.exports, createRequire(bundle), module, bundle, path.dirname(bundle));
  const fresh = cachedData === undefined || script.cachedDataRejected === true;
  return {
    exports: module.exports,
    source: cachedData === undefined ? 'bundle, no cache' : script.cachedDataRejected === true ? 'bundle, cache refused' : 'bundle, cache used',
    saveCodeCacheSoon: () => {
      if (!fresh) return;
      let written = false;
      const write = () => {
        if (!written) writeCodeCache(cacheFile, script);
        written = true;
      };
      setTimeout(write, CODE_CACHE_DELAY_MS).unref();
      // A process stopped sooner (tests, benchmarks) writes it on its way out.
      process.once('exit', write);
    },
  };
}

/**
 * True when the bundle exists and no built file of ours it was made from (listed beside it as
 * `<name>.inputs.json`, relative to its directory) is newer: a tsc build without the bundle step
 * must not run yesterday's code. The packages under node_modules are not checked here (`npm run
 * build` checks them all).
 */
function current(bundle: string): boolean {
  if (!existsSync(bundle)) return false;
  const dir = path.dirname(bundle);
  try {
    const built = statSync(bundle).mtimeMs;
    const inputs = JSON.parse(readFileSync(path.join(dir, `${path.basename(bundle, '.js')}.inputs.json`), 'utf8')) as string[];
    return inputs.filter((file) => !file.split(/[\\/]/).includes('node_modules')).every((file) => statSync(path.resolve(dir, file)).mtimeMs <= built);
  } catch {
    return false;
  }
}

/**
 * What lets an `import()` in the bundle load as in any CommonJS file (the bundles have none today;
 * their modules' `import()` became requires). vm.constants is newer than some node 20 releases
 * the project supports: without it, nothing changes for a bundle without `import()`.
 */
function mainContextLoader(): typeof vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER | undefined {
  return (vm as { constants?: Partial<typeof vm.constants> }).constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER;
}

/** One cache per node version and flags (V8 refuses a cache made under other flags). */
function codeCacheFile(bundle: string): string {
  const key = createHash('sha256')
    .update([process.version, process.arch, ...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].join('\0'))
    .digest('hex')
    .slice(0, 16);
  return path.join(path.dirname(bundle), '.code-cache', `${path.basename(bundle, '.js')}.${key}.bin`);
}

function readIfPresent(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/** Written whole under a temporary name, then renamed: a concurrent start reads all or nothing. */
function writeCodeCache(file: string, script: vm.Script): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(temporary, script.createCachedData());
    renameSync(temporary, file);
  } catch {
    // A read-only installation: every start compiles the bundle, as it would any file.
  }
}
