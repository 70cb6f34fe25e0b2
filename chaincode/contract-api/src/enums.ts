/**
 * Enumerations as JSON Schema `enum`. `Type.Union(Type.Literal…)` renders as an `anyOf` of
 * single-value `const`s: OpenAPI readers see a list of one-value schemas, and a validator reports
 * "must be equal to constant" once per value without naming them. A string enum is one schema
 * that lists its values; the chaincode (TypeBox's compiler) and the gateway (ajv) validate it alike.
 */
import { Kind, Type, TypeRegistry, type SchemaOptions, type TUnsafe } from '@sinclair/typebox';

const KIND = 'StringEnum';

// TypeBox's compiler checks a custom kind through its registry; ajv reads `type` and `enum`.
if (!TypeRegistry.Has(KIND)) {
  TypeRegistry.Set(KIND, (schema: { enum: readonly string[] }, value) => typeof value === 'string' && schema.enum.includes(value));
}

/** A string that is one of `values`: `{ type: 'string', enum: [...] }`, typed as their union. */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, [Kind]: KIND, type: 'string', enum: [...values] });
}
