'use strict';
/**
 * The static checks: the type check (`npm run typecheck`: this script with --typecheck) and, by
 * default, the lint too (`npm test`; `npm run lint` is ESLint's own CLI on the same
 * eslint.config.mjs). Both need the same TypeScript programs — the repository's sources, tests and
 * scripts — and building and type-checking those programs is most of what either costs; tsc and
 * typescript-eslint's typed rules would each build their own. Here the programs are built and
 * type-checked once, and ESLint lints against them (`parserOptions.programs`).
 *
 * --after-build (`npm test`, through scripts/test.js, right after `npm run build`): the type check
 * reports only on the files the build does not check. `tsc -b` on the projects of package.json's
 * `build` line and those they reference has just type-checked the packages' sources, with the same
 * strict base options; the root program still holds those sources (the tests import them, and the
 * lint's typed rules need them), but the checker is not asked about each of their statements a
 * second time (~10 CPU-seconds of the check's ~35). Without the flag (`npm run typecheck`, no build
 * before it) every file is checked.
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
 * How a tsconfig file is read: an unreadable one stops the checks.
 * @param {string} project its path, for the message
 * @returns {ts.ParseConfigFileHost}
 */
function parseHost(project) {
  return {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(`${project}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    },
  };
}

/**
 * The program of a tsconfig file, as `tsc -p` builds it.
 * @param {string} project path relative to the repository root
 * @returns {ts.Program}
 */
function programOf(project) {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, project), {}, parseHost(project));
  if (!config) throw new Error(`cannot read ${project}`);
  return ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    projectReferences: config.projectReferences,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config),
  });
}

/**
 * The files `npm run build` type-checks: those of the projects on package.json's `build` line
 * (`tsc -b a b c`) and of the projects they reference.
 * @returns {Set<string>}
 */
function builtFiles() {
  /** @type {{ scripts: Record<string, string> }} */
  const manifest = require('../package.json');
  const build = /^tsc -b ((?:[\w./-]+ ?)+)$/.exec(manifest.scripts['build'] ?? '');
  if (!build?.[1]) throw new Error(`package.json's build line is not \`tsc -b <projects>\`: ${manifest.scripts['build']}`);
  /** @type {Set<string>} */
  const files = new Set();
  /** @type {Set<string>} */
  const seen = new Set();
  /** @param {string} project a tsconfig file or its directory, absolute */
  const visit = (project) => {
    const file = project.endsWith('.json') ? project : path.join(project, 'tsconfig.json');
    if (seen.has(file)) return;
    seen.add(file);
    const config = ts.getParsedCommandLineOfConfigFile(file, {}, parseHost(path.relative(ROOT, file)));
    if (!config) throw new Error(`cannot read ${file}`);
    for (const name of config.fileNames) files.add(name);
    for (const reference of config.projectReferences ?? []) visit(reference.path);
  };
  for (const project of build[1].trim().split(' ')) visit(path.join(ROOT, project));
  return files;
}

/**
 * What `tsc -p` reports for the program (it emits nothing: the projects are noEmit), on the files
 * not in `built`. With files left out, so are declaration diagnostics: they concern emitted .d.ts
 * files, and only the build emits (it reports its own).
 * @param {ts.Program} program
 * @param {Set<string>} built
 */
function typeErrorsOf(program, built) {
  if (built.size === 0) return [...ts.getPreEmitDiagnostics(program)];
  const errors = [...program.getConfigFileParsingDiagnostics(), ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics()];
  for (const file of program.getSourceFiles()) {
    if (built.has(file.fileName)) continue;
    errors.push(...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file));
  }
  return errors;
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
  /** @type {Set<string>} */
  const built = process.argv.includes('--after-build') ? builtFiles() : new Set();
  const typeErrors = checked.flatMap((program) => typeErrorsOf(program, built));
  if (typeErrors.length) process.stdout.write(ts.formatDiagnosticsWithColorAndContext(typeErrors, FORMAT_HOST));
  const lintErrors = typecheckOnly ? 0 : await lint([...checked, ...LINTED_ONLY.map(programOf)]);
  if (typeErrors.length || lintErrors) process.exitCode = 1;
}

main().catch((/** @type {unknown} */ err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 2;
});
