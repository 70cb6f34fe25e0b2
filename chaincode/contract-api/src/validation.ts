import { type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { fail } from './errors';

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

function checkerFor<T extends TSchema>(schema: T): TypeCheck<T> {
  let check = compiled.get(schema);
  if (!check) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check as TypeCheck<T>;
}

/**
 * Parses a JSON argument and validates it against a TypeBox schema. Throws `VALIDATION_FAILED`
 * naming the first bad field as a JSON pointer, e.g. `request/items/0/quantity: Expected integer`.
 * Object schemas should set `additionalProperties: false` so unknown fields are rejected.
 */
export function parseInput<T extends TSchema>(schema: T, json: string, argName = 'request'): Static<T> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    fail('VALIDATION_FAILED', `${argName}: is not valid JSON`);
  }
  return validateValue(schema, value, argName);
}

/** Validates an already-parsed value; see {@link parseInput}. */
export function validateValue<T extends TSchema>(schema: T, value: unknown, argName = 'request'): Static<T> {
  const check = checkerFor(schema);
  if (!check.Check(value)) {
    const first = check.Errors(value).First();
    const where = first ? `${argName}${first.path}` : argName;
    fail('VALIDATION_FAILED', `${where}: ${first?.message ?? 'is invalid'}`);
  }
  return value;
}
