/**
 * The error catalogues: each code declared once across the gateway's and the contract API's,
 * every status with a title, and every call site naming a declared code — with no cast that
 * would let an undeclared one through the type system.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ERROR_CATALOGUE } from '@healthledger/contract-api';
import { CODES_DECLARED_ONCE, GATEWAY_PROBLEMS, LEDGER_PROBLEMS, problemEntry, STATUS_OF_KIND, type ProblemCode } from './catalogue';
import { HttpProblem, problem } from './problem';

const catalogues = { gateway: GATEWAY_PROBLEMS, ledger: LEDGER_PROBLEMS, contract: ERROR_CATALOGUE };
const allCodes = Object.values(catalogues).flatMap((c) => Object.keys(c)) as ProblemCode[];

test('every code is declared once across the gateway and contract API catalogues', () => {
  expect(CODES_DECLARED_ONCE).toEqual([true, true, true]);
  const where = new Map<string, string[]>();
  for (const [name, catalogue] of Object.entries(catalogues)) for (const code of Object.keys(catalogue)) where.set(code, [...(where.get(code) ?? []), name]);
  expect([...where].filter(([, names]) => names.length > 1)).toEqual([]);
});

test('every code has an error status with a title, and a default detail', () => {
  for (const code of allCodes) {
    const { status, detail } = problemEntry(code);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(600);
    expect(detail).not.toBe('');
    expect(problem(code).title).not.toBe('Error');
  }
});

test('the status comes from the catalogue: the gateway entry, or the contract code kind', () => {
  expect(problem('RATE_LIMITED')).toEqual({ type: 'urn:healthledger:problem:rate-limited', title: 'Too Many Requests', status: 429, code: 'RATE_LIMITED', detail: 'Too many requests' });
  expect(new HttpProblem('LEDGER_UNAVAILABLE', 'down').problem).toMatchObject({ status: 503, detail: 'down' });
  expect(problem('ROLE_FORBIDDEN')).toMatchObject({ status: STATUS_OF_KIND.forbidden, detail: ERROR_CATALOGUE.ROLE_FORBIDDEN.message });
  expect(problem('VALIDATION_FAILED', 'bad', [{ pointer: '/body/x', detail: 'unknown field' }])).toMatchObject({ status: 400, errors: [{ pointer: '/body/x' }] });
});

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sources(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** The first argument of every `new HttpProblem(…)` and `problem(…)` call in the gateway's sources. */
function callSites(): { file: string; arg: string }[] {
  const root = path.join(__dirname, '..');
  return sources(root).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/(?:new HttpProblem|(?<![\w.])problem)\(\s*([^,)]*)/g)]
      .map((m) => ({ file: path.relative(root, file), arg: (m[1] ?? '').trim() }))
      // The definition itself (`function problem(code: ProblemCode, …`) and mentions in comments (`problem()`).
      .filter(({ arg }) => arg !== '' && !arg.startsWith('code:')),
  );
}

test('every HttpProblem/problem call site names a declared code, and no cast bends the code type', () => {
  const sites = callSites();
  expect(sites.length).toBeGreaterThan(30);
  const literals = sites.filter(({ arg }) => arg.startsWith("'"));
  expect(literals.filter(({ arg }) => !allCodes.includes(arg.slice(1, -1) as ProblemCode))).toEqual([]);
  // Any other argument is a variable the type system checks: no casts, no any.
  expect(sites.filter(({ arg }) => !arg.startsWith("'") && !/^[\w.]+$/.test(arg))).toEqual([]);
  const casts = sources(path.join(__dirname, '..')).filter((file) =>
    /\bas\s+(?:ProblemCode|GatewayProblemCode|LedgerProblemCode|ErrorCode)\b|<(?:ProblemCode|GatewayProblemCode|ErrorCode)>/.test(readFileSync(file, 'utf8')),
  );
  expect(casts).toEqual([]);
});
