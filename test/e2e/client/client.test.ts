/**
 * The typed client is generated from the committed document: this fails when test/e2e/client/
 * schema.ts is not what openapi-typescript makes of docs/openapi.json (run `npm run openapi`).
 * (gateway/src/openapi/openapi.test.ts keeps docs/openapi.json itself in step with the gateway.)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '../../..');

test('schema.ts is generated from docs/openapi.json', () => {
  const cli = path.join(root, 'node_modules/openapi-typescript/bin/cli.js');
  const generated = execFileSync(process.execPath, [cli, 'docs/openapi.json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  expect(readFileSync(path.join(__dirname, 'schema.ts'), 'utf8')).toBe(generated);
});
