/**
 * The contract API carries no Fabric runtime: the gateway depends on it precisely so that it need
 * not load the chaincode. Its only runtime dependency is TypeBox; its sources import nothing else
 * (Node built-ins excepted).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';

const packageDir = path.join(__dirname, '..');
const ALLOWED = ['@sinclair/typebox'];

test('its only runtime dependency is TypeBox', () => {
  const pkg = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  expect(Object.keys(pkg.dependencies ?? {})).toEqual(ALLOWED);
});

test('its sources import only TypeBox, Node built-ins and each other', () => {
  const files = readdirSync(__dirname, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  const external = files.flatMap((file) =>
    [...readFileSync(path.join(__dirname, file), 'utf8').matchAll(/(?:from |import\(|require\()'([^']+)'/g)]
      .map((m) => m[1] ?? '')
      .filter((spec) => !spec.startsWith('.'))
      .filter((spec) => !ALLOWED.some((name) => spec === name || spec.startsWith(`${name}/`)))
      .filter((spec) => !builtinModules.includes(spec.replace(/^node:/, '')))
      .map((spec) => `${file}: ${spec}`),
  );
  expect(external).toEqual([]);
});
