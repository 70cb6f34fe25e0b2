/**
 * shape-validator.generated.ts is the consortium schema compiled ahead of time: it must be what
 * Ajv generates from schema.ts now, and judge documents as a validator compiled at run time does.
 * `HEALTHLEDGER_WRITE_CONSORTIUM_VALIDATOR=1` rewrites it (`npm run consortium-validator`).
 */
import Ajv from 'ajv';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { consortiumSchema } from './schema';
import { SHAPE_AJV_OPTIONS, shapeValidatorSource } from './shape-source';
import { validate } from './shape-validator.generated';

const FILE = path.join(__dirname, 'shape-validator.generated.ts');

test('shape-validator.generated.ts is current with schema.ts', () => {
  const source = shapeValidatorSource();
  if (process.env['HEALTHLEDGER_WRITE_CONSORTIUM_VALIDATOR'] === '1') writeFileSync(FILE, source);
  expect(readFileSync(FILE, 'utf8')).toBe(source);
});

test('the generated validator accepts and refuses what the compiled schema does, with the same first error', () => {
  const compiled = new Ajv(SHAPE_AJV_OPTIONS).compile(consortiumSchema);
  const good = parseYaml(readFileSync(path.join(__dirname, '..', 'consortium.yaml'), 'utf8')) as Record<string, unknown>;
  const cases: unknown[] = [good, { ...good, extra: 1 }, { ...good, channel: 'Not A Channel' }, { ...good, organizations: 'none' }, {}, 'text'];
  for (const document of cases) {
    const generatedValid = (validate as (data: unknown) => boolean)(document);
    expect(generatedValid).toBe(compiled(document));
    expect((validate as unknown as { errors: unknown }).errors ?? null).toEqual(compiled.errors ?? null);
  }
  expect((validate as (data: unknown) => boolean)(good)).toBe(true);
});
