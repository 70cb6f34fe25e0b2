'use strict';
/**
 * A bundle's comments in ASCII, for `npm start`'s two bundles (scripts/bundle-gateway.js).
 *
 * V8 keeps a script's source in its heap for as long as the script's functions may still be
 * compiled lazily, i.e. for the thread's life, and stores it one byte per character only when
 * every character is Latin-1; a single dash or arrow beyond that makes the whole source two bytes
 * per character. esbuild writes strings, regular expressions and names in ASCII (`charset:
 * 'ascii'`, its default) but copies comments as written, and our comments and some packages'
 * hold em dashes, arrows and the like: the gateway's 6.3 MB bundle took 12 MB of its thread's
 * heap, the devnet's 3.4 MB one 6.6 MB, live, and each heap grows under load to about 1.5 times
 * what is live (`--heap-growing-percent=50`, scripts/gateway-node.sh).
 *
 * So every character beyond ASCII is written as its code point (`\u{2014}`), which in a comment
 * changes nothing. That it was in a comment is checked, not assumed: with comments and
 * whitespace removed (esbuild's own parser), the code must be the same before and after; if it
 * is not, the text is left as it was.
 */

/** Characters beyond ASCII, whole code points (a surrogate pair is one). */
const BEYOND_ASCII = /[^\x00-\x7f]/gu;

/**
 * The code of `text` without comments and whitespace, as esbuild prints it (ASCII).
 * @param {typeof import('esbuild')} esbuild
 * @param {string} text
 */
async function codeOnly(esbuild, text) {
  return (await esbuild.transform(text, { loader: 'js', minifyWhitespace: true, legalComments: 'none', charset: 'ascii', logLevel: 'silent' })).code;
}

/**
 * `text` with every character beyond ASCII in its comments written as its code point.
 * @param {string} text  a bundle as esbuild wrote it
 * @param {typeof import('esbuild')} esbuild
 * @returns {Promise<{ text: string, escaped: number, kept?: string }>}  the text to write, how many
 *   characters were escaped, and why the text was kept as it was when it was
 */
async function asciiComments(text, esbuild) {
  let escaped = 0;
  const ascii = text.replace(BEYOND_ASCII, (char) => {
    escaped++;
    return `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`;
  });
  if (escaped === 0) return { text, escaped };
  if ((await codeOnly(esbuild, ascii)) !== (await codeOnly(esbuild, text))) {
    return { text, escaped: 0, kept: 'a character beyond ASCII outside a comment' };
  }
  return { text: ascii, escaped };
}

module.exports = { asciiComments };
