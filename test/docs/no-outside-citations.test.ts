/**
 * The design lives in docs/, in this project's own words: no source or note (tracked, or new and
 * not ignored) cites a section of a document outside the repository (the old "spec §9.1" style),
 * every docs/… path a file mentions exists, and every relative Markdown link resolves.
 *
 * `§` stays allowed right after the name of a published standard or law the code implements
 * (GS1, EPCIS, the FD&C Act), which a reader can look up by that name.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const SELF = path.relative(ROOT, __filename).split(path.sep).join('/');
const TEXT_FILE = /\.(ts|js|cjs|mjs|md|ya?ml|sh|json)$/;

/** Published standards whose sections code may cite, e.g. "GS1 General Specifications §7.12". */
const PUBLIC_STANDARD = /(GS1[^§]{0,40}|EPCIS[^§]{0,20}|FD&C Act|Tag Data Standard)\s*(§[\d.()]+(,|\s+and)?\s*)*$/;

/** Names of outside documents the project used to cite. */
const OUTSIDE_DOCUMENT = [/\bspec(ification)?\s*§/i, /\bwire[- ]spec\b/i, /ARCHITECTURE\.md/, /fabric-observed/, /shared\/design\//];

interface Finding {
  file: string;
  line: number;
  text: string;
  why: string;
}

/** Outside citations and missing docs/… paths in one file's text. */
function citationFindings(file: string, content: string, exists: (repoPath: string) => boolean): Finding[] {
  const findings: Finding[] = [];
  content.split('\n').forEach((text, i) => {
    const at = (why: string) => findings.push({ file, line: i + 1, text: text.trim(), why });
    for (let s = text.indexOf('§'); s >= 0; s = text.indexOf('§', s + 1)) {
      if (!PUBLIC_STANDARD.test(text.slice(0, s))) at('section sign not after a named public standard');
    }
    for (const pattern of OUTSIDE_DOCUMENT) if (pattern.test(text)) at(`names an outside document (${pattern.source})`);
    for (const m of text.matchAll(/(?<![\w./-])(docs\/[\w./-]*\w\.md)\b/g)) {
      if (!exists(m[1] as string)) at(`mentions ${m[1]}, which does not exist`);
    }
  });
  return findings;
}

/** Relative Markdown links in one .md file whose target does not exist. */
function brokenLinks(file: string, content: string, exists: (repoPath: string) => boolean): Finding[] {
  const findings: Finding[] = [];
  content.split('\n').forEach((text, i) => {
    for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = (m[1] as string).split('#')[0] as string;
      if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), decodeURI(target)));
      if (!exists(resolved)) findings.push({ file, line: i + 1, text: text.trim(), why: `links to ${resolved}, which does not exist` });
    }
  });
  return findings;
}

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f !== '' && f !== SELF && f !== 'package-lock.json' && TEXT_FILE.test(f) && existsSync(path.join(ROOT, f)));
}

const existsInRepo = (repoPath: string) => existsSync(path.join(ROOT, repoPath));
const show = (findings: Finding[]) => findings.map((f) => `${f.file}:${f.line}: ${f.why}\n    ${f.text}`);

describe('docs are the project\'s own', () => {
  const files = trackedFiles();

  it('scans the tracked sources and notes', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/architecture.md']));
    expect(files.filter((f) => f.endsWith('.ts')).length).toBeGreaterThan(100);
  });

  it('no file cites a section of a document outside the repository, or a docs/ file that is not there', () => {
    const findings = files.flatMap((f) => citationFindings(f, readFileSync(path.join(ROOT, f), 'utf8'), existsInRepo));
    expect(show(findings)).toEqual([]);
  });

  it('every relative Markdown link resolves', () => {
    const findings = files.filter((f) => f.endsWith('.md')).flatMap((f) => brokenLinks(f, readFileSync(path.join(ROOT, f), 'utf8'), existsInRepo));
    expect(show(findings)).toEqual([]);
  });

  it('tells a citation of an outside document from a named public standard', () => {
    const none = () => false;
    const whys = (text: string) => citationFindings('x.ts', text, none).map((f) => f.why);
    expect(whys('// the pipeline of spec §9.1')).toHaveLength(2);
    expect(whys('/** Block 0 of the channel (§4.2). */')).toHaveLength(1);
    expect(whys('see the wire spec')).toHaveLength(1);
    expect(whys('see docs/design/gone.md')).toEqual(['mentions docs/design/gone.md, which does not exist']);
    expect(whys(' * means the last day of the month (GS1 General Specifications §3.4.6 and §7.12).')).toEqual([]);
    expect(whys('/** The DSCSA transaction statement (FD&C Act §581(27)). */')).toEqual([]);
    expect(whys('// --- EPC URNs (GS1 Tag Data Standard §6.3) ---')).toEqual([]);
    expect(brokenLinks('docs/a.md', '[b](b.md) [c](../README.md#x) [d](https://example.org) [e](#top)', (p) => p === 'README.md')).toEqual([
      expect.objectContaining({ why: 'links to docs/b.md, which does not exist' }),
    ]);
  });
});
