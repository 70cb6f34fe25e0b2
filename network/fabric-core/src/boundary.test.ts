/**
 * The package boundary: fabric-core is what the devnet, the real-Fabric generators and the gateway
 * share, so it must not depend on any of them (nor on the chaincode or its Fabric libraries).
 * Every module of the package, tests included, is scanned for what it imports, and package.json
 * for what it declares.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const PACKAGE_ROOT = path.resolve(__dirname, '..');
const SOURCE_ROOT = __dirname;

/** Package names fabric-core must not use; `@healthledger/` covers network, devnet, gateway and chaincode. */
const FORBIDDEN_PACKAGES = ['fabric-shim', 'fabric-contract-api', 'fabric-shim-api'];
const FORBIDDEN_SCOPE = '@healthledger/';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module specifier a file names: static and dynamic imports, re-exports, `require`. */
function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

/** Why a specifier, imported from `file`, crosses the boundary; undefined if it does not. */
function violation(file: string, specifier: string): string | undefined {
  if (specifier.startsWith('.')) {
    const target = path.resolve(path.dirname(file), specifier);
    const inside = path.relative(PACKAGE_ROOT, target);
    return inside.startsWith('..') || path.isAbsolute(inside) ? 'reaches outside the package' : undefined;
  }
  if (specifier.startsWith(FORBIDDEN_SCOPE)) return 'imports another healthledger package';
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : (specifier.split('/')[0] ?? specifier);
  return FORBIDDEN_PACKAGES.includes(name) ? 'imports a chaincode library' : undefined;
}

describe('the fabric-core package boundary', () => {
  const files = sourceFiles(SOURCE_ROOT);

  it('finds the modules and their imports', () => {
    expect(files.map((f) => path.relative(SOURCE_ROOT, f))).toEqual(expect.arrayContaining(['index.ts', path.join('crypto', 'index.ts'), path.join('pki', 'material.ts')]));
    const imports = files.flatMap((f) => importsOf(readFileSync(f, 'utf8')));
    expect(imports).toEqual(expect.arrayContaining(['@hyperledger/fabric-protos', '@peculiar/x509', '../msp']));
  });

  it('has no module that imports the network, the devnet, the gateway, the chaincode, fabric-shim or fabric-contract-api', () => {
    const found = files.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8')).flatMap((specifier) => {
        const why = violation(file, specifier);
        return why === undefined ? [] : [`${path.relative(PACKAGE_ROOT, file)}: '${specifier}' ${why}`];
      }),
    );
    expect(found).toEqual([]);
  });

  it('declares none of them in package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const declared = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) => Object.keys(pkg[field] ?? {}));
    expect(declared.filter((name) => name.startsWith(FORBIDDEN_SCOPE) || FORBIDDEN_PACKAGES.includes(name))).toEqual([]);
  });

  it('recognises each kind of crossing', () => {
    const file = path.join(SOURCE_ROOT, 'pki', 'material.ts');
    const text = [
      "import type { Consortium } from '../../../consortium';",
      "export { Devnet } from '@healthledger/network/devnet';",
      "const shim = require('fabric-shim');",
      "void import('fabric-contract-api');",
      "import { x } from '../crypto';",
    ].join('\n');
    expect(importsOf(text).map((s) => violation(file, s))).toEqual([
      'reaches outside the package',
      'imports another healthledger package',
      'imports a chaincode library',
      'imports a chaincode library',
      undefined,
    ]);
  });
});
