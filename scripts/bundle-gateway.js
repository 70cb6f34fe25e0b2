#!/usr/bin/env node
// Bundles the gateway's server (gateway/dist/server.js and what it requires) into one file,
// gateway/dist/server.bundle.js, which `npm start` loads (gateway/src/server-bundle.ts). Run by
// `npm run build` after tsc. Node spends about a third of loading the gateway's ~900 modules
// finding and reading them (resolution, package.json lookups); one file needs none of that, and
// one file can carry one V8 code cache (server-bundle.ts). The modules' code is unchanged:
// each still runs when first required, so what loads lazily still does.
//
// Left out of the bundle, required from node_modules as before: native addons (classic-level,
// pkcs11js), packages that read files beside their own code (@fastify/swagger and
// @fastify/swagger-ui: package.json, the UI's static files; @grpc/grpc-js: its .proto files),
// and pino, which start.js loads too (one copy, not two).
//
// Incremental: nothing is done when the bundle is newer than every file it was made from (the
// list is kept beside it), so `npm start`'s prestart build costs nothing when nothing changed.
'use strict';

const { existsSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { readJson } = require('./lib/json');

const ROOT = path.join(__dirname, '..');
const DIST = path.join(ROOT, 'gateway', 'dist');
const ENTRY = path.join(DIST, 'server.js');
const OUT = path.join(DIST, 'server.bundle.js');
/** The files the bundle was made from, relative to DIST (esbuild's metafile inputs); server-bundle.ts reads it too. */
const INPUTS = path.join(DIST, 'server.bundle.inputs.json');
const EXTERNAL = ['classic-level', 'pkcs11js', '@fastify/swagger', '@fastify/swagger-ui', '@grpc/grpc-js', 'pino'];

/** True when the bundle exists and none of its inputs (nor this script) changed since. */
function upToDate() {
  if (!existsSync(OUT) || !existsSync(INPUTS)) return false;
  const built = statSync(OUT).mtimeMs;
  /** @type {string[]} */
  const inputs = readJson(INPUTS);
  return [__filename, ...inputs.map((file) => path.join(DIST, file))].every((file) => existsSync(file) && statSync(file).mtimeMs <= built);
}

function main() {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: tsc first`);
  if (upToDate()) return;
  const esbuild = require('esbuild');
  const result = esbuild.buildSync({
    entryPoints: [ENTRY],
    outfile: OUT,
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: EXTERNAL,
    metafile: true,
    logLevel: 'warning',
    // Names stay as they are: logs, errors and the routes' handlers report them.
    keepNames: true,
  });
  const inputs = Object.keys(result.metafile?.inputs ?? {}).map((file) => path.relative(DIST, path.join(ROOT, file)));
  writeFileSync(INPUTS, JSON.stringify(inputs));
}

main();
