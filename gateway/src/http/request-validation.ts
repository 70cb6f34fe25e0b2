/**
 * Request validation exactly as Fastify's default (its own Ajv compiler, with the gateway's Ajv
 * options), but each schema compiled on the route's first request instead of at start-up:
 * compiling every route's request schemas up front is much of the gateway's start time, and an
 * instance (or a test's app) answers few of its routes. The compiler itself (Ajv: ~90 modules)
 * is loaded with the first schema compiled, not on the way to the gateway's readiness.
 */
import type { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifySchemaCompiler, FastifyValidationResult } from 'fastify/types/schema';

type BuildValidator = ReturnType<typeof AjvCompiler>;

/**
 * @fastify/ajv-compiler's builder, required on first use. Synchronously: a validator is called
 * synchronously by Fastify, and the first request of a route is what compiles its schemas.
 */
function loadBuilder(): BuildValidator {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred load, see above
  const { AjvCompiler: factory } = require('@fastify/ajv-compiler') as typeof import('@fastify/ajv-compiler');
  return factory();
}

/** A validator that compiles on its first call; it answers as the compiled one would. */
function onFirstUse(compile: () => FastifyValidationResult): FastifyValidationResult {
  let compiled: FastifyValidationResult | undefined;
  const validate = ((data: unknown, context?: unknown) => {
    compiled ??= compile();
    // Ajv's functions take the parent (Fastify passes it when `schemaEnv` is set, as here): it
    // lets coercion replace a request part's root value.
    const result = (compiled as (data: unknown, context?: unknown) => ReturnType<FastifyValidationResult>)(data, context);
    validate.errors = compiled.errors;
    return result;
  }) as FastifyValidationResult & { schemaEnv: boolean };
  validate.schemaEnv = true;
  return validate;
}

/**
 * Fastify's default validator builder, compiling lazily. Given as a custom builder, Fastify no
 * longer lower-cases header schemas for it: header names must be written in lower case (checked
 * here, at start-up, so a route cannot silently stop matching its header). `eager` compiles at
 * start-up instead (the OpenAPI test, so every schema is proven to compile).
 */
export function lazyRequestValidation(eager = false): BuildValidator {
  let build: BuildValidator | undefined;
  return ((externalSchemas: unknown, options: unknown) => {
    // Per Fastify context, as Fastify's own builder is called; built with the context's first compile.
    let compileInContext: FastifySchemaCompiler<unknown> | undefined;
    const compile: FastifySchemaCompiler<unknown> = (route) => {
      build ??= loadBuilder();
      compileInContext ??= (build as (e: unknown, o: unknown) => FastifySchemaCompiler<unknown>)(externalSchemas, options);
      return compileInContext(route);
    };
    return (route: Parameters<FastifySchemaCompiler<unknown>>[0]) => {
      if (route.httpPart === 'headers') assertLowerCaseHeaders(route.schema, `${route.method} ${route.url}`);
      return eager ? compile(route) : onFirstUse(() => compile(route));
    };
  }) as BuildValidator;
}

function assertLowerCaseHeaders(schema: unknown, route: string): void {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  const named = Object.keys(properties).filter((name) => name !== name.toLowerCase());
  if (named.length > 0) throw new Error(`${route}: header schema names must be lower case (${named.join(', ')})`);
}
