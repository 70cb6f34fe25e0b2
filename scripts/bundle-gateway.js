#!/usr/bin/env node
// Bundles the two entries of `npm start`'s process, each with what it requires, into one file:
// the gateway's server (gateway/dist/server.js → server.bundle.js, loaded by
// gateway/src/server-bundle.ts) and the devnet's worker thread (network/dist/devnet/thread/run.js →
// worker.bundle.js, loaded by network/devnet/thread/worker.ts). Run by `npm run build` after tsc.
// Node spends about a third of loading a few hundred modules finding and reading them
// (resolution, package.json lookups); one file needs none of that, and one file can carry one V8
// code cache (network/devnet/bundle). The modules' code is unchanged: each still runs when first
// required, so what loads lazily still does. Only the comments' characters beyond ASCII are
// written as escapes (./lib/ascii-comments.js), so that V8 holds each source at one byte a character.
//
// Left out of the bundles, required from node_modules as before: native addons (classic-level,
// pkcs11js), packages that read files beside their own code (@fastify/swagger and
// @fastify/swagger-ui: package.json, the UI's static files; @grpc/grpc-js: its .proto files),
// and pino, which start.js loads too (one copy, not two). In the worker's bundle, our own modules'
// `__dirname` is the directory each came from (the chaincode server's watchdog, the chaincode
// package and the default consortium are found relative to it).
//
// Incremental: nothing is done for a bundle newer than every file it was made from (the list is
// kept beside it), so `npm start`'s prestart build costs nothing when nothing changed.
'use strict';

const { existsSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { asciiComments } = require('./lib/ascii-comments');
const { readJson } = require('./lib/json');

const ROOT = path.join(__dirname, '..');
const EXTERNAL = ['classic-level', 'pkcs11js', '@fastify/swagger', '@fastify/swagger-ui', '@grpc/grpc-js', 'pino'];

/**
 * @typedef {object} Bundle
 * @property {string} entry  the built module bundled
 * @property {string} out  the bundle
 * @property {boolean} ownDirnames  keep our modules' `__dirname` (see above)
 */

/** @type {Bundle[]} */
const BUNDLES = [
  { entry: path.join(ROOT, 'gateway', 'dist', 'server.js'), out: path.join(ROOT, 'gateway', 'dist', 'server.bundle.js'), ownDirnames: false },
  { entry: path.join(ROOT, 'network', 'dist', 'devnet', 'thread', 'run.js'), out: path.join(ROOT, 'network', 'dist', 'devnet', 'thread', 'worker.bundle.js'), ownDirnames: true },
];

/**
 * The files a bundle was made from, relative to its directory (esbuild's metafile inputs);
 * network/devnet/bundle reads it too.
 * @param {string} out
 */
const inputsOf = (out) => path.join(path.dirname(out), `${path.basename(out, '.js')}.inputs.json`);

/**
 * True when the bundle exists and none of its inputs (nor this script, nor the escaping it runs) changed since.
 * @param {Bundle} bundle
 */
function upToDate({ out }) {
  if (!existsSync(out) || !existsSync(inputsOf(out))) return false;
  const built = statSync(out).mtimeMs;
  /** @type {string[]} */
  const inputs = readJson(inputsOf(out));
  return [__filename, require.resolve('./lib/ascii-comments'), ...inputs.map((file) => path.join(path.dirname(out), file))].every((file) => existsSync(file) && statSync(file).mtimeMs <= built);
}

/**
 * An esbuild plugin: in our own built modules (not node_modules), `__dirname` becomes the
 * directory the module was built into, as it is when the module is required on its own.
 * @param {string} out
 * @returns {import('esbuild').Plugin}
 */
function ownDirnames(out) {
  return {
    name: 'own-dirnames',
    setup(build) {
      build.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, (args) => {
        if (args.path.split(path.sep).includes('node_modules')) return undefined;
        const source = readFileSync(args.path, 'utf8');
        if (!/\b__dirname\b/.test(source)) return undefined;
        const relative = path.relative(path.dirname(out), path.dirname(args.path));
        return { contents: source.replace(/\b__dirname\b/g, `require("node:path").join(__dirname, ${JSON.stringify(relative)})`), loader: 'js', resolveDir: path.dirname(args.path) };
      });
    },
  };
}

/** @param {Bundle} bundle */
async function build(bundle) {
  if (!existsSync(bundle.entry)) throw new Error(`${bundle.entry} is missing: tsc first`);
  if (upToDate(bundle)) return;
  const esbuild = require('esbuild');
  // The asynchronous API: the synchronous one takes no plugins.
  const result = await esbuild.build({
    entryPoints: [bundle.entry],
    outfile: bundle.out,
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNAL,
    metafile: true,
    logLevel: 'warning',
    // No keepNames: it wraps every function and closure esbuild emits in a call that redefines
    // its `name`, run each time a closure is made (per request, per gRPC call): ~8 KB of the
    // gateway thread's ~248 KB of heap per REST submit (docs/performance.md, "Bytes per submit").
    // Names stay what the source says without it; only the few helpers esbuild renames to keep
    // apart (tslib's, reflect-metadata's, TypeBox's builders, one of ours) carry a suffix, and
    // nothing reads those names.
    keepNames: false,
    plugins: bundle.ownDirnames ? [ownDirnames(bundle.out)] : [],
  });
  // V8 keeps the source in the thread's heap, two bytes a character if one is beyond Latin-1 (./lib/ascii-comments.js).
  const ascii = await asciiComments(readFileSync(bundle.out, 'utf8'), esbuild);
  if (ascii.kept) console.warn(`${path.relative(ROOT, bundle.out)}: left as esbuild wrote it (${ascii.kept}); V8 holds it at two bytes a character`);
  else if (ascii.escaped > 0) writeFileSync(bundle.out, ascii.text);
  const inputs = Object.keys(result.metafile?.inputs ?? {}).map((file) => path.relative(path.dirname(bundle.out), path.join(ROOT, file)));
  writeFileSync(inputsOf(bundle.out), JSON.stringify(inputs));
}

async function main() {
  for (const bundle of BUNDLES) await build(bundle);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
