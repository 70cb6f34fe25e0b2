/**
 * The gateway's dependency boundaries, checked rather than promised: it speaks to the ledger
 * through @hyperledger/fabric-gateway and knows the chaincode only through the contract API, so
 * it never ships or loads the chaincode runtime (fabric-shim, fabric-contract-api) — not in its
 * dependencies, not in its sources or test support, not in what its built server loads.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const gatewayDir = path.join(__dirname, '..');
const FORBIDDEN = ['@healthledger/chaincode', 'fabric-shim', 'fabric-contract-api'];

interface PackageJson {
  name: string;
  dependencies?: Record<string, string>;
}

const readPackage = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;

/** Where node finds package `name` from `fromDir` (its node_modules, then each parent's). */
function packageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** Every package the gateway's production dependencies pull in, by name. */
function productionClosure(): Set<string> {
  /** Package directory → package name, for every package reached. */
  const seen = new Map<string, string>();
  const visit = (dir: string): void => {
    for (const name of Object.keys(readPackage(dir).dependencies ?? {})) {
      const found = packageDir(name, dir);
      if (!found || seen.has(found)) continue;
      seen.set(found, name);
      visit(found);
    }
  };
  visit(gatewayDir);
  return new Set(seen.values());
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

test('no production dependency, direct or transitive, is the chaincode or its runtime', () => {
  const closure = productionClosure();
  expect(closure.has('@hyperledger/fabric-gateway')).toBe(true);
  expect(FORBIDDEN.filter((name) => closure.has(name))).toEqual([]);
});

test('no source file, test or test support imports the chaincode or its runtime', () => {
  const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:from |import\(|require\()'([^']+)'/g)].map((m) => m[1] ?? '');
  const offending = sourceFiles(path.join(gatewayDir, 'src')).flatMap((file) =>
    importsOf(file)
      .filter((spec) => FORBIDDEN.some((name) => spec === name || spec.startsWith(`${name}/`)))
      .map((spec) => `${path.relative(gatewayDir, file)}: ${spec}`),
  );
  expect(offending).toEqual([]);
});

test('the built server loads neither the chaincode nor its runtime', () => {
  const server = path.join(gatewayDir, 'dist', 'server.js');
  const loaded = JSON.parse(
    execFileSync(process.execPath, ['-e', `require(${JSON.stringify(server)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)))`], { encoding: 'utf8' }),
  ) as string[];
  expect(loaded.some((file) => file.includes(`${path.sep}@hyperledger${path.sep}fabric-gateway${path.sep}`))).toBe(true);
  const runtime = loaded.filter((file) => /[\\/](fabric-shim|fabric-contract-api)[\\/]/.test(file) || file.startsWith(path.join(gatewayDir, '..', 'chaincode', 'dist')));
  expect(runtime).toEqual([]);
});
