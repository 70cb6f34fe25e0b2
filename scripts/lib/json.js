'use strict';
/** JSON the scripts read: files and messages whose shape they know (devnet.json, jest results, transaction results). */
const { readFileSync } = require('node:fs');

/**
 * Parses JSON whose shape the caller knows (it is not validated).
 * @template T  the shape
 * @param {string} text
 * @returns {T}
 */
function parseJson(text) {
  /** @type {unknown} */
  const value = JSON.parse(text);
  return /** @type {T} */ (value);
}

/**
 * Reads a JSON file whose shape the caller knows (it is not validated).
 * @template T  the shape
 * @param {string} file
 * @returns {T}
 */
function readJson(file) {
  return parseJson(readFileSync(file, 'utf8'));
}

module.exports = { parseJson, readJson };
