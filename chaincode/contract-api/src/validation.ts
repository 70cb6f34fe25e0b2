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

/** The first field of `value` that `schema` refuses: its JSON pointer (relative) and what is wrong. */
export interface InvalidField {
  path: string;
  message: string;
}

/**
 * Checks a value with the same compiled schema the chaincode uses (other packages must not compile
 * these schemas with their own TypeBox copy, which does not know {@link StringEnum}'s kind).
 */
export function firstInvalidField(schema: TSchema, value: unknown): InvalidField | undefined {
  const check = checkerFor(schema);
  if (check.Check(value)) return undefined;
  const first = check.Errors(value).First();
  const allowed = (first?.schema as { enum?: unknown } | undefined)?.enum;
  // A custom kind's own message ("Expected kind 'StringEnum'") does not name the values.
  const message = Array.isArray(allowed) ? `must be one of: ${allowed.join(', ')}` : (first?.message ?? 'is invalid');
  return { path: first?.path ?? '', message };
}

/** Validates an already-parsed value; see {@link parseInput}. */
export function validateValue<T extends TSchema>(schema: T, value: unknown, argName = 'request'): Static<T> {
  const invalid = firstInvalidField(schema, value);
  if (invalid) fail('VALIDATION_FAILED', `${argName}${invalid.path}: ${invalid.message}`);
  return value;
}
