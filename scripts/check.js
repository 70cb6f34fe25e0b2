'use strict';
/**
 * The static checks: the type check (`npm run typecheck`: this script with --typecheck) and, by
 * default, the lint too (`npm test`; `npm run lint` is ESLint's own CLI on the same
 * eslint.config.mjs). Both need the same TypeScript programs — the repository's sources, tests and
 * scripts — and building and type-checking those programs is most of what either costs; tsc and
 * typescript-eslint's typed rules would each build their own. Here the programs are built and
 * type-checked once, and ESLint lints against them (`parserOptions.programs`).
 *
 * Exit status 1 when the type check or the lint found a problem.
 */
const path = require('node:path');
const ts = require('typescript');
const { ESLint } = require('eslint');

const ROOT = path.resolve(__dirname, '..');
/** The projects the type check covers (the packages' own projects are checked by the build). */
const TYPECHECKED = ['tsconfig.json', 'scripts/tsconfig.json'];
/** Linted with type information too, but type-checked by the build (gateway/tsconfig.json references it). */
const LINTED_ONLY = ['gateway/console/tsconfig.json'];

/** @type {ts.FormatDiagnosticsHost} */
const FORMAT_HOST = { getCanonicalFileName: (file) => file, getCurrentDirectory: () => ROOT, getNewLine: () => '\n' };

/**
 * The program of a tsconfig file, as `tsc -p` builds it.
 * @param {string} project path relative to the repository root
 * @returns {ts.Program}
 */
function programOf(project) {
  /** @type {ts.ParseConfigFileHost} */
  const host = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(`${project}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    },
  };
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, project), {}, host);
  if (!config) throw new Error(`cannot read ${project}`);
  return ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    projectReferences: config.projectReferences,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config),
  });
}

/**
 * What `tsc -p` reports for the program (it emits nothing: the projects are noEmit).
 * @param {ts.Program} program
 */
function typeErrorsOf(program) {
  return [...ts.getPreEmitDiagnostics(program)];
}

/**
 * ESLint with eslint.config.mjs, its typed rules on the given programs.
 * @param {ts.Program[]} programs
 */
async function lint(programs) {
  const eslint = new ESLint({ cwd: ROOT, overrideConfig: { languageOptions: { parserOptions: { programs } } } });
  const results = await eslint.lintFiles(['.']);
  const report = await (await eslint.loadFormatter('stylish')).format(results);
  if (report) process.stdout.write(report);
  return results.reduce((n, r) => n + r.errorCount, 0);
}

async function main() {
  const typecheckOnly = process.argv.includes('--typecheck');
  const checked = TYPECHECKED.map(programOf);
  const typeErrors = checked.flatMap(typeErrorsOf);
  if (typeErrors.length) process.stdout.write(ts.formatDiagnosticsWithColorAndContext(typeErrors, FORMAT_HOST));
  const lintErrors = typecheckOnly ? 0 : await lint([...checked, ...LINTED_ONLY.map(programOf)]);
  if (typeErrors.length || lintErrors) process.exitCode = 1;
}

main().catch((/** @type {unknown} */ err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 2;
});
