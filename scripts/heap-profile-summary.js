#!/usr/bin/env node
// Where a thread allocates, from a sampling heap profile (a .heapprofile: BENCH_REST_HEAP_PROFILE
// of scripts/bench-rest.js, or node's --heap-prof): the bytes sampled, by package of the
// allocating code (the innermost frame that is not Node's or V8's own), by allocating function,
// and by the innermost frame of our own code on the stack (which of our calls led to them).
// Frames in the gateway's bundle (gateway/dist/server.bundle.js) are named by the module they
// came from, from esbuild's markers in it.
//
// Usage: node scripts/heap-profile-summary.js FILE.heapprofile [--calls N] [--top N]
//   --calls  the calls the profile covers: figures per call (KB) beside the shares
'use strict';

const { readFileSync } = require('node:fs');
const { parseArgs } = require('node:util');
const { readJson } = require('./lib/json');

/** @typedef {{ functionName: string, url: string, lineNumber: number }} CallFrame */
/** @typedef {{ callFrame: CallFrame, selfSize: number, children: ProfileNode[] }} ProfileNode */

/** esbuild's module markers in a bundle, by line: `  "node_modules/x/y.js"(exports, module) {`. */
const MARKER = /^ {2}"([^"]+)"\(/;

/** @type {Map<string, { line: number, module: string }[]>} */
const bundles = new Map();

/**
 * The module a line of a bundle belongs to (the last marker at or before it).
 * @param {string} file
 * @param {number} line  0-based
 */
function bundleModule(file, line) {
  let markers = bundles.get(file);
  if (!markers) {
    markers = [];
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        const m = MARKER.exec(text);
        if (m?.[1]) markers?.push({ line: i, module: m[1] });
      });
    bundles.set(file, markers);
  }
  let found = '(bundle)';
  for (const m of markers) {
    if (m.line > line) break;
    found = m.module;
  }
  return found;
}

/**
 * The source module of a frame: a path from the repository's root or node_modules, `node:…` for
 * Node's own, '' for V8's and native code.
 * @param {CallFrame} frame
 */
function moduleOf({ url, lineNumber }) {
  if (!url) return '';
  if (url.startsWith('node:')) return url;
  const file = url.replace(/^file:\/\//, '');
  if (file.endsWith('.bundle.js')) return bundleModule(file, lineNumber);
  const i = file.lastIndexOf('node_modules/');
  return i >= 0 ? file.slice(i) : file.replace(/^.*?\/(gateway|network|chaincode|scripts)\//, '$1/');
}

/** The package a module belongs to: a node_modules package, `node`, or our folder (gateway/src/fabric). @param {string} module */
function packageOf(module) {
  if (!module) return '(V8, native)';
  if (module.startsWith('node:')) return 'node';
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(module);
  if (m?.[1]) return m[1].startsWith('@healthledger/') ? `ours: ${m[1]}` : m[1];
  return `ours: ${module.split('/').slice(0, 3).join('/')}`;
}

/** @param {string} module */
const isOurs = (module) => packageOf(module).startsWith('ours');

function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { calls: { type: 'string' }, top: { type: 'string', default: '25' } } });
  const file = positionals[0];
  if (!file) throw new Error('usage: node scripts/heap-profile-summary.js FILE.heapprofile [--calls N] [--top N]');
  /** @type {{ head: ProfileNode }} */
  const profile = readJson(file);
  const calls = values.calls ? Number(values.calls) : undefined;
  const top = Number(values.top);
  /** @type {{ package: Map<string, number>, function: Map<string, number>, ours: Map<string, number> }} */
  const by = { package: new Map(), function: new Map(), ours: new Map() };
  let total = 0;
  /** @param {Map<string, number>} map @param {string} key @param {number} bytes */
  const add = (map, key, bytes) => map.set(key, (map.get(key) ?? 0) + bytes);
  /** @param {ProfileNode} node @param {CallFrame[]} stack */
  const walk = (node, stack) => {
    const frames = [...stack, node.callFrame];
    if (node.selfSize > 0) {
      total += node.selfSize;
      const modules = frames.map(moduleOf);
      // The allocating code: the innermost frame that is neither V8's nor Node's own.
      let i = modules.length - 1;
      while (i > 0 && (!modules[i] || modules[i]?.startsWith('node:'))) i--;
      const inner = /** @type {CallFrame} */ (frames[i]);
      add(by.package, packageOf(modules[i] ?? ''), node.selfSize);
      add(by.function, `${inner.functionName || '(anonymous)'} ${modules[i]}:${inner.lineNumber + 1}`, node.selfSize);
      let j = modules.length - 1;
      while (j >= 0 && !isOurs(modules[j] ?? '')) j--;
      const ours = frames[j];
      add(by.ours, ours ? `${ours.functionName || '(anonymous)'} ${modules[j]}` : '(none of ours on the stack)', node.selfSize);
    }
    for (const child of node.children) walk(child, frames);
  };
  walk(profile.head, []);
  console.log(`${file}: ${(total / 2 ** 20).toFixed(1)} MB sampled${calls ? `, ${(total / calls / 1024).toFixed(1)} KB per call over ${calls} calls` : ''}`);
  for (const [name, map] of Object.entries(by)) {
    const rows = [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
    console.log(`\nby ${name}:`);
    console.table(rows.map(([key, bytes]) => ({ [name]: key, '%': ((bytes / total) * 100).toFixed(1), ...(calls ? { 'KB per call': (bytes / calls / 1024).toFixed(2) } : {}) })));
  }
}

main();
